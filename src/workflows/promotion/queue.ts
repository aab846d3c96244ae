/**
 * The deployment queue of an environment, as its users work with it (the editor's queue panel and
 * the CLI run these): read it (entries in order, who the release managers are, whether you are
 * one, what the sender should know), deploy an entry (optionally validated first) through the
 * deploy path of run.ts with progress and cancel, its result written to the entry, or reject it
 * with a reason the sender reads. Only release managers (the Changeline Release Manager permission
 * set in the target org) may deploy or reject: refused here with who can act, and by the org
 * itself (field-level security on the entry's status) should anyone try otherwise.
 */
import { resolveTestLevel } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import {
  applyAction,
  canAct,
  canManageReleases,
  canRedeploy,
  earlierWaiting,
  entryLabel,
  packageFingerprint,
  recordEntrySnapshot,
  orderQueue,
  senderNotices,
  type QueueAction,
  type QueueActor,
  type QueueContext,
  type QueueDeployResult,
  type QueueEntry,
  type RevertedDeployment,
  type SenderNotice,
} from '../../core/promotion';
import type { ComponentRef, DeployResult } from '../../core/metadata-types';
import type { StoredQueueEntry } from '../../salesforce/tracking/queue-entries';
import type { WorkflowDeps } from '../types';
import { checkOverwrites, type OverwriteFlag } from '../deploy/overwrite';
import { DeployError, runDeploy, type DeployOutcome, type DeployRunOptions } from '../deploy/run';
import { takeSnapshotInto, type SnapshotHolder } from '../deploy/snapshot';
import { afterQueueDeploy, type CrFollowUp } from './after-deploy';

