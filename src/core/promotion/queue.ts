/**
 * The deployment queue of an environment: what was sent to it, in order, and what its release
 * managers did with each entry. Only holders of the Changeline release-manager permission set in
 * the target org may deploy, reject (with a reason, which the sender sees) or revert; everyone
 * else reads the queue, and the refusal says who can act.
 */
import type { ChangelineMark } from './org-history';
import type { Verdict } from '../change-requests/rules';
import { revertFinished } from '../deployments/facts';
import type { RevertFact, SnapshotFact } from '../deployments/model';
import type { DeployResult } from '../metadata-types';
import { formatWhen, type ComponentRef } from './history';
import type { LastSend } from './send';

export const QUEUE_STATUSES = ['Queued', 'Deploying', 'Deployed', 'Rejected', 'Failed', 'Cancelled', 'Reverted'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** The permission set whose holders may deploy, reject and revert in an org. */
export const RELEASE_MANAGER_PERMISSION_SET = { name: 'Changeline_Release_Manager', label: 'Changeline Release Manager' } as const;

export const MESSAGE_MAX = 1000;
export const REASON_MAX = 1000;

/** Who: a user of the target org (the sender writes the entry there with their own login). */
export interface QueueUser {
  name: string;
  userId?: string;
  username?: string;
}

export interface QueueEntry {
  /** Record id in the target org; absent before the entry is saved. */
  id?: string;
  /** Auto-number shown to users, e.g. Q-00003. */
  number?: string;
  /** Environment names. */
  target: string;
  source: string;
  message: string;
  sender: QueueUser;
  sentAt: string;
  /** The CRs it carries, by number and/or record id (of the sending org). */
  crs: Array<{ number?: string; id?: string }>;
  components: ComponentRef[];
  /** The package, kept as a file in the target org. */
  packageFileId?: string;
  /** Digest of each component as sent, by `componentKey` (what "nothing changed since the last send" compares). */
  digests?: Record<string, string>;
  status: QueueStatus;
  rejection?: { reason: string; by: string; at: string };
  /** Set when the sender (or a release manager) withdrew the entry before it was deployed. */
  withdrawn?: { by: string; at: string };
  /** Why the last deploy failed, as the org said. */
  failure?: string;
  /** The deployment (deploy id or Changeline deployment record) made from this entry. */
  deploymentId?: string;
  /** Who started the last deploy, and when it ended. */
  deployedBy?: string;
  finishedAt?: string;
  /** What the last deploy (or validation) reported. */
  result?: QueueDeployResult;
  /** The snapshot of the target's versions taken before the deploy (a file linked to the entry): what a revert restores. */
  snapshot?: SnapshotFact;
  /** The latest revert of the entry's deploy (a failed one may be tried again); a succeeded one makes the entry Reverted. */
  revert?: RevertFact;
  /** Incremented by every change, for update-if-unchanged. */
  version: number;
}

/** The summary of a deploy of an entry, as the org reported it. */
export interface QueueDeployResult {
  id: string;
  status: string;
  success: boolean;
  checkOnly: boolean;
  componentsDeployed: number;
  componentsTotal: number;
  componentErrors: number;
  testsRun: number;
  testsFailed: number;
  errorMessage?: string;
  /** The validation run first, when the release manager chose to validate before deploying. */
  validationId?: string;
}

/** Release-manager actions, the sender's withdrawal, and the outcomes the deploy reports. */
export type QueueAction = 'deploy' | 'reject' | 'withdraw' | 'deployed' | 'failed' | 'cancelled';

export interface QueueActor extends QueueUser {
  /** Holds the release-manager permission set in the target org. */
  releaseManager: boolean;
}

export interface QueueContext {
  actor: QueueActor;
  /** Names of the release managers of the target org, to say who can act. */
  releaseManagers: readonly string[];
  /** The version the user saw; a different current version refuses (someone else acted). */
  expectedVersion?: number;
  /** Reject: why; failed: the org's error. */
  reason?: string;
  /** Deploy: the deployment started for the entry. */
  deploymentId?: string;
  /** The whole queue, to refuse a second deploy while one runs. */
  queue?: readonly QueueEntry[];
  /** When the action happens (ISO); now when omitted. */
  at?: string;
}

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

/** `Q-00003 “Add greeting”`. */
export function entryLabel(e: Pick<QueueEntry, 'number' | 'message' | 'source' | 'sentAt'>): string {
  const first = e.message.split('\n')[0].trim();
  const short = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  const id = e.number ?? `The send from ${e.source} of ${formatWhen(e.sentAt)}`;
  return short ? `${id} “${short}”` : id;
}

/** Refusal for someone without the release-manager permission set in `environment`. */
export function releaseManagerRefusal(environment: string, holders: readonly string[], what: string): string {
  const set = RELEASE_MANAGER_PERMISSION_SET.label;
  if (holders.length === 0) {
    return `Only holders of the ${set} permission set in ${environment} can ${what}, and nobody there holds it yet. Ask an admin of ${environment} to assign it.`;
  }
  return `Only release managers of ${environment} (the ${set} permission set) can ${what}: ${holders.join(', ')}. Ask one of them, or ask an admin of ${environment} for the permission set.`;
}

/** May this actor deploy, reject or revert in `environment`? */
export function canManageReleases(actor: Pick<QueueActor, 'releaseManager'>, environment: string, holders: readonly string[], what = 'deploy, reject or revert'): Verdict {
  return actor.releaseManager ? OK : no(releaseManagerRefusal(environment, holders, what));
}

/** Whether the user is the entry's sender (by user id or username, else by name). */
export function isSender(e: Pick<QueueEntry, 'sender'>, who: QueueUser): boolean {
  if (e.sender.userId && who.userId) return e.sender.userId === who.userId;
  if (e.sender.username && who.username) return e.sender.username.toLowerCase() === who.username.toLowerCase();
  return e.sender.name === who.name;
}

const FROM: Record<QueueAction, readonly QueueStatus[]> = {
  deploy: ['Queued', 'Failed', 'Cancelled'],
  reject: ['Queued', 'Failed', 'Cancelled'],
  withdraw: ['Queued', 'Failed', 'Cancelled'],
  deployed: ['Deploying'],
  failed: ['Deploying'],
  cancelled: ['Deploying'],
};

const VERB: Record<QueueAction, string> = {
  deploy: 'deploy',
  reject: 'reject',
  withdraw: 'withdraw',
  deployed: 'mark as deployed',
  failed: 'mark as failed',
  cancelled: 'mark as cancelled',
};

function stateRefusal(e: QueueEntry, action: QueueAction): string {
  const label = entryLabel(e);
  switch (e.status) {
    case 'Deployed':
      return `${label} is already deployed to ${e.target}. To undo it, revert that deployment from ${e.target}'s deployment log.`;
    case 'Rejected':
      return `${label} was rejected${e.rejection ? ` by ${e.rejection.by}` : ''}; ${e.sender.name} can send the changes again.`;
    case 'Cancelled':
      if (!e.withdrawn) return `${label}'s deploy was cancelled; it is still waiting in ${e.target}'s queue.`;
      return `${label} was withdrawn by ${e.withdrawn.by}; ask ${e.sender.name} to send the changes again.`;
    case 'Deploying':
      return `${label} is deploying to ${e.target} now: wait for it to finish, or cancel the deploy.`;
    case 'Reverted':
      return `${label} was deployed to ${e.target} and reverted${e.revert?.byName ? ` by ${e.revert.byName}` : ''} (${formatWhen(e.revert?.completedAt)}), so it cannot be deployed again as is. ${e.sender.name} can send the fixed changes again.`;
    default:
      return `${label} is ${e.status}, not deploying: there is nothing to ${VERB[action]}.`;
  }
}

/** Whether the actor may take the action on the entry now; the refusal says what to do. */
export function canAct(e: QueueEntry, action: QueueAction, ctx: QueueContext): Verdict {
  const label = entryLabel(e);
  if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== e.version) {
    return no(`${label} changed since you opened it (it is now ${e.status}). Refresh ${e.target}'s queue and try again.`);
  }
  if (action === 'withdraw') {
    if (!isSender(e, ctx.actor) && !ctx.actor.releaseManager) {
      return no(`Only ${e.sender.name}, who sent ${label}, or a release manager of ${e.target} can withdraw it.`);
    }
  } else {
    const v = canManageReleases(ctx.actor, e.target, ctx.releaseManagers, action === 'reject' ? 'reject queued changes' : 'deploy queued changes');
    if (!v.ok) return v;
  }
  const withdrawn = e.status === 'Cancelled' && e.withdrawn !== undefined;
  if (!FROM[action].includes(e.status) || withdrawn) return no(stateRefusal(e, action));
  if (action === 'reject') {
    const reason = ctx.reason?.trim() ?? '';
    if (!reason) return no(`Say why you reject ${label}: ${e.sender.name} will read it.`);
    if (reason.length > REASON_MAX) return no(`Shorten the reason to ${REASON_MAX} characters or fewer (it has ${reason.length}).`);
  }
  if (action === 'deploy') {
    const running = ctx.queue?.find((x) => x.status === 'Deploying' && x !== e && (x.id === undefined || x.id !== e.id));
    if (running) return no(`${entryLabel(running)} is deploying to ${e.target} now; an org takes one deployment at a time. Wait for it to finish.`);
  }
  return OK;
}

