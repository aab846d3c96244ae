/**
 * The actions of a deployment record the current user may take in its current state, each with
 * the reason when not (the deployment panel shows them as enabled buttons or as explanations).
 */
import type { Environment } from '../pipeline/types';
import { EDITABLE_STATUSES, READY_STATUSES, deploymentLabel, type DeploymentRecord } from './model';
import { formatWhen, type OrgDeployRow } from './org-deploys';
import { quickDeployEligibility } from './quick-deploy';
import { canDecideDeployment, validateDeploymentFields, type Actor, type Verdict } from './rules';
import { checkTestLevel, resolveTestLevel } from './test-level';

export const DEPLOYMENT_ACTIONS = [
  'edit',
  'submit',
  'withdraw',
  'approve',
  'reject',
  'retrieve',
  'checkDependencies',
  'addDependencies',
  'validate',
  'quickDeploy',
  'deploy',
  'cancel',
  'complete',
  'abandon',
  'revert',
] as const;
export type DeploymentAction = (typeof DEPLOYMENT_ACTIONS)[number];

export interface ActionState {
  action: DeploymentAction;
  allowed: boolean;
  /** Why not, and what to do (when not allowed). */
  reason?: string;
  /** Something to know before acting (when allowed), e.g. that a retrieve replaces the package. */
  note?: string;
}

export interface ActionContext {
  actor: Actor;
  now: Date;
  /** The target environment from the pipeline file (its role and default test level); test-level rules are checked when given. */
  target?: Environment;
  /** The target's deployment history (Tooling DeployRequest), to tell whether the validation was invalidated; undefined when not read. */
  targetDeploys?: readonly OrgDeployRow[];
  /** Whether the user may deploy to the target (e.g. a permission the org reports), when known. */
  deployPermission?: Verdict;
}

type State = Omit<ActionState, 'action'>;
const yes = (note?: string): State => (note ? { allowed: true, note } : { allowed: true });
const not = (reason: string): State => ({ allowed: false, reason });

/** Why a ready-only action (retrieve, validate, deploy...) cannot run in the record's status. */
function notReady(d: DeploymentRecord, what: string): string {
  const name = deploymentLabel(d);
  switch (d.status) {
    case 'Draft':
      return `Submit ${name} and have it approved before you ${what}.`;
    case 'Pending approval':
      return `${name} waits for approval; ${what} once it is approved.`;
    case 'Rejected':
      return `${name} was rejected; address the rejection and submit it again before you ${what}.`;
    case 'Deploying':
      return `${name} is being deployed${d.deploy ? ` (${d.deploy.id})` : ''}; wait for the deploy to finish or cancel it.`;
    case 'Deployed':
    case 'Completed':
      return `${name} is ${d.status} already.`;
    default:
      return `${name} is ${d.status}; create a new deployment from the change request.`;
  }
}

/** The running validation or deploy, as a refusal; undefined when nothing runs. */
function busy(d: DeploymentRecord): string | undefined {
  const name = deploymentLabel(d);
  if (d.status === 'Deploying') return `${name} is being deployed${d.deploy ? ` (${d.deploy.id})` : ''}; wait for the deploy to finish or cancel it.`;
  if (d.validation && !d.validation.completedAt) return `A validation of ${name} is running (${d.validation.id}); wait for it to finish or cancel it.`;
  return undefined;
}

/** The common gate of retrieve, check, validate and deploy: a ready status, nothing running, and (optionally) a package. */
function gate(d: DeploymentRecord, what: string, needs: { pkg?: boolean; permission?: Verdict }): string | undefined {
  if (!READY_STATUSES.includes(d.status)) return notReady(d, what);
  const running = busy(d);
  if (running) return running;
  if (needs.permission && !needs.permission.ok) return needs.permission.reason;
  if (needs.pkg && !d.package) return `Retrieve the package of ${deploymentLabel(d)} first (Retrieve Selected Customizations), then ${what}.`;
  return undefined;
}

