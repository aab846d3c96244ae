/**
 * Push and pull of a change request between two orgs' change tracking.
 *
 * The receiving record is the copy an earlier sync made (found by its origin), or — when the sent
 * CR is itself a copy of a CR of the receiving org — that original, so a CR pulled down and
 * pushed back updates where it came from instead of making a third copy. Otherwise a new Draft
 * copy is created. Updates merge three ways against the sync base (core sync.ts): one-sided edits
 * merge, edits on both sides come back as a conflict for the user, and nothing is written until
 * every conflicting field has a choice.
 *
 * All or nothing: when a step fails after the new copy was created, the copy is deleted again;
 * when it fails after an existing copy was updated, the copy's previous fields are written back.
 * A retry after a failure at any point (even a crash) finds the same copy and completes it.
 */
import {
  allComponents,
  applyEdit,
  componentKey,
  entriesForChange,
  newCopy,
  parseSnapshot,
  placeComponents,
  placedForTarget,
  resolve,
  sameComponents,
  snapshot,
  SNAPSHOT_MAX,
  syncChanges,
  syncMerge,
  validateFields,
  type ChangeRequest,
  type ComponentRef,
  type HistoryEntry,
  type HistoryEntryDraft,
  type MergeResult,
  type TrackedField,
} from '../../core/change-requests';
import type { OrgConnection } from '../connection';
import { SalesforceError, throwIfAborted, toSalesforceError } from '../errors';
import { appendHistory, createChangeRequest, getChangeRequest, readHistory, updateChangeRequest } from './repository';
import { checkRecordId } from '../records';
import { componentsExisting, findCopy, removeWithHistory, sameId } from './sync-records';

export interface SyncRequest {
  /** Where the CR being sent lives. */
  from: OrgConnection;
  fromEnvironment: string;
  /** The receiving org. */
  to: OrgConnection;
  toEnvironment: string;
  /** Id of the CR in `from`. */
  crId: string;
  /** push: the user acts in `from`; pull: the user acts in `to`. */
  direction: 'push' | 'pull';
  /** User ids of the acting user in each org (for the history). */
  actorFrom: string;
  actorTo: string;
  /** Answers to a previous conflict ('mine' = the sent CR's value). */
  choices?: Partial<Record<TrackedField, 'mine' | 'theirs'>>;
  signal?: AbortSignal;
  /** Clock for history dates (default: now). */
  now?: () => Date;
}

export type SyncOutcome =
  | { ok: true; copy: ChangeRequest; created: boolean; /** Components marked not-in-org in the copy. */ proposed: ComponentRef[] }
  /** Nothing was written: ask the user and call again with `choices`. */
  | { ok: false; reason: string; conflict: MergeResult };

const label = (cr: ChangeRequest): string => cr.number ?? `"${cr.name}"`;

interface Run {
  req: SyncRequest;
  source: ChangeRequest;
  exists: (c: ComponentRef) => boolean;
  at: string;
}

export async function syncChangeRequest(req: SyncRequest): Promise<SyncOutcome> {
  const { from, to } = req;
  checkRecordId(req.crId, 'a change request id');
  checkRecordId(req.actorFrom, `a user id of "${req.fromEnvironment}"`);
  checkRecordId(req.actorTo, `a user id of "${req.toEnvironment}"`);
  if (sameId(from.orgId, to.orgId)) {
    throw new SalesforceError('invalid-request', `"${req.fromEnvironment}" and "${req.toEnvironment}" are the same org; choose another environment to sync with.`, undefined, to.label);
  }
  throwIfAborted(req.signal, to.label);
  // Read the receiving org first: without change tracking there, this fails before anything is written.
  const copy = await findCopy(to, from.orgId, req.crId);
  throwIfAborted(req.signal, from.label);
  const source = await getChangeRequest(from, req.crId);
  let receiving = copy;
  let baseOnSource = false;
  if (source.origin && sameId(source.origin.orgId, to.orgId) && source.origin.recordId) {
    const original = await getChangeRequest(to, source.origin.recordId).catch((e: unknown) => {
      if (e instanceof SalesforceError && e.kind === 'not-found' && !('code' in e)) return undefined; // the original was deleted
      throw e;
    });
    if (original) {
      receiving = original;
      baseOnSource = true;
    }
  }
  const base = baseOnSource ? source.syncBase : receiving?.syncBase;
  const parsedBase = parseSnapshot(base);
  const refs = [...allComponents(source), ...(receiving ? allComponents(receiving) : []), ...(parsedBase ? allComponents(parsedBase) : [])];
  throwIfAborted(req.signal, to.label);
  const existing = await componentsExisting(to, refs, req.signal);
  const run: Run = { req, source, exists: (c) => existing.has(componentKey(c)), at: (req.now?.() ?? new Date()).toISOString() };
  if (!receiving) return create(run);
  return update(run, receiving, baseOnSource, 0);
}

