/**
 * The git delta between two refs: which components were added or changed (the package) and which
 * were deleted (destructive changes), by SDR's resolver over each commit's file list and
 * `git diff --name-status -M`; written out as sfdx-git-delta lays it out (package/package.xml,
 * destructiveChanges/destructiveChanges.xml, the package's source files as they are at TO).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError } from '../../core/cancelled';
import { componentKey, type ComponentRef } from '../../core/metadata-types';
import { destructiveXmlOf, keepLabels, labelDelta, packageXmlOf, parseNameStatus, planDelta, refProblem, type DeltaPlan, type GitDelta, type ResolvedComponent } from '../../core/git-delta';
import type { SalesforceApi } from '../../salesforce-loader';
import type { RunOptions } from '../types';
import { commitOf, filesAt, GitError, mergeBaseOf, nameStatus, readAt, repoRoot } from './git';

export interface GitDeltaRequest {
  /** A folder inside the repository. */
  repo: string;
  from: string;
  to: string;
  /** Take the delta from the merge base of FROM and TO (what `git diff FROM...TO` shows). */
  mergeBase?: boolean;
}

function sourceApiVersion(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const v = (JSON.parse(text) as { sourceApiVersion?: unknown }).sourceApiVersion;
    return typeof v === 'string' && /^\d+\.0$/.test(v) ? v : undefined;
  } catch {
    return undefined; // A broken sfdx-project.json leaves the version out of the manifests; the deploy uses the org's.
  }
}

const byKey = (a: ComponentRef, b: ComponentRef): number => (componentKey(a) < componentKey(b) ? -1 : componentKey(a) > componentKey(b) ? 1 : 0);

/** Custom labels label by label (as sfdx-git-delta lists them): each changed labels file read at both commits. */
async function byLabel(root: string, from: string, to: string, plan: DeltaPlan, signal?: AbortSignal): Promise<DeltaPlan> {
  const paths = [...new Set(plan.changes.filter((c) => c.components.some((x) => x.type === 'CustomLabels')).map((c) => c.path))];
  if (!paths.length) return plan;
  const [before, after] = await Promise.all([readAt(root, from, paths, signal), readAt(root, to, paths, signal)]);
  const deploy: ResolvedComponent[] = plan.deploy.filter((c) => c.type !== 'CustomLabels');
  const destroy = new Map(plan.destroy.filter((c) => c.type !== 'CustomLabels').map((c) => [componentKey(c), c]));
  const partial: Record<string, string[]> = { ...plan.partial };
  const perPath = new Map<string, { changed: string[]; deleted: string[] }>();
  for (const p of paths) {
    const d = labelDelta(before.get(p)?.toString('utf8'), after.get(p)?.toString('utf8'));
    perPath.set(p, d);
    for (const n of d.changed) deploy.push({ type: 'CustomLabel', fullName: n, files: [p] });
    for (const n of d.deleted) destroy.set(componentKey({ type: 'CustomLabel', fullName: n }), { type: 'CustomLabel', fullName: n });
    if (d.changed.length) partial[p] = d.changed;
  }
  for (const c of deploy) destroy.delete(componentKey(c));
  const changes = plan.changes.map((c) => {
    const d = perPath.get(c.path);
    if (!d) return c;
    const components = [...d.changed, ...d.deleted].map((fullName) => ({ type: 'CustomLabel', fullName }));
    return { ...c, components, effect: d.changed.length ? ('deploy' as const) : d.deleted.length ? ('delete' as const) : ('none' as const) };
  });
  return { ...plan, deploy: deploy.sort(byKey), destroy: [...destroy.values()].sort(byKey), changes, ...(Object.keys(partial).length ? { partial } : {}) };
}

