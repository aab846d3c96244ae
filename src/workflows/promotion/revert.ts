/**
 * Revert the latest deployment to an environment — a deployment record's deploy or a deploy from
 * the environment's deployment queue, both through one path (a small adapter says where each keeps
 * its deploy, snapshot, package and revert): per component,
 * Override (restore the version of the snapshot taken before the deploy) or Delete (the deploy
 * created it), with a drift check — a component changed in the target since the deploy, by anyone
 * (the target's listing, as the overwrite check reads it), is flagged and needs an explicit
 * choice. A later deployment to the target that touched the same components (Changeline's or out
 * of band: the target's DeployRequest history) blocks it. Only the target's release managers may
 * revert (where its change tracking has the permission set). The revert is itself a deployment
 * (progress, cancel, the org's deploy log) and is recorded on the original record or queue entry,
 * which becomes Reverted; its package cannot be deployed again as is.
 */
import { componentKey, type ComponentRef } from '../../core/metadata-types';
import { deploymentLabel, resolveTestLevel, type DeploymentRecord, type RevertFact, type RevertStart, type TestLevel } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import { deployIdKey } from '../../core/promotion/org-history';
import { canManageReleases, entryDeploy, entryLabel, finishEntryRevert, RELEASE_MANAGER_PERMISSION_SET, startEntryRevert, type QueueEntry } from '../../core/promotion/queue';
import {
  deploymentTime,
  landed,
  packageFingerprint,
  planRevert,
  revertSelection,
  type DeployedComponent,
  type HistoryRow,
  type OrgDeployment,
  type RevertChoice,
  type RevertPlan,
  type RevertSelection,
} from '../../core/promotion';
import type { DeployResult } from '../../core/metadata-types';
import type { SnapshotManifest } from '../../salesforce/metadata/snapshot-package';
import type { StoredQueueEntry } from '../../salesforce/tracking/queue-entries';
import type { RunOptions, WorkflowDeps } from '../types';
import { checkOverwrites, type OverwriteFlag } from '../deploy/overwrite';
import { loadPackage, recordResult, type DeploymentRef } from '../deploy/records';
import { DeployError, runDeploy, type DeployOutcome, type DeployRunOptions } from '../deploy/run';
import { readDeploymentDetails, readOrgHistory, recordHolders } from './history';
import { findEntry, writeEntry, type EntryRef } from './queue';

export interface RevertRequest {
  /** The environment whose org holds the record (the source of the deployment). */
  env: string;
  ref: DeploymentRef;
  pipeline: Pipeline;
}

export interface QueueRevertRequest {
  /** The environment the entry was deployed to (its queue and the entry are kept in its org). */
  env: string;
  entry: EntryRef;
  pipeline: Pipeline;
}

/** A revert of a deployment record's deploy, or of a queue entry's. */
export type AnyRevertRequest = RevertRequest | QueueRevertRequest;

/**
 * A Changeline deployment that can be reverted, whichever way it came: what the revert reads of
 * it. `record` or `entry` is the thing itself.
 */
export interface RevertableDeployment {
  kind: 'record' | 'queue-entry';
  /** `DEP-00042` or `Q-00003 “Add greeting”`. */
  label: string;
  /** The environment whose org keeps it: a record's source, a queue entry's target. */
  env: string;
  targetEnv: string;
  id?: string;
  number?: string;
  status: string;
  /** Its deploy to the target. */
  deploy?: { id: string; status: string; startedAt: string; completedAt?: string };
  snapshotFileId?: string;
  revert?: RevertFact;
  testLevel?: TestLevel;
  runTests?: string[];
  /** The deployed package's content fingerprint (kept on the revert, so it is not deployed again as is). */
  fingerprint?: string;
  record?: DeploymentRecord;
  entry?: StoredQueueEntry;
}

export interface DriftNote {
  component: ComponentRef;
  /** When the target's version was changed after the deploy, and by whom when the org says. */
  at?: string;
  by?: string;
}

export interface RevertPreview {
  /** The environment whose org keeps the deployment. */
  env: string;
  deployment: RevertableDeployment;
  targetEnv: string;
  /** What to do per component, whether it can be done at all, and why not. */
  plan: RevertPlan;
  /** Who changed the drifted components since the deploy, and when, by `componentKey`. */
  drift: Map<string, DriftNote>;
  /** The later deployments to the target that were read (newest first). */
  later: HistoryRow[];
}

