/**
 * Mapping between change request / history records of the tracking schema and the core model.
 */
import { isChangeType, isStatus, type ChangeRequest, type ComponentRef, type DeploymentLink, type HistoryEntry } from '../../core/change-requests';
import { CHAIN_FIELDS, fromChainEntry, toChainEntry } from './chain-rows';
import { componentList, text, type Row } from './rows';

export const CR_FIELDS = [
  'Id',
  'Name',
  'Title__c',
  'Change_Type__c',
  'Overview__c',
  'Status__c',
  'Parent__c',
  'Origin_Org_Id__c',
  'Origin_Record_Id__c',
  'Origin_Number__c',
  'Origin_Environment__c',
  'Sync_Base__c',
  'Deployment__c',
  'Approvers__c',
  'Submitted_By__c',
  'Customizations__c',
  'Proposed_Customizations__c',
  'Version__c',
  'CreatedById',
  'LastModifiedDate',
] as const;

export const HISTORY_FIELDS = CHAIN_FIELDS;


const components = (row: Row, field: string): ComponentRef[] => componentList(row, field, 'change request');

/** A CR record (query row) as the core model. */
export function toChangeRequest(row: Row): ChangeRequest {
  const status = text(row.Status__c) || 'Draft';
  const changeType = text(row.Change_Type__c) || 'Other';
  const originOrg = text(row.Origin_Org_Id__c);
  const originRec = text(row.Origin_Record_Id__c);
  const cr: ChangeRequest = {
    id: text(row.Id),
    number: text(row.Name),
    name: text(row.Title__c),
    changeType: isChangeType(changeType) ? changeType : 'Other',
    overview: text(row.Overview__c),
    status: isStatus(status) ? status : 'Draft',
    customizations: components(row, 'Customizations__c'),
    proposedCustomizations: components(row, 'Proposed_Customizations__c'),
    approvers: text(row.Approvers__c)
      .split(/[\s,;]+/)
      .filter(Boolean),
    lastModified: text(row.LastModifiedDate) || undefined,
    version: Number.isFinite(Number(row.Version__c)) ? Number(row.Version__c) : 0,
    createdBy: text(row.CreatedById) || undefined,
  };
  if (text(row.Submitted_By__c)) cr.submittedBy = text(row.Submitted_By__c);
  if (text(row.Parent__c)) cr.parentId = text(row.Parent__c);
  if (originOrg || originRec) {
    cr.origin = { orgId: originOrg, recordId: originRec };
    if (text(row.Origin_Number__c)) cr.origin.number = text(row.Origin_Number__c);
    if (text(row.Origin_Environment__c)) cr.origin.environment = text(row.Origin_Environment__c);
  }
  if (text(row.Sync_Base__c)) cr.syncBase = text(row.Sync_Base__c);
  const link = deploymentLink(text(row.Deployment__c));
  if (link) cr.deployment = link;
  return cr;
}

/** The writable fields of a CR record. */
export function fromChangeRequest(cr: ChangeRequest): Row {
  return {
    Title__c: cr.name,
    Change_Type__c: cr.changeType,
    Overview__c: cr.overview,
    Status__c: cr.status,
    Parent__c: cr.parentId ?? null,
    Origin_Org_Id__c: cr.origin?.orgId ?? null,
    Origin_Record_Id__c: cr.origin?.recordId ?? null,
    Origin_Number__c: cr.origin?.number ?? null,
    Origin_Environment__c: cr.origin?.environment ?? null,
    Approvers__c: cr.approvers.join('\n'),
    Submitted_By__c: cr.submittedBy ?? null,
    Customizations__c: JSON.stringify(cr.customizations),
    Proposed_Customizations__c: JSON.stringify(cr.proposedCustomizations),
    // Only the sync writes the base: an edit that dropped it (e.g. a CR rebuilt from a form) keeps the stored one.
    ...(cr.syncBase !== undefined ? { Sync_Base__c: cr.syncBase } : {}),
    // Written by the after-deploy step only; an edit that does not carry it keeps the stored one.
    ...(cr.deployment !== undefined ? { Deployment__c: JSON.stringify(cr.deployment) } : {}),
  };
}

/** The stored link to a deployment record; undefined when empty or not readable (the CR stays usable). */
function deploymentLink(raw: string): DeploymentLink | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<DeploymentLink>;
    if (typeof v.orgId !== 'string' || typeof v.recordId !== 'string') return undefined;
    const out: DeploymentLink = { orgId: v.orgId, recordId: v.recordId };
    for (const k of ['number', 'environment', 'deployId', 'at'] as const) if (typeof v[k] === 'string') out[k] = v[k];
    return out;
  } catch {
    return undefined;
  }
}

export const toHistoryEntry = (row: Row): HistoryEntry => toChainEntry<HistoryEntry>(row);

export const fromHistoryEntry = (crId: string, e: HistoryEntry): Row => fromChainEntry('Change_Request__c', crId, e);