function testLevelProblem(d: DeploymentRecord, ctx: ActionContext): string | undefined {
  if (!ctx.target) return undefined;
  const v = checkTestLevel({ testLevel: d.testLevel, runTests: d.runTests, target: ctx.target, components: d.components });
  return v.ok ? undefined : `${v.reason} Edit the test level of ${deploymentLabel(d)} first.`;
}

function stateOf(d: DeploymentRecord, action: DeploymentAction, ctx: ActionContext): State {
  const name = deploymentLabel(d);
  const permission = ctx.deployPermission;
  switch (action) {
    case 'edit': {
      if (!EDITABLE_STATUSES.includes(d.status)) return not(`${name} is ${d.status} and can no longer be edited.`);
      const running = busy(d);
      if (running) return not(running);
      return yes(READY_STATUSES.includes(d.status) ? `Changing the components or tests sends ${name} back for approval.` : undefined);
    }
    case 'submit': {
      if (d.status === 'Pending approval') return not(`${name} is submitted already and waits for its approvers.`);
      if (d.status !== 'Draft' && d.status !== 'Rejected') return not(`${name} is ${d.status}; only a draft or a rejected deployment is submitted for approval.`);
      const fields = validateDeploymentFields(d);
      if (!fields.ok) return not(fields.reason);
      const level = testLevelProblem(d, ctx);
      return level ? not(level) : yes();
    }
    case 'withdraw':
      if (d.status !== 'Pending approval') return not(`Only a deployment pending approval can be withdrawn; ${name} is ${d.status}.`);
      if (d.submittedBy && d.submittedBy !== ctx.actor.userId) return not(`Only the submitter can withdraw ${name} from approval; an approver can reject it instead.`);
      return yes();
    case 'approve':
    case 'reject': {
      if (d.status !== 'Pending approval') return not(`${name} is ${d.status}; only a deployment pending approval can be ${action === 'approve' ? 'approved' : 'rejected'}.`);
      const who = canDecideDeployment(d, ctx.actor);
      return who.ok ? yes(`Say why you ${action} it: the comment goes into the history.`) : not(who.reason);
    }
    case 'retrieve': {
      const g = gate(d, 'retrieve its package', {});
      if (g) return not(g);
      return yes(d.package ? `This replaces the package retrieved ${formatWhen(d.package.retrievedAt)}; its validation and dependency check no longer apply.` : undefined);
    }
    case 'checkDependencies': {
      const g = gate(d, 'check its dependencies', { pkg: true });
      return g ? not(g) : yes();
    }
    case 'addDependencies': {
      if (!EDITABLE_STATUSES.includes(d.status)) return not(`${name} is ${d.status} and can no longer take components.`);
      const running = busy(d);
      if (running) return not(running);
      if (!d.dependencyCheck) return not(`Check the dependencies of ${name} first; the missing ones can then be added.`);
      if (d.dependencyCheck.missing === 0) return not(`The last dependency check of ${name} found nothing missing.`);
      return yes(
        READY_STATUSES.includes(d.status)
          ? `Adds the missing components, retrieved from ${d.sourceEnvironment} into the package; what ${name} deploys changes, so it goes back for approval.`
          : undefined,
      );
    }
    case 'validate': {
      const g = gate(d, 'validate it', { pkg: true, permission }) ?? testLevelProblem(d, ctx);
      if (g) return not(g);
      const level = ctx.target ? resolveTestLevel(d.testLevel, ctx.target, d.components).level : d.testLevel;
      return yes(level === 'NoTestRun' ? 'This validation runs no Apex tests (NoTestRun), so it cannot be quick-deployed afterwards.' : undefined);
    }
    case 'quickDeploy':
      return quickDeployState(d, ctx);
    case 'deploy': {
      const g = gate(d, 'deploy it', { pkg: true, permission }) ?? testLevelProblem(d, ctx);
      return g ? not(g) : yes();
    }
    case 'cancel': {
      const running = busy(d);
      if (!running) return not(`Nothing runs for ${name}: cancel stops a running validation or deploy.`);
      if (permission && !permission.ok) return not(permission.reason);
      return yes('Salesforce stops a queued deploy at once and a running one when it can; a deploy that is finalizing cannot be cancelled.');
    }
    case 'complete':
      if (d.status === 'Deployed') return yes(`Completing closes ${name} and its change request; compare the components first if you have not checked the result.`);
      if (d.status === 'Completed') return not(`${name} is completed already.`);
      if (d.status === 'Deploying') return not(`${name} is being deployed; complete it once the deploy succeeded.`);
      return not(`Deploy ${name} first; complete it once the deploy succeeded and you checked the result.`);
    case 'abandon':
      return abandonState(d, ctx);
    case 'revert':
      return revertState(d, ctx);
  }
}

