/**
 * Revert the latest deployment to an environment (a deployment record's deploy): per component,
 * Override (restore the version of the snapshot taken before the deploy) or Delete (the deploy
 * created it), with a drift check — a component changed in the target since the deploy, by anyone
 * (the target's listing, as the overwrite check reads it), is flagged and needs an explicit
 * choice. A later deployment to the target that touched the same components (Changeline's or out
 * of band: the target's DeployRequest history) blocks it. Only the target's release managers may
 * revert (where its change tracking has the permission set). The revert is itself a deployment
 * (progress, cancel, the org's deploy log) and is recorded on the original record, which becomes
 * Reverted; its package cannot be deployed again as is.
 */
import { componentKey, type ComponentRef } from '../../core/metadata-types';
import { deploymentLabel, resolveTestLevel, type DeploymentRecord } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import { deployIdKey } from '../../core/promotion/org-history';
import { canManageReleases, RELEASE_MANAGER_PERMISSION_SET } from '../../core/promotion/queue';
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
import type { SnapshotManifest } from '../../salesforce/metadata/snapshot-package';
import type { RunOptions, WorkflowDeps } from '../types';
import { checkOverwrites, type OverwriteFlag } from '../deploy/overwrite';
import { loadPackage, recordResult, type DeploymentRef } from '../deploy/records';
import { DeployError, runDeploy, type DeployOutcome, type DeployRunOptions } from '../deploy/run';
import { readDeploymentDetails, readOrgHistory, recordHolders } from './history';

export interface RevertRequest {
  /** The environment whose org holds the record (the source of the deployment). */
  env: string;
  ref: DeploymentRef;
  pipeline: Pipeline;
}

export interface DriftNote {
  component: ComponentRef;
  /** When the target's version was changed after the deploy, and by whom when the org says. */
  at?: string;
  by?: string;
}

