/**
 * Overwrite check, before validate and deploy: each package component against the target's current
 * version. One that someone changed in the target after the package was retrieved (by anyone,
 * through any tool: the listing's lastModifiedDate/lastModifiedByName, and the org's source
 * tracking where it keeps one) is flagged with who and when; the caller then chooses, per flagged
 * component, to overwrite it or drop it from the package. Nothing is overwritten silently.
 */
import { formatWhen } from '../../core/deployments';
import type { ComponentInfo, ComponentRef } from '../../core/metadata-types';
import type { PackageContents } from '../../salesforce/metadata/package-contents';
import type { RunOptions, WorkflowDeps } from '../types';

export interface OverwriteCheckRequest {
  targetEnv: string;
  /** The package: source-format files or folders, or a metadata-format zip. */
  sourcePaths?: string[];
  zip?: Uint8Array;
  /** The package as already read (release reads it once for the check and the deploy). */
  contents?: PackageContents;
  /** When the package was retrieved (ISO); changes in the target after it are flagged. */
  retrievedAt: string;
  /**
   * Flag only changes strictly after `retrievedAt`, not those in its second: for a time the
   * check's own subject set (a deploy's end, which itself changed the components then).
   */
  strictlyAfter?: boolean;
}

export interface OverwriteFlag {
  component: ComponentRef;
  /** When the target's version was last changed (ISO), and by whom when the org says. */
  lastModifiedDate: string;
  lastModifiedByName?: string;
  /** Who said so: the target's metadata listing, or its source tracking (SourceMember). */
  source: 'listing' | 'source tracking';
  /** "ApexClass Shared was changed in UAT by Rae Reviewer at 2026-01-05 14:30 UTC, after the package was retrieved (…)". */
  message: string;
}

export interface OverwriteReport {
  targetEnv: string;
  retrievedAt: string;
  /** Components of the package that the target holds and that were checked. */
  checked: number;
  flagged: OverwriteFlag[];
  /** Package components the target does not hold yet (nothing to overwrite). */
  newInTarget: ComponentRef[];
  /** The target's listing the check read: the types listed and the components of them the target has (reused by the snapshot). */
  listing?: { types: string[]; components: ComponentRef[] };
  /** Whether the target's source tracking was read too (only orgs that keep it). */
  sourceTracking: boolean;
}

export type OverwriteChoice = 'overwrite' | 'drop';

const key = (c: ComponentRef): string => `${c.type}:${c.fullName}`.toLowerCase();

const WHOLE_SECOND = /(?:\.000|:\d\d)(?:Z|[+-]\d\d:?\d\d)$/;

/** True when every date is given in whole seconds (as Salesforce gives lastModifiedDate). */
export function wholeSeconds(dates: ReadonlyArray<string | undefined>): boolean {
  const known = dates.filter((d): d is string => !!d);
  return known.length > 0 && known.every((d) => WHOLE_SECOND.test(d));
}

/**
 * Whether `modified` is after `retrievedAt`. When the org gives whole seconds, a change in the
 * same second as the retrieve may be after it, and is flagged rather than overwritten.
 */
export function changedAfter(modified: string | undefined, retrievedAt: string, secondsOnly = false): boolean {
  const m = modified ? Date.parse(modified) : NaN;
  const r = Date.parse(retrievedAt);
  if (!Number.isFinite(m) || !Number.isFinite(r)) return false;
  return secondsOnly ? m + 999 > r : m > r;
}

function flag(c: ComponentRef, date: string, by: string | undefined, source: OverwriteFlag['source'], env: string, retrievedAt: string): OverwriteFlag {
  return {
    component: { type: c.type, fullName: c.fullName },
    lastModifiedDate: date,
    ...(by ? { lastModifiedByName: by } : {}),
    source,
    message:
      `${c.type} ${c.fullName} was changed in ${env}${by ? ` by ${by}` : ''} at ${formatWhen(date)}, after the package was retrieved (${formatWhen(retrievedAt)}). ` +
      'Deploying overwrites that change: compare it first, then choose to overwrite it or drop it from the package.',
  };
}