export interface RevertRunOptions extends DeployRunOptions {
  /** The choice for drifted components (by `componentKey`), or for any component to skip it. */
  choices?: ReadonlyMap<string, RevertChoice>;
  /**
   * Shown the plan before anything is sent (when it can be done): resolves with the choices (they
   * replace `choices`), or undefined to stop with nothing sent.
   */
  choose?(preview: RevertPreview): Promise<ReadonlyMap<string, RevertChoice> | undefined> | ReadonlyMap<string, RevertChoice> | undefined;
}

export interface RevertResult {
  /** The deployment as recorded after the revert (Reverted when it succeeded). */
  deployment: RevertableDeployment;
  outcome: DeployOutcome;
  selection: Extract<RevertSelection, { ok: true }>;
  preview: RevertPreview;
}

/** The revert could not run: refused by the rules (nothing sent), or the user chose not to. */
export class RevertRefused extends DeployError {
  constructor(
    message: string,
    readonly preview?: RevertPreview,
  ) {
    super(message, 'refused');
  }
}

const DAY = 86_400_000;

/** A deployment loaded for its revert: what it is, its package, and how the revert is written on it. */
interface Loaded {
  d: RevertableDeployment;
  zip: Uint8Array;
  started(start: RevertStart): Promise<string | undefined>;
  finished(result: DeployResult): Promise<RevertableDeployment | { reason: string }>;
}

function ofRecord(env: string, record: DeploymentRecord): RevertableDeployment {
  return {
    kind: 'record',
    label: deploymentLabel(record),
    env,
    targetEnv: record.targetEnvironment,
    ...(record.id ? { id: record.id } : {}),
    ...(record.number ? { number: record.number } : {}),
    status: record.status,
    ...(record.deploy ? { deploy: { id: record.deploy.id, status: record.deploy.status, startedAt: record.deploy.startedAt, ...(record.deploy.completedAt ? { completedAt: record.deploy.completedAt } : {}) } } : {}),
    ...(record.snapshot ? { snapshotFileId: record.snapshot.fileId } : {}),
    ...(record.revert ? { revert: record.revert } : {}),
    ...(record.testLevel ? { testLevel: record.testLevel } : {}),
    ...(record.runTests ? { runTests: record.runTests } : {}),
    ...(record.package?.digests ? { fingerprint: packageFingerprint(record.package.digests) } : {}),
    record,
  };
}

function ofEntry(entry: StoredQueueEntry): RevertableDeployment {
  const deploy = entry.status === 'Deployed' || entry.status === 'Reverted' ? entryDeploy(entry) : undefined;
  return {
    kind: 'queue-entry',
    label: entryLabel(entry),
    env: entry.target,
    targetEnv: entry.target,
    ...(entry.id ? { id: entry.id } : {}),
    ...(entry.number ? { number: entry.number } : {}),
    status: entry.status,
    ...(deploy ? { deploy } : {}),
    ...(entry.snapshot ? { snapshotFileId: entry.snapshot.fileId } : {}),
    ...(entry.revert ? { revert: entry.revert } : {}),
    ...(entry.digests && Object.keys(entry.digests).length ? { fingerprint: packageFingerprint(entry.digests) } : {}),
    entry,
  };
}

async function loadRecord(deps: WorkflowDeps, env: string, ref: DeploymentRef): Promise<Loaded> {
  const { record, zip } = await loadPackage(deps, env, ref);
  return {
    d: ofRecord(env, record),
    zip,
    started: async (start) => {
      const r = await recordResult(deps, env, record.id!, { kind: 'revert-started', start });
      return r.ok ? undefined : r.reason;
    },
    finished: async (result) => {
      const r = await recordResult(deps, env, record.id!, { kind: 'revert-finished', result });
      return r.ok ? ofRecord(env, r.record) : { reason: r.reason };
    },
  };
}