/** The entry in the receiving CR's history. */
function receivedEntry(run: Run): HistoryEntryDraft {
  const { req, source } = run;
  return {
    action: req.direction === 'pull' ? 'pulled' : 'pushed',
    actorId: req.actorTo,
    at: run.at,
    details: { org: req.fromEnvironment, number: source.number, direction: req.direction, role: 'received' },
  };
}

/** The entry in the sent CR's history. */
function sentEntry(run: Run, copy: ChangeRequest): HistoryEntryDraft {
  const { req } = run;
  return { action: 'pushed', actorId: req.actorFrom, at: run.at, details: { org: req.toEnvironment, number: copy.number, direction: req.direction, role: 'sent' } };
}

async function create(run: Run): Promise<SyncOutcome> {
  const { req, source } = run;
  const copy = newCopy(source, { orgId: req.from.orgId, environment: req.fromEnvironment }, placeComponents(allComponents(source), run.exists));
  const valid = validateFields(copy);
  if (!valid.ok) throw new SalesforceError('invalid-request', `${label(source)} cannot be synced to "${req.toEnvironment}": ${valid.reason}`, undefined, req.from.label);
  tooLong(run, copy.syncBase!);
  throwIfAborted(req.signal, req.to.label);
  const created = await createChangeRequest(req.to, copy);
  try {
    throwIfAborted(req.signal, req.to.label);
    await appendHistory(req.to, created.id!, [receivedEntry(run)], []);
    throwIfAborted(req.signal, req.from.label);
    await appendHistory(req.from, source.id!, [sentEntry(run, created)]);
  } catch (e) {
    const removed = await removeWithHistory(req.to, created.id!).then(
      () => true,
      () => false,
    );
    throw failed(run, e, removed ? `nothing was kept in "${req.toEnvironment}"` : `its unfinished copy ${label(created)} could not be removed from "${req.toEnvironment}" (a retry completes it)`);
  }
  return { ok: true, copy: created, created: true, proposed: created.proposedCustomizations };
}

