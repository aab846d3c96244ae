/**
 * Releasing a deployment record: its package (kept with the record in the org) validated, deployed
 * or quick-deployed in the record's target, each run written to the record as it starts (the
 * deploy id, so a reload can follow it) and as it ends (the result). The record lives in the
 * source environment's org (`env`), next to its change request. The editor and the CLI call these.
 */
import { actionState, deploymentLabel, resolveTestLevel, type ComponentRef, type DeploymentAction, type DeploymentRecord } from '../../core/deployments';
import { canRedeploy, packageFingerprint, type RevertedDeployment } from '../../core/promotion/revert';
import type { Environment, Pipeline } from '../../core/pipeline';
import type { PackageFileText } from '../../salesforce/metadata/package-contents';
import type { WorkflowDeps } from '../types';
import { loadPackage, recordResult, type DeploymentRef, type ResultFact } from './records';
import { checkOverwrites, type OverwriteFlag } from './overwrite';
import { startSnapshotRetrieve, takeSnapshot, type EarlyRetrieve } from './snapshot';
import { DeployError, quickDeploy, runDeploy, type DeployOutcome, type DeployRunOptions } from './run';
import { settleChangeRequests, type AfterDeployReport } from './after-deploy';
import type { SyncQuestions } from '../change-requests/sync';

export interface ReleaseOptions extends DeployRunOptions {
  /**
   * Components someone changed in the target after the package was retrieved: true overwrites
   * them (an explicit choice), false stops before anything is sent. Without it, such changes stop
   * the run (nobody's fix in the target is overwritten silently).
   */
  confirmOverwrites?(flags: readonly OverwriteFlag[], pkg: { files: readonly PackageFileText[] }): Promise<boolean> | boolean;
  /** After a successful deploy the CR is pushed to the target: who answers its questions (default: the deployed CR's fields win, no install). */
  syncQuestions?: SyncQuestions;
}

/** The run stopped before anything was sent: these target components changed after the retrieve. */
export class OverwriteRefused extends DeployError {
  constructor(readonly flags: readonly OverwriteFlag[]) {
    super(
      `${flags.length} component${flags.length === 1 ? '' : 's'} of the package changed in the target after the package was retrieved; nothing was sent. ${flags.map((f) => f.message.split('. Deploying')[0]).join(' ')}`,
      'refused',
    );
  }
}

export interface ReleaseRequest {
  /** The environment whose org holds the record (the CR's). */
  env: string;
  ref: DeploymentRef;
  pipeline: Pipeline;
}

export interface ReleaseResult {
  record: DeploymentRecord;
  outcome: DeployOutcome;
  /** After a successful deploy: the change requests marked in the target and the source. */
  afterDeploy?: AfterDeployReport;
  /** The package's text files as read for the run (absent when resumed), so the editor places problems without reading the package again. */
  files?: ReadonlyArray<{ path: string; text: string }>;
}

type Kind = 'validate' | 'deploy' | 'quickDeploy';

async function release(deps: WorkflowDeps, req: ReleaseRequest, kind: Kind, opts: ReleaseOptions): Promise<ReleaseResult> {
  const read = typeof req.ref === 'string' ? await (await deps.salesforce()).getDeployment((await deps.sessions.get(req.env)).handle, req.ref) : req.ref;
  const target = req.pipeline.environments.find((e) => e.name === read.targetEnvironment);
  if (!target) throw new DeployError(`${read.targetEnvironment} is no longer an environment of the pipeline; the record cannot be released.`, 'refused');
  const { userId } = await deps.sessions.get(req.env);
  const targetDeploys = kind === 'quickDeploy' ? await (await deps.salesforce()).recentDeployRequests((await deps.sessions.get(target.name)).handle) : undefined;
  const state = actionState(read, kind as DeploymentAction, { actor: { userId }, now: new Date(), target, targetDeploys });
  if (!state.allowed) throw new DeployError(state.reason ?? `${kind} is not allowed now.`, 'refused');
  // The snapshot's retrieve from the target starts now, while the package is read and checked.
  const early = kind !== 'validate' && read.package && read.components.length ? await startSnapshotRetrieve(deps, target.name, read.components, { signal: opts.signal, pollMs: opts.pollMs }) : undefined;
  try {
    return await releaseLoaded(deps, req, kind, opts, { read, target, userId, early });
  } finally {
    early?.cancel();
  }
}