async function loadEntry(deps: WorkflowDeps, env: string, ref: EntryRef): Promise<Loaded> {
  const sf = await deps.salesforce();
  const { handle } = await deps.sessions.get(env);
  const entries = await sf.listQueueEntries(handle);
  const entry = typeof ref === 'string' ? findEntry({ entries }, ref) : entries.find((e) => e.id === ref.id);
  if (!entry) throw new RevertRefused(`There is no entry ${typeof ref === 'string' ? ref : entryLabel(ref)} in ${env}'s deployment queue. Refresh the queue.`);
  if (!entry.packageFileId) throw new RevertRefused(`${entryLabel(entry)} has no package in ${env}, so there is nothing to revert.`);
  const zip = await sf.readStoredPackage(handle, entry.packageFileId);
  let current = entry;
  const apply = async (next: { ok: true; entry: QueueEntry } | { ok: false; reason: string }): Promise<string | undefined> => {
    if (!next.ok) return next.reason;
    const w = await writeEntry(deps, env, current, next.entry);
    if (!w.ok) return w.reason;
    current = w.entry;
    return undefined;
  };
  return {
    d: ofEntry(entry),
    zip,
    started: async (start) => {
      // Read again: the entry may have been written since (the snapshot, the deploy's result).
      current = await sf.getQueueEntry(handle, entry.id!);
      return apply(startEntryRevert(current, start));
    },
    finished: async (result) => {
      const reason = await apply(finishEntryRevert(current, result, new Date().toISOString()));
      return reason ? { reason } : ofEntry(current);
    },
  };
}

function load(deps: WorkflowDeps, req: AnyRevertRequest): Promise<Loaded> {
  return 'entry' in req ? loadEntry(deps, req.env, req.entry) : loadRecord(deps, req.env, req.ref);
}

/** The deploy as a deployment of the target's history, its components from the snapshot. */
function asDeployment(d: RevertableDeployment, manifest: SnapshotManifest): OrgDeployment & { reverted?: { deploymentId?: string; at?: string; by?: string } } {
  const deploy = d.deploy!;
  const components: DeployedComponent[] = [
    ...manifest.existed.map((c) => ({ type: c.type, fullName: c.fullName, state: 'Changed' as const })),
    ...(manifest.unreadable ?? []).filter((c) => c.type).map((c) => ({ type: c.type, fullName: c.fullName, state: 'Changed' as const })),
    ...manifest.absent.map((c) => ({ type: c.type, fullName: c.fullName, state: 'Created' as const })),
  ];
  const reverted = d.status === 'Reverted' ? { deploymentId: d.revert?.id, at: d.revert?.completedAt, by: d.revert?.byName } : undefined;
  return {
    id: deploy.id,
    status: deploy.status as OrgDeployment['status'],
    checkOnly: false,
    startDate: deploy.startedAt,
    completedDate: deploy.completedAt,
    components,
    source: 'changeline',
    ...(reverted ? { reverted } : {}),
  };
}

/**
 * Landed deployments to the target after the deploy (Changeline's and out of band, from the
 * environment's deployment history), with their components from the org's deploy details.
 */
async function laterDeployments(deps: WorkflowDeps, d: RevertableDeployment, pipeline: Pipeline, signal?: AbortSignal): Promise<HistoryRow[]> {
  const targetEnv = d.targetEnv;
  const since = Date.parse(d.deploy!.completedAt ?? d.deploy!.startedAt);
  const days = Math.max(1, Math.ceil((Date.now() - since) / DAY) + 1);
  const history = await readOrgHistory(deps, targetEnv, { days, limit: 2000, recordsFrom: recordHolders(pipeline, targetEnv), signal });
  const mine = deployIdKey(d.deploy!.id);
  const later = history.deployments.filter((h) => deployIdKey(h.id) !== mine && landed(h) && deploymentTime(h) > since);
  for (const h of later) {
    try {
      h.components = (await readDeploymentDetails(deps, targetEnv, h.id, { signal })).components;
    } catch (e) {
      deps.log.warn(`Reading the components of deploy ${h.id} in ${targetEnv}: ${(e as Error).message}`);
    }
  }
  return later;
}