/** Reverting the deploy (the latest deployment to the target, checked when it runs): a deployed record with its snapshot. */
function revertState(d: DeploymentRecord, ctx: ActionContext): State {
  const name = deploymentLabel(d);
  if (d.status === 'Reverted') return not(`${name} was reverted already; its package cannot be deployed again as is.`);
  if (d.status !== 'Deployed' && d.status !== 'Completed') return not(`${name} is ${d.status}: only a deployed deployment can be reverted.`);
  if (d.revert && !d.revert.completedAt) return not(`A revert of ${name} is running (${d.revert.id}); wait for it to finish.`);
  if (!d.snapshot) return not(`${name} was deployed without a snapshot of ${d.targetEnvironment}, so it cannot be reverted.`);
  if (ctx.deployPermission && !ctx.deployPermission.ok) return not(ctx.deployPermission.reason);
  return yes(`Only the latest deployment to ${d.targetEnvironment} can be reverted; you see each component (restore or delete) and what changed there since, before anything is sent.`);
}

function quickDeployState(d: DeploymentRecord, ctx: ActionContext): State {
  const name = deploymentLabel(d);
  const g = gate(d, 'quick deploy it', { pkg: true, permission: ctx.deployPermission });
  if (g) return not(g);
  const v = d.validation;
  if (!v) return not(`Validate ${name} first: a successful validation can then be quick-deployed without running the tests again.`);
  if (d.package && Date.parse(d.package.retrievedAt) > Date.parse(v.startedAt)) {
    return not(`The package was retrieved again after validation ${v.id}, so that validation is of other files; validate ${name} again.`);
  }
  const e = quickDeployEligibility(v, ctx.targetDeploys ?? [], ctx.now, d.targetEnvironment);
  if (!e.ok) return not(e.reason);
  const note = ctx.targetDeploys
    ? `Quick deploy of validation ${v.id} is possible until ${formatWhen(e.expiresAt)}.`
    : `Changeline could not read ${d.targetEnvironment}'s deployment history, so it cannot tell whether a later deployment invalidated validation ${v.id}; Salesforce refuses the quick deploy if one did.`;
  return yes(note);
}

function abandonState(d: DeploymentRecord, ctx: ActionContext): State {
  const name = deploymentLabel(d);
  if (!EDITABLE_STATUSES.includes(d.status)) return not(`${name} is ${d.status} and can no longer be abandoned.`);
  const running = busy(d);
  if (running) return not(running);
  const who = [d.createdBy, d.submittedBy, ...d.approvers].filter((x): x is string => !!x);
  if (who.length && !who.includes(ctx.actor.userId)) return not(`Only who created or submitted ${name}, or one of its approvers, can abandon it.`);
  return yes(`Abandoning ${name} keeps its history; the change request stays approved for a new deployment.`);
}

/** Every action with whether the actor may take it now, and why not. */
export function allowedActions(d: DeploymentRecord, ctx: ActionContext): ActionState[] {
  return DEPLOYMENT_ACTIONS.map((action) => ({ action, ...stateOf(d, action, ctx) }));
}

/** One action's state. */
export function actionState(d: DeploymentRecord, action: DeploymentAction, ctx: ActionContext): ActionState {
  return { action, ...stateOf(d, action, ctx) };
}