async function update(run: Run, receiving: ChangeRequest, baseOnSource: boolean, attempt: number): Promise<SyncOutcome> {
  const { req, source } = run;
  const base = parseSnapshot(baseOnSource ? source.syncBase : receiving.syncBase);
  const mine = placedForTarget(source, run.exists);
  const result = syncMerge(base, mine, receiving, run.exists);
  let target: ChangeRequest = result.merged;
  if (result.conflicts.length) {
    const chosen = resolve(result, req.choices ?? {});
    if (!chosen.ok) {
      const fields = result.conflicts.filter((c) => req.choices?.[c.field] === undefined).map((c) => c.label);
      return {
        ok: false,
        reason: `${label(source)} in "${req.fromEnvironment}" and ${label(receiving)} in "${req.toEnvironment}" were both changed since they were last synced; choose which version to keep for: ${fields.join(', ')}.`,
        conflict: result,
      };
    }
    target = chosen.cr;
  }
  const edit = applyEdit(receiving, syncChanges(target), { userId: req.actorTo });
  if (!edit.ok) throw new SalesforceError('invalid-request', `${label(receiving)} in "${req.toEnvironment}" cannot take the sync: ${edit.reason}`, undefined, req.to.label);
  const newBase = snapshot(mine);
  tooLong(run, newBase);
  const next: ChangeRequest = baseOnSource ? edit.cr : { ...edit.cr, syncBase: newBase };
  // The same components in another order are no edit: keep the copy's order.
  if (sameComponents(next.customizations, receiving.customizations)) next.customizations = receiving.customizations;
  if (sameComponents(next.proposedCustomizations, receiving.proposedCustomizations)) next.proposedCustomizations = receiving.proposedCustomizations;
  const edits = entriesForChange(receiving, next, req.actorTo, run.at);
  const baseChanged = (baseOnSource ? source.syncBase : receiving.syncBase) !== newBase;
  const chain = await readHistory(req.to, receiving.id!);
  // A copy without history was created by a sync that stopped before its history: complete it.
  const unfinished = chain.length === 0;
  if (edits.length === 0 && !baseChanged && !unfinished) return { ok: true, copy: receiving, created: false, proposed: receiving.proposedCustomizations };

  throwIfAborted(req.signal, req.to.label);
  let stored = receiving;
  if (edits.length > 0 || (baseChanged && !baseOnSource)) {
    try {
      stored = await updateChangeRequest(req.to, next);
    } catch (e) {
      if (!(e instanceof SalesforceError) || e.kind !== 'conflict') throw failed(run, e, `nothing was changed in "${req.toEnvironment}"`);
      // Someone changed the copy between our read and write: merge again over what is there now.
      const fresh = await getChangeRequest(req.to, receiving.id!);
      if (attempt === 0) return update(run, fresh, baseOnSource, 1);
      const again = syncMerge(base, mine, fresh, run.exists);
      return { ok: false, reason: `${label(fresh)} was changed in "${req.toEnvironment}" while syncing; review the fields and sync again.`, conflict: again };
    }
  }
  try {
    throwIfAborted(req.signal, req.to.label);
    await appendHistory(req.to, stored.id!, [...edits, receivedEntry(run)], chain);
  } catch (e) {
    const restored =
      stored === receiving ||
      (await updateChangeRequest(req.to, { ...receiving, syncBase: receiving.syncBase ?? '', lastModified: stored.lastModified, version: stored.version }).then(
        () => true,
        () => false,
      ));
    throw failed(run, e, restored ? `nothing was changed in "${req.toEnvironment}"` : `${label(receiving)} in "${req.toEnvironment}" may hold the new fields without their history (a retry records it)`);
  }
  await recordOnSource(run, stored, baseOnSource && baseChanged ? newBase : undefined);
  return { ok: true, copy: stored, created: false, proposed: stored.proposedCustomizations };
}

/** After an update: the sent CR's history entry and, when the base lives on it, the new base. */
async function recordOnSource(run: Run, stored: ChangeRequest, newBase: string | undefined): Promise<void> {
  const { req, source } = run;
  try {
    let chain: HistoryEntry[] | undefined;
    if (newBase !== undefined) {
      await updateChangeRequest(req.from, { ...source, syncBase: newBase });
      chain = await readHistory(req.from, source.id!);
    }
    await appendHistory(req.from, source.id!, [sentEntry(run, stored)], chain);
  } catch (e) {
    const err = toSalesforceError(e, { org: req.from.label });
    throw new SalesforceError(
      err.kind,
      `${label(stored)} in "${req.toEnvironment}" was updated, but recording the sync on ${label(source)} in "${req.fromEnvironment}" failed: ${err.message} Syncing again is safe.`,
      err.detail,
      req.from.label,
    );
  }
}

function tooLong(run: Run, base: string): void {
  if (base.length > SNAPSHOT_MAX) {
    throw new SalesforceError('invalid-request', `${label(run.source)} is too large to sync (its fields take ${base.length} characters, the limit is ${SNAPSHOT_MAX}); shorten its overview or split its components into several change requests.`);
  }
}

/** The error for a sync that stopped midway, saying what was kept and to retry. */
function failed(run: Run, e: unknown, kept: string): SalesforceError {
  const { req, source } = run;
  const err = toSalesforceError(e, { org: req.to.label });
  const verb = req.direction === 'push' ? `Pushing ${label(source)} to "${req.toEnvironment}"` : `Pulling ${label(source)} into "${req.toEnvironment}"`;
  if (err.kind === 'cancelled') return new SalesforceError('cancelled', `${verb} was cancelled; ${kept}.`, err.detail, req.to.label);
  return new SalesforceError(err.kind, `${verb} failed: ${err.message.replace(/\.?$/, '.')} ${capital(kept)}; try again.`, err.detail, req.to.label);
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