function notRevertable(d: RevertableDeployment): string | undefined {
  const deployed = d.kind === 'record' ? ['Deployed', 'Completed', 'Reverted'] : ['Deployed', 'Reverted'];
  if (!deployed.includes(d.status)) return `${d.label} is ${d.status}: only a deployed deployment can be reverted.`;
  if (!d.deploy?.completedAt) return `${d.label} has no finished deploy recorded, so there is nothing to revert.`;
  if (!d.snapshotFileId) return `${d.label} was deployed without a snapshot of ${d.targetEnv} (before Changeline kept one), so its earlier versions are not known and it cannot be reverted. Deploy the versions you want from another environment instead.`;
  return undefined;
}

async function plan(deps: WorkflowDeps, loaded: Loaded, pipeline: Pipeline, opts: RunOptions): Promise<RevertPreview & { snapshotZip: Uint8Array }> {
  const sf = await deps.salesforce();
  const report = opts.onProgress ?? (() => undefined);
  const { d, zip } = loaded;
  const refusal = notRevertable(d);
  const targetEnv = d.targetEnv;
  if (refusal) throw new RevertRefused(refusal);
  if (!pipeline.environments.some((e) => e.name === targetEnv)) throw new RevertRefused(`${targetEnv} is no longer an environment of the pipeline; the deployment cannot be reverted from here.`);
  const holder = await deps.sessions.get(d.env);
  report({ message: `Reading the snapshot of ${targetEnv} taken before the deploy…` });
  const snapshotZip = await sf.readStoredPackage(holder.handle, d.snapshotFileId!);
  const manifest = sf.readSnapshotManifest(snapshotZip);
  report({ message: `Reading ${targetEnv}'s deployments since ${d.deploy!.completedAt}…` });
  const later = await laterDeployments(deps, d, pipeline, opts.signal);
  // Drift: a component changed in the target after the deploy ended (the deploy itself changed them up to then).
  const check = await checkOverwrites(deps, { targetEnv, zip, retrievedAt: d.deploy!.completedAt!, strictlyAfter: true }, { signal: opts.signal, onProgress: opts.onProgress });
  const flagged = new Map<string, OverwriteFlag>(check.flagged.map((f) => [componentKey(f.component), f]));
  const gone = new Set(check.newInTarget.map(componentKey));
  const snapshot = new Map<string, string | undefined>();
  for (const c of manifest.existed) snapshot.set(componentKey(c), 'before');
  for (const c of manifest.absent) snapshot.set(componentKey(c), undefined);
  const deployment = asDeployment(d, manifest);
  const afterDeploy = new Map<string, string | undefined>();
  const current = new Map<string, string | undefined>();
  const drift = new Map<string, DriftNote>();
  for (const c of deployment.components!) {
    const k = componentKey(c);
    afterDeploy.set(k, 'deployed');
    const f = flagged.get(k);
    current.set(k, gone.has(k) ? undefined : f ? `changed ${f.lastModifiedDate}` : 'deployed');
    if (f) drift.set(k, { component: { type: c.type, fullName: c.fullName }, at: f.lastModifiedDate, ...(f.lastModifiedByName ? { by: f.lastModifiedByName } : {}) });
    else if (gone.has(k)) drift.set(k, { component: { type: c.type, fullName: c.fullName } });
  }
  const p = planRevert({ environment: targetEnv, deployment, snapshot, afterDeploy, current, history: later });
  return { env: d.env, deployment: d, targetEnv, plan: p, drift, later, snapshotZip };
}

/**
 * Reads what a revert of the deploy (a record's or a queue entry's) would do: per component
 * Override or Delete, drift since the deploy, and whether a later deployment blocks it. Sends nothing.
 */
export async function planDeploymentRevert(deps: WorkflowDeps, req: AnyRevertRequest, opts: RunOptions = {}): Promise<RevertPreview & { snapshotZip: Uint8Array }> {
  (opts.onProgress ?? (() => undefined))({ message: 'Reading the deployment…' });
  return plan(deps, await load(deps, req), req.pipeline, opts);
}

/** `planDeploymentRevert` of a deployment record. */
export const planRecordRevert = (deps: WorkflowDeps, req: RevertRequest, opts: RunOptions = {}) => planDeploymentRevert(deps, req, opts);

/**
 * Reverts the deploy (a record's or a queue entry's): plans it, applies the choices (a drifted
 * component without one refuses, nothing sent), deploys the snapshot's versions and deletes what
 * the deploy created, in one deployment followed to its end (progress, cancel), and records it on
 * the record or entry.
 */