export interface QueueView {
  env: string;
  /** In the order they were sent. */
  entries: StoredQueueEntry[];
  /** Names of the release managers of the environment's org. */
  releaseManagers: string[];
  you: QueueActor;
  /** Whether you may deploy and reject here; else `refusal` says who can. */
  canManage: boolean;
  refusal?: string;
  /** What the org says to you as a sender: rejections with their reason, failures, deploys. */
  notices: SenderNotice[];
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const same = (a: string, b: string) => a.slice(0, 15) === b.slice(0, 15);
const isConflict = (e: unknown) => (e as { kind?: unknown })?.kind === 'conflict';
const isRefusedByOrg = (e: unknown) => (e as { code?: unknown })?.code === 'release-manager-only';

/** The queue of `env` as the current user sees it. */
export async function readQueue(deps: WorkflowDeps, env: string, opts: { signal?: AbortSignal } = {}): Promise<QueueView> {
  const sf = await deps.salesforce();
  const s = await deps.sessions.get(env);
  const [entries, rm] = await Promise.all([sf.listQueueEntries(s.handle, opts), sf.releaseManagers(s.handle)]);
  const you: QueueActor = { name: s.userFullName, userId: s.userId, username: s.username, releaseManager: rm.holders.some((h) => same(h.id, s.userId)) };
  const releaseManagers = rm.holders.map((h) => h.name);
  const v = canManageReleases(you, env, releaseManagers, 'deploy or reject queued changes');
  return {
    env,
    entries: orderQueue(entries),
    releaseManagers,
    you,
    canManage: v.ok,
    ...(v.ok ? {} : { refusal: v.reason }),
    notices: senderNotices(entries, you),
  };
}

/** An entry of the view by id or number (Q-00003). */
export function findEntry(view: Pick<QueueView, 'entries'>, ref: string): StoredQueueEntry | undefined {
  const wanted = ref.trim();
  if (RECORD_ID.test(wanted) && !/^Q-/i.test(wanted)) return view.entries.find((e) => e.id && same(e.id, wanted));
  return view.entries.find((e) => e.number?.toLowerCase() === wanted.toLowerCase());
}

export type QueueOutcome = { ok: true; entry: StoredQueueEntry } | { ok: false; reason: string; conflict?: true };

/** A reference to an entry: id or number (read fresh), or the entry as the user read it (checked against that read). */
export type EntryRef = string | StoredQueueEntry;

/** The queue as read now and the entry `ref` names in it (with the version the user read, for an entry), or why there is none. */
export async function context(deps: WorkflowDeps, env: string, ref: EntryRef, signal?: AbortSignal): Promise<{ view: QueueView; entry: StoredQueueEntry; expectedVersion?: number } | { ok: false; reason: string }> {
  const view = await readQueue(deps, env, { signal });
  const id = typeof ref === 'string' ? ref : (ref.id ?? '');
  const entry = typeof ref === 'string' ? findEntry(view, ref) : view.entries.find((e) => e.id === id);
  if (!entry) return { ok: false, reason: `There is no entry ${typeof ref === 'string' ? ref : entryLabel(ref)} in ${env}'s deployment queue. Refresh the queue.` };
  return { view, entry, ...(typeof ref === 'string' ? {} : { expectedVersion: ref.version }) };
}

/** The rules' context for an action on the view's queue by its reader. */
export const ctxOf = (view: QueueView, extra: Partial<QueueContext>): QueueContext => ({ actor: view.you, releaseManagers: view.releaseManagers, queue: view.entries, ...extra });

/** Writes the entry after the action (checked against the version read); a conflict or the org's refusal comes back as an outcome. */
export async function writeEntry(deps: WorkflowDeps, env: string, base: StoredQueueEntry, next: QueueEntry, view?: QueueView): Promise<QueueOutcome> {
  const sf = await deps.salesforce();
  const { handle } = await deps.sessions.get(env);
  try {
    return { ok: true, entry: await sf.updateQueueEntry(handle, { ...next, id: base.id, lastModified: base.lastModified }, base.version) };
  } catch (e) {
    if (isConflict(e)) return { ok: false, conflict: true, reason: `${entryLabel(base)} was changed by someone else meanwhile; refresh ${env}'s queue and try again.` };
    if (isRefusedByOrg(e)) {
      const holders = view?.releaseManagers ?? [];
      return { ok: false, reason: `${(e as Error).message}${holders.length ? ` Release managers there: ${holders.join(', ')}.` : ''}` };
    }
    throw e;
  }
}

async function act(deps: WorkflowDeps, env: string, base: StoredQueueEntry, action: QueueAction, ctx: QueueContext, view: QueueView): Promise<QueueOutcome> {
  const r = applyAction(base, action, ctx);
  if (!r.ok) return r;
  return writeEntry(deps, env, base, r.entry, view);
}

/** Rejects an entry with a reason, which its sender sees. Release managers only. */
export async function rejectEntry(deps: WorkflowDeps, env: string, ref: EntryRef, reason: string, opts: { signal?: AbortSignal } = {}): Promise<QueueOutcome> {
  const c = await context(deps, env, ref, opts.signal);
  if ('ok' in c) return c;
  const out = await act(deps, env, c.entry, 'reject', ctxOf(c.view, { reason, expectedVersion: c.expectedVersion }), c.view);
  if (out.ok) deps.log.info(`${entryLabel(out.entry)} rejected in ${env} by ${c.view.you.name}: ${reason.trim()}`);
  return out;
}

export interface DeployEntryRequest {
  env: string;
  ref: EntryRef;
  pipeline: Pipeline;
  /** Validate (check-only, with the tests) first; deploy only when the validation succeeds. */
  validateFirst?: boolean;
}

export interface DeployEntryOptions extends DeployRunOptions {
  /** Components changed in the target after the send: true overwrites them; without it, such changes stop the deploy before anything is sent. */
  confirmOverwrites?(flags: readonly OverwriteFlag[]): Promise<boolean> | boolean;
}

export type DeployEntryOutcome =
  | {
      ok: true;
      entry: StoredQueueEntry;
      /** The deploy (absent when a validation run first failed or was cancelled: then `validation` says why). */
      outcome?: DeployOutcome;
      validation?: DeployOutcome;
      /** Earlier entries still waiting, when this one was deployed before them. */
      advice?: string;
      /** What happened to the carried CRs in the sending environment. */
      crs: CrFollowUp;
    }
  | { ok: false; reason: string; conflict?: true };

function resultOf(r: DeployResult, validationId?: string): QueueDeployResult {
  return {
    id: r.id,
    status: r.canceled ? 'Canceled' : r.status,
    success: r.success,
    checkOnly: r.checkOnly,
    componentsDeployed: r.componentsDone,
    componentsTotal: r.componentsTotal,
    componentErrors: r.componentErrors,
    testsRun: r.tests.run,
    testsFailed: r.tests.failures.length,
    ...(r.errorMessage ? { errorMessage: r.errorMessage } : {}),
    ...(validationId ? { validationId } : {}),
  };
}

function failureOf(r: DeployResult, what: string): string {
  const first = r.failures.find((f) => f.problemType === 'Error');
  const tests = r.tests.failures.length ? `; ${r.tests.failures.length} test${r.tests.failures.length === 1 ? '' : 's'} failed` : '';
  const detail = first ? `${first.type} ${first.fullName}: ${first.problem}` : (r.errorMessage ?? r.status);
  return `${what} ${r.id} ${r.status}: ${detail}${r.componentErrors > 1 ? ` (and ${r.componentErrors - 1} more errors)` : ''}${tests}`;
}

/**
 * Deploys an entry's package (stored in the target org) to the target: release managers only.
 * The entry is marked Deploying first (the org refuses that write to anyone else, before
 * anything is deployed), optionally validated, then the snapshot of the target's versions is kept
 * with it (what a revert restores; without it nothing is deployed and the entry reads Failed with
 * why), deployed with the target's test level, and the
 * result written to it: Deployed, Failed (with the org's reason, which the sender reads) or
 * Cancelled (the signal cancels the deploy in the org). After a success, the carried CRs in the
 * sending environment follow its role.
 */
/** Refusal to deploy an entry with the same content as an entry whose deploy was reverted. */
function redeployRefusal(entries: readonly QueueEntry[], e: QueueEntry): string | undefined {
  if (!e.digests || Object.keys(e.digests).length === 0) return undefined;
  const reverted: RevertedDeployment[] = entries
    .filter((x) => x !== e && x.id !== e.id && x.status === 'Reverted' && x.digests && Object.keys(x.digests).length > 0)
    .map((x) => ({ packageId: packageFingerprint(x.digests!), deploymentId: x.deploymentId ?? x.number ?? '', environment: x.target, at: x.revert?.completedAt, by: x.revert?.byName }));
  const v = canRedeploy({ id: packageFingerprint(e.digests), name: `The changes of ${entryLabel(e)}` }, reverted);
  return v.ok ? undefined : v.reason;
}

/**
 * The snapshot of the target's current versions of the entry's components (and which it lacks),
 * stored as a file linked to the entry in the target org and recorded on it. When it cannot be
 * taken nothing is deployed: the error says so.
 */
async function snapshotBefore(deps: WorkflowDeps, env: string, entry: StoredQueueEntry, listed: { types: string[]; components: ComponentRef[] } | undefined, opts: DeployEntryOptions): Promise<StoredQueueEntry> {
  const holder: SnapshotHolder<{ entry: StoredQueueEntry }> = {
    id: entry.id!,
    label: entryLabel(entry),
    fileName: `${entry.number ?? 'queue-entry'}-snapshot`,
    fileId: entry.snapshot?.fileId,
    save: (fact) => writeEntry(deps, env, entry, recordEntrySnapshot(entry, fact)),
  };
  try {
    return (await takeSnapshotInto(deps, { env, targetEnv: env, components: entry.components, listed, pollMs: opts.pollMs }, holder, { signal: opts.signal, onProgress: opts.onProgress })).entry;
  } catch (e) {
    if (opts.signal?.aborted || e instanceof DeployError) throw e;
    throw new DeployError(`The snapshot of ${env} (its current versions of the components, which a revert restores) could not be taken: ${(e as Error).message}. Nothing was deployed; try again.`, 'refused');
  }
}

export async function deployEntry(deps: WorkflowDeps, req: DeployEntryRequest, opts: DeployEntryOptions = {}): Promise<DeployEntryOutcome> {
  const sf = await deps.salesforce();
  opts.onProgress?.({ message: `Reading ${req.env}'s deployment queue…` });
  const c = await context(deps, req.env, req.ref, opts.signal);
  if ('ok' in c) return c;
  const { view } = c;
  const target = req.pipeline.environments.find((e) => e.name === req.env);
  if (!target) return { ok: false, reason: `${req.env} is not an environment of the pipeline.` };
  const ctx = ctxOf(view, { expectedVersion: c.expectedVersion });
  const verdict = canAct(c.entry, 'deploy', ctx);
  if (!verdict.ok) return verdict;
  if (!c.entry.packageFileId) {
    return { ok: false, reason: `${entryLabel(c.entry)} has no package in ${req.env} (the send did not finish); ask ${c.entry.sender.name} to send the changes again.` };
  }
  const { handle } = await deps.sessions.get(req.env);
  opts.onProgress?.({ message: `Reading the package of ${entryLabel(c.entry)}…` });
  const zip = await sf.readStoredPackage(handle, c.entry.packageFileId);
  const advice = earlierWaiting(view.entries, c.entry);
  // Changes whose deploy was reverted are not deployed again as is (from another entry with the same content).
  const again = redeployRefusal(view.entries, c.entry);
  if (again) return { ok: false, reason: again };
  // Nobody's fix in the target is overwritten silently: components changed there after the send.
  const report = await checkOverwrites(deps, { targetEnv: req.env, zip, retrievedAt: c.entry.sentAt }, { signal: opts.signal, onProgress: opts.onProgress });
  if (report.flagged.length > 0) {
    for (const f of report.flagged) deps.log.warn(f.message);
    const go = opts.confirmOverwrites ? await opts.confirmOverwrites(report.flagged) : false;
    if (!go) {
      return { ok: false, reason: `${report.flagged.length} component(s) of ${entryLabel(c.entry)} changed in ${req.env} after it was sent; nothing was deployed. ${report.flagged.map((f) => f.message.split('. Deploying')[0]).join(' ')}` };
    }
  }
  // The gate: marking the entry Deploying is a release manager's write, refused by the org to anyone else.
  const marked = await act(deps, req.env, c.entry, 'deploy', ctx, view);
  if (!marked.ok) return marked;
  let entry = marked.entry;
  const level = resolveTestLevel(undefined, target, entry.components).level;

  const note = async (patch: Partial<QueueEntry>): Promise<void> => {
    const r = await writeEntry(deps, req.env, entry, { ...entry, ...patch, version: entry.version + 1 });
    if (r.ok) entry = r.entry;
    else deps.log.warn(`Recording on ${entryLabel(entry)}: ${r.reason}`);
  };
  const finishAs = async (action: QueueAction, result: DeployResult, reason?: string, validationId?: string): Promise<void> => {
    const r = applyAction(entry, action, { ...ctxOf(view, {}), reason, deploymentId: result.id });
    if (!r.ok) {
      deps.log.warn(`Recording the result on ${entryLabel(entry)}: ${r.reason}`);
      return;
    }
    const w = await writeEntry(deps, req.env, entry, { ...r.entry, result: resultOf(result, validationId) }, view);
    if (w.ok) entry = w.entry;
    else deps.log.warn(`Recording the result on ${entryLabel(entry)}: ${w.reason}`);
  };

  let validation: DeployOutcome | undefined;
  try {
    if (req.validateFirst) {
      validation = await runDeploy(deps, { targetEnv: req.env, zip, checkOnly: true, testLevel: level }, { ...opts, onStarted: (id) => opts.onStarted?.(id) });
      if (!validation.result.success) {
        const r = validation.result;
        await finishAs(r.canceled ? 'cancelled' : 'failed', r, r.canceled ? undefined : failureOf(r, 'Validation'));
        return { ok: true, entry, validation, ...(advice ? { advice } : {}), crs: { updated: [], notes: [] } };
      }
    }
    // The snapshot of the target's versions, kept as a file with the entry, that a revert restores: no deploy without it.
    entry = await snapshotBefore(deps, req.env, entry, report.listing, opts);
    let recorded: Promise<void> = Promise.resolve();
    const outcome = await runDeploy(
      deps,
      { targetEnv: req.env, zip, testLevel: level },
      {
        ...opts,
        onStarted: (id) => {
          // Written as soon as the org gives the id: a reload in the middle finds the deploy on the entry.
          recorded = note({ deploymentId: id });
          opts.onStarted?.(id);
        },
      },
    );
    await recorded;
    const r = outcome.result;
    if (r.success) await finishAs('deployed', r, undefined, validation?.result.id);
    else await finishAs(r.canceled ? 'cancelled' : 'failed', r, r.canceled ? undefined : failureOf(r, 'Deploy'), validation?.result.id);
    const crs = r.success ? await afterQueueDeploy(deps, req.pipeline, entry) : { updated: [], notes: [] };
    return { ok: true, entry, outcome, ...(validation ? { validation } : {}), ...(advice ? { advice } : {}), crs };
  } catch (e) {
    // Not started, or not followed to its end: the entry says so rather than staying Deploying with nothing running.
    const started = e instanceof DeployError ? e.deployId : undefined;
    if (!started) {
      const r = applyAction(entry, 'failed', { ...ctxOf(view, {}), reason: `The deploy could not be started: ${(e as Error).message}` });
      if (r.ok) await writeEntry(deps, req.env, entry, r.entry, view).catch(() => undefined);
    }
    throw e;
  }
}