export type QueueOutcome = { ok: true; entry: QueueEntry } | { ok: false; reason: string };

/** Applies the action: the entry as it is now (version incremented), or the refusal. */
export function applyAction(e: QueueEntry, action: QueueAction, ctx: QueueContext): QueueOutcome {
  const v = canAct(e, action, ctx);
  if (!v.ok) return v;
  const at = ctx.at ?? new Date().toISOString();
  const next: QueueEntry = { ...e, version: e.version + 1 };
  switch (action) {
    case 'deploy':
      Object.assign(next, { status: 'Deploying', deployedBy: ctx.actor.name, deploymentId: ctx.deploymentId ?? e.deploymentId, failure: undefined, finishedAt: undefined });
      break;
    case 'reject':
      Object.assign(next, { status: 'Rejected', rejection: { reason: ctx.reason!.trim(), by: ctx.actor.name, at } });
      break;
    case 'withdraw':
      Object.assign(next, { status: 'Cancelled', withdrawn: { by: ctx.actor.name, at } });
      break;
    case 'deployed':
      Object.assign(next, { status: 'Deployed', finishedAt: at, deploymentId: ctx.deploymentId ?? e.deploymentId });
      break;
    case 'failed':
      Object.assign(next, { status: 'Failed', finishedAt: at, failure: ctx.reason?.trim() || 'The deploy failed.' });
      break;
    case 'cancelled':
      Object.assign(next, { status: 'Cancelled', finishedAt: at });
      break;
  }
  return { ok: true, entry: next };
}