/** Computes the delta (reads git only; nothing is written or deployed). */
export async function computeGitDelta(deps: { salesforce(): Promise<SalesforceApi> }, req: GitDeltaRequest, opts: RunOptions = {}): Promise<GitDelta> {
  for (const [ref, flag] of [
    [req.from, 'from'],
    [req.to, 'to'],
  ] as const) {
    const problem = refProblem(ref, flag);
    if (problem) throw new GitError(problem, 'bad-ref');
  }
  const step = (message: string): void => {
    if (opts.signal?.aborted) throw new CancelledError('Git delta');
    opts.onProgress?.({ message });
  };
  step('Reading the repository…');
  const root = await repoRoot(req.repo);
  const [fromCommit, toCommit] = await Promise.all([commitOf(root, req.from), commitOf(root, req.to)]);
  const base = req.mergeBase ? await mergeBaseOf(root, fromCommit, toCommit) : fromCommit;
  step(`Comparing ${req.from} and ${req.to}…`);
  const [diff, toPaths, fromPaths] = await Promise.all([nameStatus(root, base, toCommit, opts.signal), filesAt(root, toCommit, opts.signal), filesAt(root, base, opts.signal)]);
  const changes = parseNameStatus(diff);
  step(`Resolving ${changes.length} changed files to components…`);
  const sf = await deps.salesforce();
  const plan = await byLabel(root, base, toCommit, planDelta(changes, sf.gitDeltaSides({ root, toPaths, fromPaths })), opts.signal);
  const project = (await readAt(root, toCommit, ['sfdx-project.json'], opts.signal)).get('sfdx-project.json');
  const apiVersion = sourceApiVersion(project?.toString('utf8'));
  return {
    repo: root,
    from: { ref: req.from, commit: fromCommit },
    to: { ref: req.to, commit: toCommit },
    ...(req.mergeBase ? { mergeBase: base } : {}),
    ...(apiVersion ? { apiVersion } : {}),
    plan,
  };
}

export interface WrittenDelta {
  packageXml: string;
  destructiveXml: string;
  /** The source files written, absolute. */
  sourceFiles: string[];
  /** The top folders of the written source (what a deploy of the delta reads). */
  sourceRoots: string[];
}

/**
 * Writes the delta into `outDir` (created if absent; refused when it holds anything, so nothing is
 * overwritten): package/package.xml, destructiveChanges/destructiveChanges.xml (with its empty
 * package.xml), and the package's files as they are at TO, under their repository paths.
 */
export async function writeGitDelta(delta: GitDelta, outDir: string, opts: RunOptions = {}): Promise<WrittenDelta> {
  const out = path.resolve(outDir);
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw new GitError(`${out} is a file: give a new or empty folder for the delta.`, 'bad-output');
    if (fs.readdirSync(out).length) throw new GitError(`${out} is not empty: give a new or empty folder for the delta (nothing was written).`, 'bad-output');
  }
  const files = [...new Set(delta.plan.deploy.flatMap((c) => c.files))].sort();
  opts.onProgress?.({ message: `Reading ${files.length} files at ${delta.to.ref}…` });
  const blobs = await readAt(delta.repo, delta.to.commit, files, opts.signal);
  if (opts.signal?.aborted) throw new CancelledError('Git delta');
  const packageXml = packageXmlOf(delta);
  const destructiveXml = destructiveXmlOf(delta);
  const write = (rel: string, data: string | Buffer): string => {
    const target = path.join(out, ...rel.split('/'));
    if (!target.startsWith(out + path.sep)) throw new GitError(`The repository names a file outside the output folder (${rel}); nothing more was written.`, 'failed');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
    return target;
  };
  write('package/package.xml', packageXml);
  write('destructiveChanges/destructiveChanges.xml', destructiveXml);
  write('destructiveChanges/package.xml', destructiveXmlOf({ ...delta, plan: { ...delta.plan, destroy: [] } }));
  const sourceFiles: string[] = [];
  for (const f of files) {
    const data = blobs.get(f);
    const keep = delta.plan.partial?.[f];
    if (data) sourceFiles.push(write(f, keep ? keepLabels(data.toString('utf8'), new Set(keep)) : data));
  }
  const roots = new Set(files.map((f) => f.split('/')[0]));
  return { packageXml, destructiveXml, sourceFiles, sourceRoots: [...roots].sort().map((r) => path.join(out, r)) };
}
