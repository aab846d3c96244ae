/**
 * An org's deployment history as users read it: every `DeployRequest` row of the org (Changeline's
 * deploys and out-of-band ones: change sets, the sf CLI, other tools), each marked with what
 * Changeline knows about it when Changeline made it (the deployment record or queue entry: its
 * message and change requests). Pure: the workflow reads the rows and the marks.
 */
import type { OrgDeployRow } from '../deployments/org-deploys';
import type { ComponentFailure, ComponentOutcome, TestFailure } from '../metadata-types';
import type { DeployedComponent, OrgDeployment } from './history';

/** What Changeline wrote about deployments it made: the deploy ids it started, and what they carried. */
export interface ChangelineMark {
  /** Deploy ids (0Af…) of the deploys and validations made for it. */
  deployIds: readonly string[];
  /** What the user reads: the record or entry number (DEP-00042, Q-00003). */
  label?: string;
  message?: string;
  crNumbers?: readonly string[];
  /** Where it is kept: the environment whose org holds it, and its record id. */
  env?: string;
  recordId?: string;
  /** The package it deployed, kept as a file in the org of `env` (what each component was made to be). */
  packageFileId?: string;
  /** A revert among `deployIds`: its deploy id and the deploy id it reverted. */
  revert?: { id: string; of: string };
}

/** One deployment of the log: the core's OrgDeployment with the org's counts and Changeline's mark. */
export interface HistoryDeployment extends OrgDeployment {
  /** DeployRequest.Type (`Deploy`, `ChangeSet`, …) when the org says. */
  type?: string;
  createdDate?: string;
  stateDetail?: string;
  componentsTotal?: number;
  componentsDeployed?: number;
  componentErrors?: number;
  testsTotal?: number;
  testsCompleted?: number;
  testErrors?: number;
  errorMessage?: string;
  /** The record or queue entry Changeline keeps for it. */
  mark?: { label?: string; env?: string; recordId?: string; packageFileId?: string };
  /** Set on Changeline's revert of a deployment: the deploy id it reverted. */
  revertOf?: string;
}

/** What a finished deployment reported, component by component (cached by deploy id: it never changes). */
export interface DeploymentDetails {
  id: string;
  components: DeployedComponent[];
  failures: ComponentFailure[];
  testFailures: TestFailure[];
  testsRun: number;
  /** True when the org still works on it (then not cached). */
  running: boolean;
}

/**
 * Changeline's own schema (its tracking objects, their fields and rules, its permission sets, all
 * named `Changeline_…`): installed in each org on its own, never a change to bring down from the
 * environment above, so left out of "deployments behind".
 */
export function isChangelineSchema(c: { fullName: string }): boolean {
  return c.fullName.startsWith('Changeline_');
}

/** Deploy ids compared on their first 15 characters (the org may give either form). */
export const deployIdKey = (id: string): string => id.slice(0, 15);

/** The deployments of the rows, newest first, marked with Changeline's marks where a mark names their id. */
export function joinHistory(rows: readonly OrgDeployRow[], marks: readonly ChangelineMark[]): HistoryDeployment[] {
  const byId = new Map<string, ChangelineMark>();
  for (const m of marks) for (const id of m.deployIds) if (id) byId.set(deployIdKey(id), m);
  const out = rows.map((r) => toDeployment(r, byId.get(deployIdKey(r.id))));
  return newestFirst(out);
}

function toDeployment(r: OrgDeployRow, mark: ChangelineMark | undefined): HistoryDeployment {
  const d: HistoryDeployment = { id: r.id, status: r.status, checkOnly: r.checkOnly, source: mark ? 'changeline' : 'out-of-band' };
  const optional: Partial<HistoryDeployment> = {
    startDate: r.startDate,
    completedDate: r.completedDate,
    createdDate: r.createdDate,
    createdByName: r.createdByName,
    type: r.type,
    stateDetail: r.stateDetail,
    componentsTotal: r.numberComponentsTotal,
    componentsDeployed: r.numberComponentsDeployed,
    componentErrors: r.numberComponentErrors,
    testsTotal: r.numberTestsTotal,
    testsCompleted: r.numberTestsCompleted,
    testErrors: r.numberTestErrors,
    errorMessage: r.errorMessage,
    message: mark?.message,
    crNumbers: mark?.crNumbers?.length ? [...mark.crNumbers] : undefined,
    mark: mark ? dropUndefined({ label: mark.label, env: mark.env, recordId: mark.recordId, packageFileId: mark.packageFileId }) : undefined,
    revertOf: mark?.revert && deployIdKey(mark.revert.id) === deployIdKey(r.id) ? mark.revert.of : undefined,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (d as unknown as Record<string, unknown>)[k] = v;
  return d;
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

/** When the deployment was made (created, else started, else completed), epoch ms; NaN when unknown. */
function madeAt(d: Pick<HistoryDeployment, 'createdDate' | 'startDate' | 'completedDate'>): number {
  return Date.parse(d.createdDate ?? d.startDate ?? d.completedDate ?? '');
}

/** Newest first by when it was made; undated ones last, in their order. */
export function newestFirst<T extends Pick<HistoryDeployment, 'createdDate' | 'startDate' | 'completedDate'>>(list: readonly T[]): T[] {
  return list
    .map((d, i) => ({ d, i, t: madeAt(d) }))
    .sort((a, b) => {
      const an = Number.isNaN(a.t);
      const bn = Number.isNaN(b.t);
      if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1;
      return a.t === b.t ? a.i - b.i : b.t - a.t;
    })
    .map((x) => x.d);
}

/** The components of a deploy result as the history keeps them: successes with their state, failures as Failed. */
export function deployedComponents(successes: readonly ComponentOutcome[], failures: readonly ComponentFailure[]): DeployedComponent[] {
  const out: DeployedComponent[] = [];
  const seen = new Set<string>();
  for (const s of successes) {
    const k = `${s.type}:${s.fullName}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ type: s.type, fullName: s.fullName, state: s.state });
  }
  for (const f of failures) {
    const k = `${f.type}:${f.fullName}`;
    if (!f.type || seen.has(k) || f.problemType === 'Warning') continue;
    seen.add(k);
    out.push({ type: f.type, fullName: f.fullName, state: 'Failed' });
  }
  return out;
}