export interface NewEntryInput {
  target: string;
  source: string;
  message: string;
  sender: QueueUser;
  sentAt: string;
  crs?: QueueEntry['crs'];
  components: ComponentRef[];
  packageFileId?: string;
  digests?: Record<string, string>;
}

/** A new Queued entry, or what to fix first. */
export function newQueueEntry(input: NewEntryInput): QueueOutcome {
  const message = input.message.trim();
  if (!message) return { ok: false, reason: `Write a message for ${input.target}'s release managers: what the changes do.` };
  if (message.length > MESSAGE_MAX) return { ok: false, reason: `Shorten the message to ${MESSAGE_MAX} characters or fewer (it has ${message.length}).` };
  if (input.components.length === 0) return { ok: false, reason: `There is nothing to send to ${input.target}: pick at least one component.` };
  if (input.source === input.target) return { ok: false, reason: `${input.source} cannot send to itself.` };
  return { ok: true, entry: { ...input, message, crs: input.crs ?? [], components: [...input.components], status: 'Queued', version: 1 } };
}

/** Entries in the order they were sent (then by number). */
export function orderQueue<T extends Pick<QueueEntry, 'sentAt' | 'number'>>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt) || (a.number ?? '').localeCompare(b.number ?? ''));
}

/** Advice when deploying an entry while earlier ones still wait; undefined when it is first. */
export function earlierWaiting(entries: readonly QueueEntry[], e: QueueEntry): string | undefined {
  const ordered = orderQueue(entries);
  const idx = ordered.indexOf(e);
  const ahead = ordered.slice(0, idx < 0 ? ordered.length : idx).filter((x) => x !== e && (x.status === 'Queued' || x.status === 'Failed'));
  if (ahead.length === 0) return undefined;
  const names = ahead.map((x) => x.number ?? entryLabel(x)).join(', ');
  const n = ahead.length === 1 ? '1 earlier entry is' : `${ahead.length} earlier entries are`;
  return `${n} still waiting in ${e.target}'s queue (${names}). Deploying ${e.number ?? 'this one'} first means they would be deployed over it later.`;
}

export interface SenderNotice {
  entry: QueueEntry;
  text: string;
}

/** What the sender should see about their entries: rejections with the reason, failures, deploys. */
export function senderNotices(entries: readonly QueueEntry[], sender: QueueUser): SenderNotice[] {
  const out: SenderNotice[] = [];
  for (const e of orderQueue(entries)) {
    if (!isSender(e, sender)) continue;
    const label = entryLabel(e);
    if (e.status === 'Rejected' && e.rejection) {
      out.push({ entry: e, text: `${e.target} rejected ${label} (${e.rejection.by}, ${formatWhen(e.rejection.at)}): ${e.rejection.reason}` });
    } else if (e.status === 'Failed') {
      out.push({ entry: e, text: `Deploying ${label} to ${e.target} failed: ${e.failure ?? 'no reason given'}` });
    } else if (e.status === 'Deployed') {
      out.push({ entry: e, text: `${label} was deployed to ${e.target}${e.deployedBy ? ` by ${e.deployedBy}` : ''} (${formatWhen(e.finishedAt)}).` });
    } else if (e.status === 'Reverted') {
      out.push({ entry: e, text: `${label} was deployed to ${e.target} and reverted${e.revert?.byName ? ` by ${e.revert.byName}` : ''} (${formatWhen(e.revert?.completedAt)}).` });
    }
  }
  return out;
}

