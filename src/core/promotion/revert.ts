/**
 * Revert planning for the latest deployment to an environment. Before each Changeline deploy a
 * snapshot of the target's versions of the affected components is kept; reverting restores
 * them (Override) or deletes what the deploy created (Delete). A component changed in the
 * target since the deploy (drift, by anyone) needs an explicit choice. Only the latest
 * deployment can be reverted, a later deployment that touched the same components blocks it,
 * and a reverted package cannot be deployed again as is.
 */
import { createHash } from 'node:crypto';
import type { Verdict } from '../change-requests/rules';
import {
  componentKey,
  deploymentTime,
  describeDeployment,
  effectiveComponents,
  formatWhen,
  landed,
  listComponents,
  type ComponentRef,
  type DeployedComponent,
  type DigestMap,
  type OrgDeployment,
} from './history';

/** A deployment in the target's history; `revertOf` names the deployment a revert undid. */
export type HistoryRow = OrgDeployment & { revertOf?: string };

export interface RevertedMark {
  /** The revert's own deployment, when known. */
  deploymentId?: string;
  at?: string;
  by?: string;
}

export interface RevertInput {
  /** The target environment's name, for messages. */
  environment: string;
  deployment: OrgDeployment & { reverted?: RevertedMark };
  /** Digest before the deploy per component; a key with `undefined` = the component did not exist. */
  snapshot: DigestMap;
  /** Digests right after the deploy. */
  afterDeploy: DigestMap;
  /** Digests in the target now. */
  current: DigestMap;
  /** The target's deployment history (may include the deployment itself), any order. */
  history: readonly HistoryRow[];
}

export type RevertAction = 'Override' | 'Delete';

export interface RevertItem {
  component: ComponentRef;
  /** Override restores the snapshot's version (re-creating a deleted component); Delete removes what the deploy created. */
  action: RevertAction;
  /** What the deploy did to it. */
  deployed: 'Created' | 'Changed' | 'Deleted';
  /** Changed in the target since the deploy (or not checkable): needs an explicit choice. */
  drift: boolean;
  /** The target already holds what the revert would restore: skipped unless chosen. */
  alreadyRestored: boolean;
  /** One line for the user. */
  note: string;
}

export interface RevertPlan {
  environment: string;
  deploymentId: string;
  /** Refused when the revert cannot be done at all; says why and what to do. */
  verdict: Verdict;
  items: RevertItem[];
  /** Not blocking: said before the revert. */
  warnings: string[];
}

const no = (reason: string): Verdict => ({ ok: false, reason });
const ref = (c: ComponentRef): ComponentRef => ({ type: c.type, fullName: c.fullName });

function blockingReason(input: RevertInput, later: readonly HistoryRow[], mine: readonly DeployedComponent[] | undefined): string | undefined {
  const { deployment: d, environment: env } = input;
  const revertRow = input.history.find((h) => h.revertOf === d.id && landed(h));
  const reverted = d.reverted ?? (revertRow && { at: revertRow.completedDate, by: revertRow.createdByName });
  if (reverted) {
    const by = reverted.by ? ` by ${reverted.by}` : '';
    return `This deployment to ${env} was already reverted${by} (${formatWhen(reverted.at)}). Its package cannot be deployed again as is.`;
  }
  if (d.checkOnly) return `This was a validation: it changed nothing in ${env}, so there is nothing to revert.`;
  if (!landed(d)) return `This deployment did not succeed (${d.status}): Salesforce rolled it back, so there is nothing to revert in ${env}.`;
  if (d.source !== 'changeline') {
    return `Changeline reverts only its own deployments, for which it keeps a snapshot of ${env} before deploying. Undo ${describeDeployment(d)} with the tool that made it, or deploy the earlier versions from another environment.`;
  }
  if (mine === undefined) return `The components of this deployment are not known, so it cannot be reverted. Open it in ${env}'s deployment log and try again.`;
  if (Number.isNaN(deploymentTime(d))) return `This deployment has no completion date, so Changeline cannot tell whether it is the latest in ${env}.`;

  const keys = new Set(mine.map(componentKey));
  for (const l of later) {
    const touched = effectiveComponents(l)?.filter((c) => keys.has(componentKey(c)));
    if (touched && touched.length > 0) {
      return `${listComponents(touched)} changed again in ${describeDeployment(l)}, after this one: reverting would undo that too. Deploy the versions you want instead.`;
    }
  }
  const laterOwn = later.find((l) => l.source === 'changeline');
  if (laterOwn) return `Only the latest deployment to ${env} can be reverted, and ${describeDeployment(laterOwn)} came after this one.`;
  const unrestorable = mine.filter((c) => !input.snapshot.has(componentKey(c)) && c.state !== 'Created');
  if (unrestorable.length > 0) {
    return `The snapshot taken before this deployment lacks ${listComponents(unrestorable)}, so the earlier version cannot be restored. Deploy that version from another environment instead.`;
  }
  return undefined;
}

/** Landed deployments after `d`, leaving out reverted ones together with their reverts. */
function laterDeployments(d: OrgDeployment, history: readonly HistoryRow[]): HistoryRow[] {
  const at = deploymentTime(d);
  const after = history.filter((h) => h.id !== d.id && landed(h) && !(deploymentTime(h) <= at));
  const ids = new Set(after.map((h) => h.id));
  const undone = new Set(after.flatMap((h) => (h.revertOf !== undefined && ids.has(h.revertOf) ? [h.revertOf] : [])));
  return after.filter((h) => !undone.has(h.id) && !(h.revertOf !== undefined && undone.has(h.revertOf)));
}