export async function revertDeploymentOf(deps: WorkflowDeps, req: AnyRevertRequest, opts: RevertRunOptions = {}): Promise<RevertResult> {
  (opts.onProgress ?? (() => undefined))({ message: 'Reading the deployment…' });
  const loaded = await load(deps, req);
  const { snapshotZip, ...preview } = await plan(deps, loaded, req.pipeline, { signal: opts.signal, onProgress: opts.onProgress });
  const { deployment: d, targetEnv, plan: p } = preview;
  if (!p.verdict.ok) throw new RevertRefused(p.verdict.reason, preview);
  for (const w of p.warnings) deps.log.warn(w);
  await checkReleaseManager(deps, targetEnv, preview);
  const choices = opts.choose ? await opts.choose(preview) : (opts.choices ?? new Map<string, RevertChoice>());
  if (!choices) throw new RevertRefused(`The revert of ${d.label} was not started; nothing was sent to ${targetEnv}.`, preview);
  const selection = revertSelection(p, choices);
  if (!selection.ok) throw new RevertRefused(selection.reason, preview);
  const sf = await deps.salesforce();
  const zip = sf.buildRevertPackage(snapshotZip, selection.override, selection.delete);
  const target = req.pipeline.environments.find((e) => e.name === targetEnv)!;
  const level = resolveTestLevel(d.testLevel, target, [...selection.override, ...selection.delete]).level;
  const runTests = level === 'RunSpecifiedTests' ? d.runTests : undefined;
  // Who reverts, as a user of the org that keeps the deployment (where the revert is recorded).
  const reverter = await deps.sessions.get(d.env);
  let started: Promise<unknown> = Promise.resolve();
  const onStarted = (id: string) => {
    started = loaded
      .started({
        id,
        startedAt: new Date().toISOString(),
        by: reverter.userId,
        byName: reverter.userFullName,
        revertOf: d.deploy!.id,
        overridden: selection.override.length,
        deleted: selection.delete.length,
        skipped: selection.skipped.length,
        ...(d.fingerprint ? { packageFingerprint: d.fingerprint } : {}),
      })
      .then((reason) => {
        if (reason) deps.log.warn(`Recording the start of revert ${id} on ${d.label}: ${reason}`);
      });
    opts.onStarted?.(id);
  };
  deps.log.info(`Reverting ${d.label} in ${targetEnv}: ${selection.override.length} to restore, ${selection.delete.length} to delete, ${selection.skipped.length} skipped.`);
  const outcome = await runDeploy(deps, { targetEnv, zip, testLevel: level, runTests, destructive: { post: selection.delete } }, { ...opts, onStarted });
  await started;
  const finished = await loaded.finished(outcome.result);
  if ('reason' in finished) {
    deps.log.warn(`Recording the result of revert ${outcome.result.id}: ${finished.reason}`);
    return { deployment: d, outcome, selection, preview };
  }
  return { deployment: finished, outcome, selection, preview };
}

/** `revertDeploymentOf` of a deployment record: the result names the record as recorded. */
export async function revertRecord(deps: WorkflowDeps, req: RevertRequest, opts: RevertRunOptions = {}): Promise<RevertResult & { record: DeploymentRecord }> {
  const r = await revertDeploymentOf(deps, req, opts);
  return { ...r, record: r.deployment.record! };
}

/** `revertDeploymentOf` of a queue entry: the result names the entry as recorded. */
export async function revertQueueEntry(deps: WorkflowDeps, req: QueueRevertRequest, opts: RevertRunOptions = {}): Promise<RevertResult & { entry: StoredQueueEntry }> {
  const r = await revertDeploymentOf(deps, req, opts);
  return { ...r, entry: r.deployment.entry! };
}

/**
 * Only release managers of the target (holders of its Changeline release-manager permission set)
 * may revert there. A target without the permission set (change tracking not installed there, or
 * older than schema 5) does not restrict it; the log says so.
 */
