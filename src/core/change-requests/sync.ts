/**
 * Sync of a change request between environments (push or pull), as pure functions.
 *
 * A copy in the receiving org shares the *synced* fields with the CR it was made from: name,
 * change type, overview and the components. Status, approvers and submitter are not synced: the
 * copy has its own approval in its own org, and a new copy starts as a Draft with no approvers.
 *
 * Components are placed relative to the receiving org: those that exist there are its
 * customizations, the others are proposed customizations ("not in this org yet"). Placement is
 * a function of the set of components and of what the org holds, so before comparing, every side
 * (base, sent, copy) is placed again in the receiving org; the comparison is then about which
 * components the CR lists, not about which org listed them where.
 *
 * The copy remembers the synced fields as they were sent last time (its sync base, a JSON
 * snapshot): at the next sync a three-way comparison against it merges one-sided edits and
 * reports fields both sides changed differently, for the user to choose.
 */
import { threeWay, type MergeResult } from './conflicts';
import { canonicalJson } from './history';
import { isChangeType, type ChangeRequest, type ChangeRequestFields, type ComponentRef, type TrackedField } from './model';

export const SYNCED_FIELDS = ['name', 'changeType', 'overview', 'customizations', 'proposedCustomizations'] as const satisfies readonly TrackedField[];
export type SyncedField = (typeof SYNCED_FIELDS)[number];
export type SyncSnapshot = Pick<ChangeRequestFields, SyncedField>;

/** The longest snapshot the sync base field holds (a LongTextArea of 131,072 characters). */
export const SNAPSHOT_MAX = 131072;

import { componentKey } from '../metadata-types';

export { componentKey };

/** Sorted by type then name, without duplicates. */
export function sortComponents(list: readonly ComponentRef[]): ComponentRef[] {
  const seen = new Map<string, ComponentRef>();
  for (const c of list) if (!seen.has(componentKey(c))) seen.set(componentKey(c), { type: c.type, fullName: c.fullName });
  return [...seen.values()].sort((a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName));
}

export interface Placed {
  /** Components that exist in the receiving org. */
  customizations: ComponentRef[];
  /** Components that do not exist there: marked as proposed. */
  proposedCustomizations: ComponentRef[];
}

/** Splits components into those the receiving org has and those it lacks (both sorted). */
export function placeComponents(all: readonly ComponentRef[], existsInTarget: (c: ComponentRef) => boolean): Placed {
  const sorted = sortComponents(all);
  return {
    customizations: sorted.filter((c) => existsInTarget(c)),
    proposedCustomizations: sorted.filter((c) => !existsInTarget(c)),
  };
}

/** Every component a CR lists, customizations and proposed alike. */
export function allComponents(cr: Pick<ChangeRequestFields, 'customizations' | 'proposedCustomizations'>): ComponentRef[] {
  return sortComponents([...cr.customizations, ...cr.proposedCustomizations]);
}

/** The synced fields of a CR, components sorted. */
export function syncedFields(cr: SyncSnapshot): SyncSnapshot {
  return {
    name: cr.name,
    changeType: cr.changeType,
    overview: cr.overview,
    customizations: sortComponents(cr.customizations),
    proposedCustomizations: sortComponents(cr.proposedCustomizations),
  };
}

/** The sync base text for a CR (canonical JSON of its synced fields). */
export function snapshot(cr: SyncSnapshot): string {
  return canonicalJson(syncedFields(cr));
}

/** Reads a sync base; undefined when absent or not a snapshot (then every difference is a conflict). */
export function parseSnapshot(text: string | undefined): SyncSnapshot | undefined {
  if (!text?.trim()) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const list = (x: unknown): ComponentRef[] | undefined =>
    Array.isArray(x) && x.every((c) => c && typeof c === 'object' && typeof c.type === 'string' && typeof c.fullName === 'string')
      ? (x as ComponentRef[]).map((c) => ({ type: c.type, fullName: c.fullName }))
      : undefined;
  const customizations = list(o.customizations);
  const proposedCustomizations = list(o.proposedCustomizations);
  if (typeof o.name !== 'string' || !isChangeType(o.changeType) || typeof o.overview !== 'string' || !customizations || !proposedCustomizations) return undefined;
  return { name: o.name, changeType: o.changeType, overview: o.overview, customizations, proposedCustomizations };
}

/** The sent CR's synced fields with its components placed in the receiving org. */
export function placedForTarget(cr: SyncSnapshot, existsInTarget: (c: ComponentRef) => boolean): SyncSnapshot {
  return { ...syncedFields(cr), ...placeComponents(allComponents(cr), existsInTarget) };
}

/**
 * A new copy of `source` for the receiving org: a Draft without approvers, pointing at its
 * origin, with `placed` as its components and its own synced fields as sync base.
 */
export function newCopy(source: ChangeRequest, from: { orgId: string; environment: string }, placed: Placed): ChangeRequest {
  if (!source.id) throw new Error('Only a saved change request can be synced.');
  const copy: ChangeRequest = {
    name: source.name,
    changeType: source.changeType,
    overview: source.overview,
    customizations: sortComponents(placed.customizations),
    proposedCustomizations: sortComponents(placed.proposedCustomizations),
    approvers: [],
    status: 'Draft',
    origin: { orgId: from.orgId, recordId: source.id, ...(source.number ? { number: source.number } : {}), environment: from.environment },
  };
  copy.syncBase = snapshot(copy);
  return copy;
}

/**
 * Three-way merge of the synced fields: `base` = the snapshot of the last sync (undefined when
 * there is none: then every field that differs is a conflict), `mine` = the sent CR, `theirs` =
 * the receiving CR as it is now. All three are placed in the receiving org first. The fields
 * that are not synced keep theirs' values. The merged CR is theirs with the merge applied.
 */
export function syncMerge(base: SyncSnapshot | undefined, mine: SyncSnapshot, theirs: ChangeRequest, existsInTarget: (c: ComponentRef) => boolean): MergeResult {
  const theirsPlaced: ChangeRequest = { ...theirs, ...placedForTarget(theirs, existsInTarget) };
  const mineView: ChangeRequest = { ...theirsPlaced, ...placedForTarget(mine, existsInTarget) };
  const baseView: ChangeRequest = base
    ? { ...theirsPlaced, ...placedForTarget(base, existsInTarget) }
    : ({ ...theirsPlaced, name: undefined, changeType: undefined, overview: undefined, customizations: undefined, proposedCustomizations: undefined } as unknown as ChangeRequest);
  const result = threeWay(baseView, mineView, theirsPlaced);
  // The base view's placeholders for a missing base must not leak into the result.
  if (!base) for (const c of result.conflicts) c.base = undefined;
  return result;
}

/** The synced fields a merged or resolved CR sets, as edits for rules.applyEdit. */
export function syncChanges(cr: SyncSnapshot): Partial<ChangeRequestFields> {
  const { name, changeType, overview, customizations, proposedCustomizations } = cr;
  return { name, changeType, overview, customizations, proposedCustomizations };
}

/** Whether two CRs agree on every synced field (components compared as sets). */
export function sameSynced(a: SyncSnapshot, b: SyncSnapshot): boolean {
  return snapshot(a) === snapshot(b);
}