async function releaseLoaded(
  deps: WorkflowDeps,
  req: ReleaseRequest,
  kind: Kind,
  opts: ReleaseOptions,
  { read, target, userId, early }: { read: DeploymentRecord; target: Environment; userId: string; early?: EarlyRetrieve },
): Promise<ReleaseResult> {
  const loaded = await loadPackage(deps, req.env, read, { contents: true });
  const { record, zip } = loaded;
  // A package whose deployment was reverted is not deployed again as is.
  if (kind !== 'validate' && record.package?.digests) await refuseReverted(deps, req.env, record);
  // The package read once, for the overwrite check, the deploy and its problems.
  const contents = loaded.contents ?? (await deps.salesforce()).readPackage({ zip });
  // Before anything is sent: what someone changed in the target since the package was retrieved.
  let listed: { types: string[]; components: ComponentRef[] } | undefined;
  if (record.package) {
    const report = await checkOverwrites(deps, { targetEnv: target.name, zip, contents, retrievedAt: record.package.retrievedAt }, { signal: opts.signal, onProgress: opts.onProgress });
    if (report.flagged.length > 0) {
      for (const f of report.flagged) deps.log.warn(f.message);
      // The package's files go with the question, so the editor can show each flagged component's diff.
      const go = opts.confirmOverwrites ? await opts.confirmOverwrites(report.flagged, { files: contents.files }) : false;
      if (!go) throw new OverwriteRefused(report.flagged);
      deps.log.info(`Overwriting ${report.flagged.length} changed component(s) in ${target.name}, as chosen.`);
    }
    listed = report.listing;
  }
  // The snapshot of the target's versions, kept with the record, that a revert restores.
  let current = record;
  if (kind !== 'validate') {
    current = await takeSnapshot(deps, { env: req.env, record, targetEnv: target.name, components: record.components, listed, early, pollMs: opts.pollMs }, { signal: opts.signal, onProgress: opts.onProgress });
  }
  const level = resolveTestLevel(record.testLevel, target, record.components).level;
  const runTests = level === 'RunSpecifiedTests' ? record.runTests : undefined;

  let started: Promise<unknown> = Promise.resolve();
  const onStarted = (id: string) => {
    const startedAt = new Date().toISOString();
    const fact: ResultFact =
      kind === 'validate'
        ? { kind: 'validation-started', start: { id, startedAt, by: userId, testLevel: level, runTests } }
        : { kind: 'deploy-started', start: { id, startedAt, by: userId, testLevel: level, runTests, quickDeployOf: kind === 'quickDeploy' ? record.validation?.id : undefined } };
    // Written as soon as the org gives the id: a reload in the middle finds the run on the record.
    started = recordResult(deps, req.env, current.id!, fact).then((r) => {
      if (!r.ok) deps.log.warn(`Recording the start of ${id} on the record: ${r.reason}`);
    });
    opts.onStarted?.(id);
  };
  const outcome =
    kind === 'quickDeploy'
      ? await quickDeploy(deps, { targetEnv: target.name, validationId: record.validation!.id, testLevel: level }, { ...opts, onStarted })
      : await runDeploy(deps, { targetEnv: target.name, zip, contents, checkOnly: kind === 'validate', testLevel: level, runTests }, { ...opts, onStarted });
  await started;
  const finished = await recordResult(deps, req.env, record.id!, kind === 'validate' ? { kind: 'validation-finished', result: outcome.result } : { kind: 'deploy-finished', result: outcome.result });
  if (!finished.ok) {
    deps.log.warn(`Recording the result of ${outcome.result.id}: ${finished.reason}`);
    return { record, outcome, files: contents.files };
  }
  if (finished.record.status !== 'Deployed') return { record: finished.record, outcome, files: contents.files };
  const afterDeploy = await settleChangeRequests(deps, { env: req.env, record: finished.record, pipeline: req.pipeline }, { questions: opts.syncQuestions, onProgress: opts.onProgress });
  return { record: finished.record, outcome, afterDeploy, files: contents.files };
}

/** Refuses deploying a package whose deployment (from this org's records) was reverted, unchanged. */
async function refuseReverted(deps: WorkflowDeps, env: string, record: DeploymentRecord): Promise<void> {
  const sf = await deps.salesforce();
  const { handle } = await deps.sessions.get(env);
  const page = await sf.listDeployments(handle, { statuses: ['Reverted'], pageSize: 200 });
  const reverted: RevertedDeployment[] = page.items
    .filter((d) => d.id !== record.id && d.targetEnvironment === record.targetEnvironment && d.revert)
    .map((d) => ({ packageId: d.revert!.packageFingerprint, deploymentId: d.deploy?.id ?? d.id!, environment: d.targetEnvironment, at: d.revert!.completedAt, by: d.revert!.byName }));
  const verdict = canRedeploy({ id: packageFingerprint(record.package!.digests!), name: `The package of ${deploymentLabel(record)}` }, reverted);
  if (!verdict.ok) throw new DeployError(verdict.reason, 'refused');
}

/** Check-only deploy of the record's package with its test level. */
export const validateRecord = (deps: WorkflowDeps, req: ReleaseRequest, opts: ReleaseOptions = {}) => release(deps, req, 'validate', opts);
/** Deploys the record's package with its test level. */
export const deployRecord = (deps: WorkflowDeps, req: ReleaseRequest, opts: ReleaseOptions = {}) => release(deps, req, 'deploy', opts);
/** Deploys the record's successful validation without running the tests again, while it is valid. */
export const quickDeployRecord = (deps: WorkflowDeps, req: ReleaseRequest, opts: ReleaseOptions = {}) => release(deps, req, 'quickDeploy', opts);