async function checkReleaseManager(deps: WorkflowDeps, targetEnv: string, preview: RevertPreview): Promise<void> {
  const sf = await deps.salesforce();
  const s = await deps.sessions.get(targetEnv);
  const rm = await sf.releaseManagers(s.handle);
  if (!rm.permissionSetExists) {
    deps.log.info(`${targetEnv} has no ${RELEASE_MANAGER_PERMISSION_SET.label} permission set (change tracking schema 5 is not installed there), so reverting there is not limited to release managers.`);
    return;
  }
  const mine = rm.holders.some((h) => h.id.slice(0, 15) === s.userId.slice(0, 15));
  const v = canManageReleases({ releaseManager: mine }, targetEnv, rm.holders.map((h) => h.name), 'revert deployments');
  if (!v.ok) throw new RevertRefused(v.reason, preview);
}

/** The latest Changeline deployment to an environment: a deployment record's deploy or a queue entry's. */
export type FoundDeployment = { env: string; deployment: RevertableDeployment } & ({ record: DeploymentRecord; entry?: undefined } | { entry: StoredQueueEntry; record?: undefined });

/** The revert request of a found deployment. */
export function revertRequestOf(found: FoundDeployment, pipeline: Pipeline): AnyRevertRequest {
  return found.entry ? { env: found.env, entry: found.entry, pipeline } : { env: found.env, ref: found.record!, pipeline };
}

/**
 * The latest Changeline deployment to `targetEnv` — among the deployed records of the environments
 * that deploy to it and its own (a back-deploy's), and the deployed entries of its deployment
 * queue — or the one named (record id or number, queue entry id or number, or its deploy id): what
 * `revert --env` and Revert Latest Deployment… on an environment revert.
 */
export async function findLatestDeployment(deps: WorkflowDeps, targetEnv: string, pipeline: Pipeline, named?: string): Promise<FoundDeployment> {
  if (!pipeline.environments.some((e) => e.name === targetEnv)) {
    throw new RevertRefused(`"${targetEnv}" is not an environment of the pipeline (${pipeline.environments.map((e) => e.name).join(', ')}).`);
  }
  const sf = await deps.salesforce();
  const found: FoundDeployment[] = [];
  // The environments that deploy to it keep their records; a back-deploy's record is kept in the target itself.
  for (const holder of [targetEnv, ...recordHolders(pipeline, targetEnv).filter((h) => h !== targetEnv)]) {
    let handle;
    try {
      handle = (await deps.sessions.get(holder)).handle;
    } catch (err) {
      deps.log.info(`Deployments to ${targetEnv} from ${holder} not read: ${(err as Error).message}`);
      continue;
    }
    const page = await sf.listDeployments(handle, { statuses: ['Deployed', 'Completed', 'Reverted'], pageSize: 200 }).catch((err: unknown) => {
      deps.log.info(`Deployments of ${holder} not read: ${(err as Error).message}`);
      return { items: [] as DeploymentRecord[] };
    });
    for (const r of page.items) if (r.targetEnvironment === targetEnv) found.push({ env: holder, record: r, deployment: ofRecord(holder, r) });
    // The deploys from the target's own deployment queue (its entries are kept in its org).
    if (holder === targetEnv) {
      const entries = await sf.listQueueEntries(handle).catch((err: unknown) => {
        deps.log.info(`${targetEnv}'s deployment queue not read: ${(err as Error).message}`);
        return [] as StoredQueueEntry[];
      });
      for (const e of entries) if ((e.status === 'Deployed' || e.status === 'Reverted') && e.target === targetEnv) found.push({ env: targetEnv, entry: e, deployment: ofEntry(e) });
    }
  }
  if (named) {
    const key = named.trim().toLowerCase();
    const same = (a: string | undefined) => !!a && (a.toLowerCase() === key || (a.length >= 15 && key.length >= 15 && a.slice(0, 15) === named.trim().slice(0, 15)));
    const hit = found.find(({ deployment: d }) => same(d.id) || same(d.number) || same(d.deploy?.id));
    if (!hit) throw new RevertRefused(`No deployed deployment "${named}" to ${targetEnv} was found in the records of the environments that deploy to it or in ${targetEnv}'s deployment queue.`);
    return hit;
  }
  const at = (d: RevertableDeployment) => Date.parse(d.deploy?.completedAt ?? d.deploy?.startedAt ?? '') || 0;
  found.sort((a, b) => at(b.deployment) - at(a.deployment));
  if (found.length === 0) throw new RevertRefused(`No Changeline deployment to ${targetEnv} was found: there is nothing to revert.`);
  return found[0];
}