export interface RevertPreview {
  env: string;
  record: DeploymentRecord;
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
  record: DeploymentRecord;
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

/** The record's deploy as a deployment of the target's history, its components from the snapshot. */
function asDeployment(record: DeploymentRecord, manifest: SnapshotManifest): OrgDeployment & { reverted?: { deploymentId?: string; at?: string; by?: string } } {
  const d = record.deploy!;
  const components: DeployedComponent[] = [
    ...manifest.existed.map((c) => ({ type: c.type, fullName: c.fullName, state: 'Changed' as const })),
    ...(manifest.unreadable ?? []).filter((c) => c.type).map((c) => ({ type: c.type, fullName: c.fullName, state: 'Changed' as const })),
    ...manifest.absent.map((c) => ({ type: c.type, fullName: c.fullName, state: 'Created' as const })),
  ];
  const reverted = record.status === 'Reverted' ? { deploymentId: record.revert?.id, at: record.revert?.completedAt, by: record.revert?.byName } : undefined;
  return {
    id: d.id,
    status: d.status,
    checkOnly: false,
    startDate: d.startedAt,
    completedDate: d.completedAt,
    components,
    source: 'changeline',
    ...(reverted ? { reverted } : {}),
  };
}

/**
 * Landed deployments to the target after the record's deploy (Changeline's and out of band, from
 * the environment's deployment history), with their components from the org's deploy details.
 */
async function laterDeployments(deps: WorkflowDeps, targetEnv: string, record: DeploymentRecord, pipeline: Pipeline, signal?: AbortSignal): Promise<HistoryRow[]> {
  const since = Date.parse(record.deploy!.completedAt ?? record.deploy!.startedAt);
  const days = Math.max(1, Math.ceil((Date.now() - since) / DAY) + 1);
  const history = await readOrgHistory(deps, targetEnv, { days, limit: 2000, recordsFrom: recordHolders(pipeline, targetEnv), signal });
  const mine = deployIdKey(record.deploy!.id);
  const later = history.deployments.filter((d) => deployIdKey(d.id) !== mine && landed(d) && deploymentTime(d) > since);
  for (const d of later) {
    try {
      d.components = (await readDeploymentDetails(deps, targetEnv, d.id, { signal })).components;
    } catch (e) {
      deps.log.warn(`Reading the components of deploy ${d.id} in ${targetEnv}: ${(e as Error).message}`);
    }
  }
  return later;
}

function notRevertable(record: DeploymentRecord): string | undefined {
  const name = deploymentLabel(record);
  if (!['Deployed', 'Completed', 'Reverted'].includes(record.status)) return `${name} is ${record.status}: only a deployed deployment can be reverted.`;
  if (!record.deploy?.completedAt) return `${name} has no finished deploy recorded, so there is nothing to revert.`;
  if (!record.snapshot) return `${name} was deployed without a snapshot of ${record.targetEnvironment} (before Changeline kept one), so its earlier versions are not known and it cannot be reverted. Deploy the versions you want from another environment instead.`;
  return undefined;
}

/**
 * Reads what a revert of the record's deploy would do: per component Override or Delete, drift
 * since the deploy, and whether a later deployment blocks it. Sends nothing.
 */
export async function planRecordRevert(deps: WorkflowDeps, req: RevertRequest, opts: RunOptions = {}): Promise<RevertPreview & { snapshotZip: Uint8Array }> {
  const sf = await deps.salesforce();
  const report = opts.onProgress ?? (() => undefined);
  report({ message: 'Reading the deployment…' });
  const { record, zip } = await loadPackage(deps, req.env, req.ref);
  const refusal = notRevertable(record);
  const targetEnv = record.targetEnvironment;
  if (refusal) throw new RevertRefused(refusal);
  if (!req.pipeline.environments.some((e) => e.name === targetEnv)) throw new RevertRefused(`${targetEnv} is no longer an environment of the pipeline; the deployment cannot be reverted from here.`);
  const holder = await deps.sessions.get(req.env);
  report({ message: `Reading the snapshot of ${targetEnv} taken before the deploy…` });
  const snapshotZip = await sf.readStoredPackage(holder.handle, record.snapshot!.fileId);
  const manifest = sf.readSnapshotManifest(snapshotZip);
  report({ message: `Reading ${targetEnv}'s deployments since ${record.deploy!.completedAt}…` });
  const later = await laterDeployments(deps, targetEnv, record, req.pipeline, opts.signal);
  // Drift: a component changed in the target after the deploy ended (the deploy itself changed them up to then).
  const check = await checkOverwrites(deps, { targetEnv, zip, retrievedAt: record.deploy!.completedAt!, strictlyAfter: true }, { signal: opts.signal, onProgress: opts.onProgress });
  const flagged = new Map<string, OverwriteFlag>(check.flagged.map((f) => [componentKey(f.component), f]));
  const gone = new Set(check.newInTarget.map(componentKey));
  const snapshot = new Map<string, string | undefined>();
  for (const c of manifest.existed) snapshot.set(componentKey(c), 'before');
  for (const c of manifest.absent) snapshot.set(componentKey(c), undefined);
  const deployment = asDeployment(record, manifest);
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
  const plan = planRevert({ environment: targetEnv, deployment, snapshot, afterDeploy, current, history: later });
  return { env: req.env, record, targetEnv, plan, drift, later, snapshotZip };
}

/**
 * Reverts the record's deploy: plans it, applies the choices (a drifted component without one
 * refuses, nothing sent), deploys the snapshot's versions and deletes what the deploy created, in
 * one deployment followed to its end (progress, cancel), and records it on the record.
 */
export async function revertRecord(deps: WorkflowDeps, req: RevertRequest, opts: RevertRunOptions = {}): Promise<RevertResult> {
  const { snapshotZip, ...preview } = await planRecordRevert(deps, req, { signal: opts.signal, onProgress: opts.onProgress });
  const { record, targetEnv, plan } = preview;
  if (!plan.verdict.ok) throw new RevertRefused(plan.verdict.reason, preview);
  for (const w of plan.warnings) deps.log.warn(w);
  await checkReleaseManager(deps, targetEnv, preview);
  const choices = opts.choose ? await opts.choose(preview) : (opts.choices ?? new Map<string, RevertChoice>());
  if (!choices) throw new RevertRefused(`The revert of ${deploymentLabel(record)} was not started; nothing was sent to ${targetEnv}.`, preview);
  const selection = revertSelection(plan, choices);
  if (!selection.ok) throw new RevertRefused(selection.reason, preview);
  const sf = await deps.salesforce();
  const zip = sf.buildRevertPackage(snapshotZip, selection.override, selection.delete);
  const target = req.pipeline.environments.find((e) => e.name === targetEnv)!;
  const level = resolveTestLevel(record.testLevel, target, [...selection.override, ...selection.delete]).level;
  const runTests = level === 'RunSpecifiedTests' ? record.runTests : undefined;
  const holder = await deps.sessions.get(req.env);
  let started: Promise<unknown> = Promise.resolve();
  const onStarted = (id: string) => {
    started = recordResult(deps, req.env, record.id!, {
      kind: 'revert-started',
      start: {
        id,
        startedAt: new Date().toISOString(),
        by: holder.userId,
        byName: holder.userFullName,
        revertOf: record.deploy!.id,
        overridden: selection.override.length,
        deleted: selection.delete.length,
        skipped: selection.skipped.length,
        ...(record.package?.digests ? { packageFingerprint: packageFingerprint(record.package.digests) } : {}),
      },
    }).then((r) => {
      if (!r.ok) deps.log.warn(`Recording the start of revert ${id} on ${deploymentLabel(record)}: ${r.reason}`);
    });
    opts.onStarted?.(id);
  };
  deps.log.info(
    `Reverting ${deploymentLabel(record)} in ${targetEnv}: ${selection.override.length} to restore, ${selection.delete.length} to delete, ${selection.skipped.length} skipped.`,
  );
  const outcome = await runDeploy(deps, { targetEnv, zip, testLevel: level, runTests, destructive: { post: selection.delete } }, { ...opts, onStarted });
  await started;
  const finished = await recordResult(deps, req.env, record.id!, { kind: 'revert-finished', result: outcome.result });
  if (!finished.ok) {
    deps.log.warn(`Recording the result of revert ${outcome.result.id}: ${finished.reason}`);
    return { record, outcome, selection, preview };
  }
  return { record: finished.record, outcome, selection, preview };
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

/**
 * The latest deployed record to `targetEnv` among the records of the environments that deploy to
 * it and its own (a back-deploy's), or the one named (record id, number, or its deploy id): what
 * `revert --env` reverts.
 */
export async function findLatestDeployment(deps: WorkflowDeps, targetEnv: string, pipeline: Pipeline, named?: string): Promise<{ env: string; record: DeploymentRecord }> {
  if (!pipeline.environments.some((e) => e.name === targetEnv)) {
    throw new RevertRefused(`"${targetEnv}" is not an environment of the pipeline (${pipeline.environments.map((e) => e.name).join(', ')}).`);
  }
  const sf = await deps.salesforce();
  const found: Array<{ env: string; record: DeploymentRecord }> = [];
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
    for (const r of page.items) if (r.targetEnvironment === targetEnv) found.push({ env: holder, record: r });
  }
  if (named) {
    const hit = found.find(({ record: r }) => r.id === named || r.number === named || r.deploy?.id === named);
    if (!hit) throw new RevertRefused(`No deployed deployment "${named}" to ${targetEnv} was found in the records of the environments that deploy to it.`);
    return hit;
  }
  const at = (r: DeploymentRecord) => Date.parse(r.deploy?.completedAt ?? r.deploy?.startedAt ?? '') || 0;
  found.sort((a, b) => at(b.record) - at(a.record));
  if (found.length === 0) throw new RevertRefused(`No Changeline deployment to ${targetEnv} was found: there is nothing to revert.`);
  return found[0];
}