/** Checks each package component against the target's current version. */
export async function checkOverwrites(deps: WorkflowDeps, req: OverwriteCheckRequest, opts: RunOptions = {}): Promise<OverwriteReport> {
  if (!Number.isFinite(Date.parse(req.retrievedAt))) throw new Error(`"${req.retrievedAt}" is not a date-time: give when the package was retrieved (ISO 8601).`);
  const sf = await deps.salesforce();
  const report = opts.onProgress ?? (() => undefined);
  report({ message: 'Reading the package…' });
  const pkg = req.contents ?? sf.readPackage({ sourcePaths: req.sourcePaths, zip: req.zip });
  const { handle } = await deps.sessions.get(req.targetEnv);
  const types = [...new Set(pkg.components.map((c) => c.type))].sort();
  report({ message: `Listing ${types.length} metadata types in ${req.targetEnv}…`, percent: 10 });
  const listed = await sf.listComponents(handle, types, { signal: opts.signal });
  const byKey = new Map<string, ComponentInfo>(listed.map((c) => [key(c), c]));
  report({ message: `Reading ${req.targetEnv}'s source tracking…`, percent: 70 });
  const tracked = await sf.trackedChanges(handle, pkg.components, { signal: opts.signal });
  const trackedByKey = new Map((tracked ?? []).map((t) => [key(t), t]));

  const listingSeconds = !req.strictlyAfter && wholeSeconds(listed.map((c) => c.lastModifiedDate));
  const trackingSeconds = !req.strictlyAfter && wholeSeconds((tracked ?? []).map((t) => t.lastModifiedDate));
  const flagged: OverwriteFlag[] = [];
  const newInTarget: ComponentRef[] = [];
  let checked = 0;
  for (const c of pkg.components) {
    const there = byKey.get(key(c));
    const t = trackedByKey.get(key(c));
    if (!there && !t) {
      newInTarget.push(c);
      continue;
    }
    checked++;
    if (there && changedAfter(there.lastModifiedDate, req.retrievedAt, listingSeconds)) {
      flagged.push(flag(c, there.lastModifiedDate!, there.lastModifiedByName, 'listing', req.targetEnv, req.retrievedAt));
    } else if (t && changedAfter(t.lastModifiedDate, req.retrievedAt, trackingSeconds)) {
      flagged.push(flag(c, t.lastModifiedDate!, t.lastModifiedByName, 'source tracking', req.targetEnv, req.retrievedAt));
    }
  }
  deps.log.info(`Overwrite check against ${req.targetEnv}: ${checked} components checked, ${flagged.length} changed there after ${req.retrievedAt}.`);
  return {
    targetEnv: req.targetEnv,
    retrievedAt: req.retrievedAt,
    checked,
    flagged,
    newInTarget,
    sourceTracking: tracked !== undefined,
    listing: { types, components: listed.map((c) => ({ type: c.type, fullName: c.fullName })) },
  };
}

/**
 * The components to deploy once the user chose for each flagged one; refuses while a flagged
 * component has no choice (nothing is overwritten silently).
 */
export function applyOverwriteChoices(
  components: readonly ComponentRef[],
  report: OverwriteReport,
  choices: ReadonlyMap<string, OverwriteChoice> | Readonly<Record<string, OverwriteChoice>>,
): { deploy: ComponentRef[]; dropped: ComponentRef[] } {
  const get = (c: ComponentRef): OverwriteChoice | undefined => {
    const k = `${c.type}:${c.fullName}`;
    return choices instanceof Map ? choices.get(k) : (choices as Record<string, OverwriteChoice>)[k];
  };
  const open = report.flagged.filter((f) => !get(f.component));
  if (open.length) {
    const names = open.map((f) => `${f.component.type} ${f.component.fullName}`);
    throw new Error(`Choose to overwrite or drop ${names.join(', ')}: ${open.length === 1 ? 'it was' : 'they were'} changed in ${report.targetEnv} after the package was retrieved.`);
  }
  const drop = new Set(report.flagged.filter((f) => get(f.component) === 'drop').map((f) => key(f.component)));
  return { deploy: components.filter((c) => !drop.has(key(c))), dropped: components.filter((c) => drop.has(key(c))) };
}

/** The source files of a source-format package without the dropped components (to deploy the rest). */
export async function sourcePathsWithout(deps: WorkflowDeps, sourcePaths: string[], dropped: readonly ComponentRef[]): Promise<string[]> {
  const sf = await deps.salesforce();
  const drop = new Set(dropped.map(key));
  return sf.componentsAt(sourcePaths).filter((c) => !drop.has(key(c))).flatMap((c) => c.files);
}