/**
 * The last send from `source` that still stands in the target's queue (for "nothing changed since
 * the last send"): the newest entry from it that was neither rejected nor withdrawn. A rejected
 * send may be sent again as it is.
 */
export function lastSendFrom(entries: readonly QueueEntry[], source: string): (LastSend & { entry: QueueEntry }) | undefined {
  const standing = orderQueue(entries).filter((e) => e.source === source && e.status !== 'Rejected' && !(e.status === 'Cancelled' && e.withdrawn));
  const last = standing[standing.length - 1];
  if (!last) return undefined;
  return { entry: last, at: last.sentAt, digests: new Map(Object.entries(last.digests ?? {})) };
}

/** Entries still waiting for a release manager: Queued, or Failed / Cancelled by a deploy (which may be deployed again). */
export function waiting(entries: readonly QueueEntry[]): QueueEntry[] {
  return orderQueue(entries).filter((e) => e.status === 'Queued' || e.status === 'Deploying' || e.status === 'Failed' || (e.status === 'Cancelled' && !e.withdrawn));
}

/**
 * What the deployment history knows of the deploys made from queue entries (the log's "Changeline"
 * source, message, CRs; the package each delivered): one mark per entry that started a deploy or a
 * validation. The package is kept in the target org, so the mark's `env` is the entry's target.
 */
export function queueMarks(entries: readonly QueueEntry[]): ChangelineMark[] {
  const marks: ChangelineMark[] = [];
  for (const e of entries) {
    const deployIds = [...new Set([e.deploymentId, e.result?.id, e.result?.validationId, e.revert?.id].filter((x): x is string => !!x && /^0Af/.test(x)))];
    if (deployIds.length === 0) continue;
    const crNumbers = e.crs.map((c) => c.number).filter((n): n is string => !!n);
    marks.push({
      deployIds,
      ...(e.number ? { label: e.number } : {}),
      message: e.message,
      crNumbers,
      env: e.target,
      ...(e.id ? { recordId: e.id } : {}),
      ...(e.packageFileId ? { packageFileId: e.packageFileId } : {}),
      ...(e.revert && e.deploymentId ? { revert: { id: e.revert.id, of: e.deploymentId } } : {}),
    });
  }
  return marks;
}

/** The snapshot of the target taken before the entry's deploy (a retry's snapshot replaces it). */
export function recordEntrySnapshot(e: QueueEntry, snapshot: SnapshotFact): QueueEntry {
  return { ...e, snapshot, version: e.version + 1 };
}

/** The deploy of a Deployed entry, as a revert reads it: its id, when it started (the snapshot just before) and ended. */
export function entryDeploy(e: QueueEntry): { id: string; status: string; startedAt: string; completedAt?: string } | undefined {
  const id = e.result && !e.result.checkOnly ? e.result.id : e.deploymentId;
  if (!id) return undefined;
  return { id, status: e.result?.status ?? 'Succeeded', startedAt: e.snapshot?.takenAt ?? e.finishedAt ?? e.sentAt, ...(e.finishedAt ? { completedAt: e.finishedAt } : {}) };
}

/** A revert of the entry's deploy started: kept at once, so a reload can follow it by its id. */
export function startEntryRevert(e: QueueEntry, start: Omit<RevertFact, 'status' | 'completedAt' | 'errorMessage'>): QueueOutcome {
  if (e.status !== 'Deployed') return { ok: false, reason: `${entryLabel(e)} is ${e.status}; only a deployed entry can be reverted.` };
  if (e.revert && !e.revert.completedAt) return { ok: false, reason: `A revert of ${entryLabel(e)} is running (${e.revert.id}); wait for it to finish.` };
  return { ok: true, entry: { ...e, revert: { ...start, status: 'Pending' }, version: e.version + 1 } };
}

/**
 * The revert's result: Succeeded → the entry is Reverted (and not deployed again as is); a failed
 * or cancelled revert keeps it Deployed (Salesforce rolled it back) and may be tried again.
 */
export function finishEntryRevert(e: QueueEntry, result: DeployResult, completedAt: string): QueueOutcome {
  const r = e.revert;
  if (!r || r.id !== result.id) return { ok: false, reason: `The result is of deploy ${result.id}, but ${entryLabel(e)} follows revert ${r?.id ?? '(none)'}.` };
  const { revert, succeeded } = revertFinished(r, result, completedAt);
  return { ok: true, entry: { ...e, revert, version: e.version + 1, ...(succeeded ? { status: 'Reverted' as const } : {}) } };
}