function planItem(c: DeployedComponent, input: RevertInput): RevertItem {
  const key = componentKey(c);
  const before = input.snapshot.get(key);
  const existed = input.snapshot.has(key) ? before !== undefined : c.state !== 'Created';
  const action: RevertAction = existed ? 'Override' : 'Delete';
  const deployed = c.state === 'Deleted' ? 'Deleted' : existed ? 'Changed' : 'Created';
  const afterKnown = input.afterDeploy.has(key) || c.digest !== undefined || c.state === 'Deleted';
  const after = input.afterDeploy.has(key) ? input.afterDeploy.get(key) : c.state === 'Deleted' ? undefined : c.digest;
  const now = input.current.get(key);
  const drift = !afterKnown || now !== after;
  const alreadyRestored = drift && now === (existed ? before : undefined);
  const env = input.environment;
  let note: string;
  if (alreadyRestored) note = existed ? `${env} already has the version from before the deploy.` : `Already deleted from ${env}.`;
  else if (!afterKnown) note = `Could not check whether it changed in ${env} since the deploy: choose to ${action.toLowerCase()} it or skip it.`;
  else if (drift) note = `Changed in ${env} since the deploy: choose to ${action === 'Override' ? 'override' : 'delete'} it anyway or skip it.`;
  else if (action === 'Delete') note = 'The deploy created it: delete it.';
  else if (deployed === 'Deleted') note = 'The deploy deleted it: re-create the version from before the deploy.';
  else note = 'Restore the version from before the deploy.';
  return { component: ref(c), action, deployed, drift, alreadyRestored, note };
}

/** The revert plan of a deployment: per component what to do, drift, and whether it can be done at all. */
export function planRevert(input: RevertInput): RevertPlan {
  const mine = effectiveComponents(input.deployment)?.filter((c) => c.state !== 'Unchanged');
  const later = laterDeployments(input.deployment, input.history);
  const reason = blockingReason(input, later, mine);
  const items = reason === undefined && mine ? mine.map((c) => planItem(c, input)) : [];
  const warnings: string[] = [];
  for (const l of later) {
    if (effectiveComponents(l) === undefined) {
      const what = describeDeployment(l);
      warnings.push(`${what[0].toUpperCase()}${what.slice(1)} came after this one and its components are unknown; the drift check shows what changed since.`);
    }
  }
  return { environment: input.environment, deploymentId: input.deployment.id, verdict: reason === undefined ? { ok: true } : no(reason), items, warnings };
}

export type RevertChoice = 'revert' | 'skip';

export type RevertSelection =
  | { ok: true; override: ComponentRef[]; delete: ComponentRef[]; skipped: ComponentRef[] }
  | { ok: false; reason: string };

/**
 * What the revert deploys, given the user's choices by `componentKey`. Components without drift
 * are reverted unless skipped; already-restored ones are skipped unless chosen; drifted ones
 * need a choice.
 */
export function revertSelection(plan: RevertPlan, choices: ReadonlyMap<string, RevertChoice> = new Map()): RevertSelection {
  if (!plan.verdict.ok) return plan.verdict;
  const out = { override: [] as ComponentRef[], delete: [] as ComponentRef[], skipped: [] as ComponentRef[] };
  const undecided: RevertItem[] = [];
  for (const item of plan.items) {
    const choice = choices.get(componentKey(item.component)) ?? (item.alreadyRestored ? 'skip' : item.drift ? undefined : 'revert');
    if (choice === undefined) undecided.push(item);
    else if (choice === 'skip') out.skipped.push(item.component);
    else (item.action === 'Override' ? out.override : out.delete).push(item.component);
  }
  if (undecided.length > 0) {
    return {
      ok: false,
      reason: `${listComponents(undecided.map((i) => i.component))} changed in ${plan.environment} since the deploy: choose for each whether to revert it anyway or skip it.`,
    };
  }
  if (out.override.length + out.delete.length === 0) return { ok: false, reason: `Nothing to revert in ${plan.environment}: every component is skipped.` };
  return { ok: true, ...out };
}

export interface RevertedDeployment {
  /** The package that deployment deployed (e.g. its file id). */
  packageId?: string;
  deploymentId: string;
  environment: string;
  at?: string;
  by?: string;
}

/** Refuses deploying a package as is once a deployment of it was reverted. */
export function canRedeploy(pkg: { id: string; name?: string }, reverted: readonly RevertedDeployment[]): Verdict {
  const hit = reverted.find((r) => r.packageId === pkg.id);
  if (!hit) return { ok: true };
  const by = hit.by ? ` by ${hit.by}` : '';
  return no(
    `${pkg.name ?? 'This package'} was deployed to ${hit.environment} and reverted${by} (${formatWhen(hit.at)}), so it cannot be deployed again as is. Retrieve the components again into a new package once they are fixed.`,
  );
}

/**
 * A package's content fingerprint from its files' digests (path → digest): the same files give the
 * same fingerprint whichever record or file holds them, so "the same package as is" is recognised.
 */
export function packageFingerprint(digests: Readonly<Record<string, string>>): string {
  const lines = Object.keys(digests)
    .sort()
    .map((p) => `${p}\u0000${digests[p]}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
