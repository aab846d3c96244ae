/**
 * The change request (CR) domain model: plain data, shared by the rules, the history chain, the
 * conflict merge and the Salesforce repository that stores CRs in an org.
 */
import type { ComponentRef } from '../metadata-types';

export type { ComponentRef };

/**
 * `Ready` and `Idle` are where a CR goes in the SOURCE environment once a deployment record took
 * it to the next one (the environment's role decides: development → Ready, any later stage →
 * Idle; see after-deploy.ts); `Deployed` is the CR's copy in the TARGET, linked to the record.
 */
export const STATUSES = ['Draft', 'Pending approval', 'Approved', 'Rejected', 'Deploying', 'Deployed', 'Ready', 'Idle', 'Completed', 'Cancelled'] as const;
export type CrStatus = (typeof STATUSES)[number];

/** Statuses a CR can still leave (Cancelled is reachable from each of them). */
export const OPEN_STATUSES: readonly CrStatus[] = ['Draft', 'Pending approval', 'Approved', 'Rejected', 'Deploying', 'Deployed', 'Ready', 'Idle'];

export const CHANGE_TYPES = ['Feature', 'Bug fix', 'Configuration', 'Hotfix', 'Data', 'Other'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** The fields a user edits; the rest is set by Changeline (ids, number, status flow, origin). */
export interface ChangeRequestFields {
  name: string;
  changeType: ChangeType;
  overview: string;
  /** Components that exist in this org. */
  customizations: ComponentRef[];
  /** Components not yet in this org (e.g. to come from another environment). */
  proposedCustomizations: ComponentRef[];
  /** User ids (of this org) who may approve or reject. */
  approvers: string[];
}

export interface ChangeRequest extends ChangeRequestFields {
  /** Record id in the org; absent before the CR is saved. */
  id?: string;
  /** Auto-number shown to users, e.g. CR-00042; absent before the CR is saved. */
  number?: string;
  status: CrStatus;
  /** The user who submitted it for approval last (empty while a draft never submitted). */
  submittedBy?: string;
  /** The CR it was pulled from (record id in this org), when pulled. */
  parentId?: string;
  /**
   * The CR this one is a synced copy of (pushed here or pulled from another environment): its
   * org, record id there and, when synced by this release, its number and environment name.
   */
  origin?: { orgId: string; recordId: string; number?: string; environment?: string };
  /** JSON snapshot of the synced fields at the last sync (see sync.ts); absent if never synced. */
  syncBase?: string;
  /** The deployment record that deployed this CR here (set on the target's copy after a successful deploy). */
  deployment?: DeploymentLink;
  /** LastModifiedDate as read, for update-if-unmodified. */
  lastModified?: string;
  /**
   * The record's version as read (0 for a record saved before versions existed); a save writes
   * one more, and the org refuses it if someone saved in between.
   */
  version?: number;
  createdBy?: string;
}

/** Where the deployment record that deployed a CR lives: records stay in the source environment's org. */
export interface DeploymentLink {
  /** Org id and record id of the deployment record. */
  orgId: string;
  recordId: string;
  /** DEP-00042, for display. */
  number?: string;
  /** The pipeline environment holding the record (the source of the deploy). */
  environment?: string;
  /** The deploy id in this org. */
  deployId?: string;
  /** ISO date-time of the deploy's end. */
  at?: string;
}

/** Fields compared by the history diff and the conflict merge, with their labels. */
export const TRACKED_FIELDS = {
  name: 'Name',
  changeType: 'Change type',
  overview: 'Overview',
  customizations: 'Customizations',
  proposedCustomizations: 'Proposed customizations',
  approvers: 'Additional approvers',
  status: 'Status',
} as const;
export type TrackedField = keyof typeof TRACKED_FIELDS;

export const NAME_MAX = 80;
export const OVERVIEW_MAX = 32768;

export function isStatus(s: unknown): s is CrStatus {
  return typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
}
export function isChangeType(s: unknown): s is ChangeType {
  return typeof s === 'string' && (CHANGE_TYPES as readonly string[]).includes(s);
}

/** A new draft with empty lists. */
export function newDraft(fields: Partial<ChangeRequestFields> & { name: string }): ChangeRequest {
  return {
    changeType: 'Feature',
    overview: '',
    customizations: [],
    proposedCustomizations: [],
    approvers: [],
    ...fields,
    status: 'Draft',
  };
}

/** Same component lists, ignoring order and duplicates. */
export function sameComponents(a: readonly ComponentRef[], b: readonly ComponentRef[]): boolean {
  const key = (l: readonly ComponentRef[]): string => [...new Set(l.map((c) => `${c.type}:${c.fullName}`))].sort().join('\n');
  return key(a) === key(b);
}
