/**
 * Push a change request to another environment, or pull one from it, until the copy is written.
 * A copy changed on both sides is never overwritten silently: the workflow asks `resolve` for the
 * differing fields and syncs again with the answers. A receiver (or sender) without change
 * tracking, or with an old version, is handed to `offerInstall`, then the sync is retried.
 * The questions are callbacks: the editor asks with quick picks, the CLI from its flags.
 */
import type { FieldConflict, TrackedField } from '../../core/change-requests';
import type { SyncOutcome } from '../../salesforce/tracking/sync';
import type { RunOptions, WorkflowDeps } from '../types';

export type SyncChoices = Partial<Record<TrackedField, 'mine' | 'theirs'>>;

export interface SyncLeg {
  fromEnv: string;
  toEnv: string;
  crId: string;
  direction: 'push' | 'pull';
  choices?: SyncChoices;
}

export interface SyncQuestions {
  /** Which side each conflicting field keeps; undefined stops the sync. */
  resolve(conflicts: readonly FieldConflict[], given: SyncChoices): Promise<SyncChoices | undefined>;
  /** Tracking is missing (or `outdated`) in `env`: true once it was installed, so the sync retries. */
  offerInstall(env: string, outdated: boolean): Promise<boolean>;
}

export type SyncDone = Extract<SyncOutcome, { ok: true }>;

/** Undefined when the user stopped (declined a question or the install). */
export async function syncUntilDone(deps: WorkflowDeps, leg: SyncLeg, ask: SyncQuestions, opts: RunOptions = {}): Promise<SyncDone | undefined> {
  const sf = await deps.salesforce();
  let choices = leg.choices;
  for (let attempt = 0; attempt < 5; attempt++) {
    const from = await deps.sessions.get(leg.fromEnv);
    const to = await deps.sessions.get(leg.toEnv);
    let outcome: SyncOutcome;
    try {
      opts.onProgress?.({ message: `${leg.direction === 'push' ? 'Pushing to' : 'Pulling into'} ${leg.toEnv}…` });
      outcome = await sf.syncChangeRequest({
        from: from.handle,
        fromEnvironment: leg.fromEnv,
        to: to.handle,
        toEnvironment: leg.toEnv,
        crId: leg.crId,
        direction: leg.direction,
        actorFrom: from.userId,
        actorTo: to.userId,
        choices,
        signal: opts.signal,
      });
    } catch (e) {
      const outdated = sf.isTrackingOutdated(e);
      if (!outdated && !sf.isTrackingMissing(e)) throw e;
      // The error names the org whose tracking is missing or old: the sender's, or the receiver's.
      const failing = (e as { org?: string }).org;
      const env = failing !== undefined && failing === from.handle.label && failing !== to.handle.label ? leg.fromEnv : leg.toEnv;
      deps.log.info(`Sync to ${leg.toEnv}: ${(e as Error).message}`);
      if (!(await ask.offerInstall(env, outdated))) return undefined;
      continue;
    }
    if (outcome.ok) return outcome;
    deps.log.info(`Sync to ${leg.toEnv}: ${outcome.reason}`);
    const next = await ask.resolve(outcome.conflict.conflicts, choices ?? {});
    if (!next) return undefined;
    choices = next;
  }
  throw new Error(`The copy in ${leg.toEnv} kept changing while syncing; try again in a moment.`);
}
