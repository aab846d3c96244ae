/**
 * Running a planned back-deploy: the selected components become ONE deployment record in the
 * lower environment's org (source: the upper environment, target: the lower one, no change
 * request; it brings down what was deployed above already, so it starts approved), its package
 * retrieved from the upper environment (deletions as destructive changes), then validated or
 * deployed through the deploy path (progress, cancel, the overwrite check, results on the record).
 * The record is the back-deploy's log entry and the lower environment's "last sync".
 */
import { netSelection, type NetDifferences } from '../../core/back-deploy';
import { componentKey, describeDeployment, plural } from '../../core/promotion/history';
import { deploymentLabel, type DeploymentRecord } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import { retrievePackage } from '../deploy/records';
import { deployRecord, validateRecord, type ReleaseOptions, type ReleaseResult } from '../deploy/release';
import { DeployError } from '../deploy/run';
import type { WorkflowDeps } from '../types';
import type { BackDeployPlan } from './plan';

export interface BackDeployRequest {
  plan: Pick<BackDeployPlan, 'lower' | 'upper' | 'deployments' | 'net' | 'recordsProblem'>;
  pipeline: Pipeline;
  /** Validate only (check-only deploy); the record stays approved, to deploy later. */
  validate?: boolean;
}

export interface BackDeployResult extends ReleaseResult {
  /** The deployment record in the lower environment's org. */
  record: DeploymentRecord;
}

const now = () => new Date().toISOString();

/** The record a back-deploy of the selected net differences is kept as (not yet saved). */
export function backDeployRecord(net: NetDifferences, plan: BackDeployRequest['plan'], userId: string, testLevel?: DeploymentRecord['testLevel']): DeploymentRecord {
  const sel = netSelection(net);
  if (!sel.ok) throw new DeployError(sel.reason, 'refused');
  return {
    crId: '',
    sourceEnvironment: plan.upper,
    targetEnvironment: plan.lower,
    components: [...sel.deploy, ...sel.delete],
    runTests: [],
    approvers: [],
    status: 'Approved',
    createdBy: userId,
    ...(testLevel ? { testLevel } : {}),
    backDeploy: {
      deployments: plan.deployments.map((d) => ({
        id: d.id,
        ...(d.completedDate ?? d.startDate ? { at: d.completedDate ?? d.startDate } : {}),
        ...(d.createdByName ? { by: d.createdByName } : {}),
        ...(d.message ? { message: d.message } : {}),
      })),
      deletions: sel.delete,
      identical: net.identical,
      deselected: net.items.filter((i) => !i.selected).map((i) => i.component),
    },
  };
}

/**
 * Creates the back-deploy record in the lower org, retrieves its package from the upper one, and
 * validates or deploys it. Rejects with DeployError (kind `refused`) when nothing is selected or
 * the lower org cannot keep the record; a failed or canceled deploy resolves with its outcome.
 */
export async function runBackDeploy(deps: WorkflowDeps, req: BackDeployRequest, opts: ReleaseOptions & { pollMs?: number } = {}): Promise<BackDeployResult> {
  const { plan, pipeline } = req;
  if (plan.recordsProblem) throw new DeployError(plan.recordsProblem, 'refused');
  const target = pipeline.environments.find((e) => e.name === plan.lower);
  if (!target) throw new DeployError(`${plan.lower} is not an environment of the pipeline.`, 'refused');
  if (!pipeline.environments.some((e) => e.name === plan.upper)) throw new DeployError(`${plan.upper} is not an environment of the pipeline.`, 'refused');
  const sf = await deps.salesforce();
  const lower = await deps.sessions.get(plan.lower);
  const draft = backDeployRecord(plan.net, plan, lower.userId, target.testLevel);
  opts.onProgress?.({ message: `Recording the back-deploy of ${plural(draft.components.length, 'component')} from ${plan.upper} in ${plan.lower}…`, percent: 0 });
  const created = await sf.createDeployment(lower.handle, draft);
  await sf.appendDeploymentHistoryEntries(lower.handle, created.id!, [
    {
      action: 'created',
      actorId: lower.userId,
      at: now(),
      details: {
        backDeploy: true,
        source: plan.upper,
        target: plan.lower,
        deployments: plan.deployments.map((d) => d.id),
        deselected: plan.net.items.filter((i) => !i.selected).map((i) => componentKey(i.component)),
      },
    },
  ]);
  deps.log.info(
    `Created ${deploymentLabel(created)} in ${plan.lower}: back-deploy of ${plural(draft.components.length, 'component')} from ${plan.upper} (${plan.deployments.map((d) => describeDeployment(d)).join('; ')}).`,
  );
  const pkg = await retrievePackage(deps, plan.lower, created.id!, { signal: opts.signal, onProgress: opts.onProgress, pollMs: opts.pollMs });
  if (!pkg.ok) throw new DeployError(`${deploymentLabel(created)}: ${pkg.reason}`, 'refused');
  const release = req.validate ? validateRecord : deployRecord;
  return release(deps, { env: plan.lower, ref: pkg.result.record, pipeline }, opts);
}
