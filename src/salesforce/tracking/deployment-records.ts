/**
 * Mapping between deployment records (and their history entries) of the tracking schema and the
 * core model. The package fact is spread over its own fields (shown in the org's UI); the other
 * facts (validation, deploy, dependency check, snapshot, the package's file digests) are one JSON
 * long text, written whole with the record so one conditional update covers them.
 */
import {
  isDeploymentStatus,
  type BackDeployFact,
  type ComponentRef,
  type DeploymentHistoryEntry,
  type DeploymentRecord,
  type DependencyCheckFact,
  type DeployFact,
  type RevertFact,
  type SnapshotFact,
  type TestLevel,
  type ValidationFact,
} from '../../core/deployments';
import { TEST_LEVELS } from '../../core/pipeline/types';
import { CHAIN_FIELDS, fromChainEntry, toChainEntry } from './chain-rows';
import { componentList, text, unreadableField, type Row } from './rows';
import type { FilePointer } from './spill';

export const DEPLOYMENT_FIELDS = [
  'Id',
  'Name',
  'Change_Request__c',
  'CR_Number__c',
  'Source_Environment__c',
  'Target_Environment__c',
  'Components__c',
  'Test_Level__c',
  'Run_Tests__c',
  'Status__c',
  'Approvers__c',
  'Submitted_By__c',
  'Package_Document_Id__c',
  'Package_Retrieved_At__c',
  'Package_Retrieved_By__c',
  'Package_Component_Count__c',
  'Facts__c',
  'Version__c',
  'CreatedById',
  'LastModifiedDate',
] as const;

export const DEPLOYMENT_HISTORY_FIELDS = CHAIN_FIELDS;

/** The long text fields whose value may not fit (10,000 components): kept in a file linked to the record then (spill.ts). */
export const DEPLOYMENT_SPILLABLE = ['Components__c', 'Facts__c'] as const;

const lines = (v: unknown): string[] =>
  text(v)
    .split(/[\s,;]+/)
    .filter(Boolean);

/** What Facts__c holds. */
interface Facts {
  validation?: ValidationFact;
  deploy?: DeployFact;
  dependencyCheck?: DependencyCheckFact;
  snapshotId?: string;
  snapshot?: SnapshotFact;
  revert?: RevertFact;
  packageDigests?: Record<string, string>;
  /** A large package's digests kept in their own file (written once per package, not with every save): its pointer. */
  packageDigestsFile?: FilePointer;
  backDeploy?: BackDeployFact;
}

/** The pointer to the file holding the package's digests, when Facts__c (plain JSON, not itself spilled) has one. */
export function digestsFileOf(row: Row): FilePointer | undefined {
  const raw = text(row.Facts__c).trim();
  if (!raw.startsWith('{') || raw.startsWith('{"changelineFile"') || !raw.includes('"packageDigestsFile"')) return undefined;
  try {
    const p = (JSON.parse(raw) as Facts).packageDigestsFile;
    return p && typeof p.document === 'string' && typeof p.version === 'string' && typeof p.sha256 === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}

const unreadable = (row: Row, field: string, what: string) => unreadableField(row, field, 'deployment record', what);

const components = (row: Row): ComponentRef[] => componentList(row, 'Components__c', 'deployment record');

function facts(row: Row): Facts {
  const raw = text(row.Facts__c).trim();
  if (!raw) return {};
  try {
    const f = JSON.parse(raw) as unknown;
    if (f && typeof f === 'object' && !Array.isArray(f)) return f as Facts;
  } catch {
    // fall through
  }
  throw unreadable(row, 'Facts__c', 'a JSON object');
}

/** Salesforce returns date-times as 2026-12-06T21:00:00.000+0000: the model keeps ISO (Z). */
export function isoDate(v: unknown): string {
  const d = new Date(text(v).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? text(v) : d.toISOString();
}

/** A deployment record (query row) as the core model; `digests`: the package's digests read from their own file (digestsFileOf). */
export function toDeployment(row: Row, digests?: Record<string, string>): DeploymentRecord {
  const status = text(row.Status__c);
  const level = text(row.Test_Level__c);
  const f = facts(row);
  const d: DeploymentRecord = {
    id: text(row.Id),
    number: text(row.Name),
    crId: text(row.Change_Request__c),
    sourceEnvironment: text(row.Source_Environment__c),
    targetEnvironment: text(row.Target_Environment__c),
    components: components(row),
    runTests: lines(row.Run_Tests__c),
    approvers: lines(row.Approvers__c),
    // Blank: a draft. Any other value is a row Changeline did not write as a deployment record (the
    // object existed before records did): shown closed, so it is neither deployed nor deleted as a draft.
    status: isDeploymentStatus(status) ? status : status ? 'Abandoned' : 'Draft',
    version: Number.isFinite(Number(row.Version__c)) ? Number(row.Version__c) : 0,
    lastModified: text(row.LastModifiedDate) || undefined,
    createdBy: text(row.CreatedById) || undefined,
  };
  if (text(row.CR_Number__c)) d.crNumber = text(row.CR_Number__c);
  if ((TEST_LEVELS as readonly string[]).includes(level)) d.testLevel = level as TestLevel;
  if (text(row.Submitted_By__c)) d.submittedBy = text(row.Submitted_By__c);
  if (text(row.Package_Document_Id__c)) {
    d.package = {
      fileId: text(row.Package_Document_Id__c),
      retrievedAt: isoDate(row.Package_Retrieved_At__c),
      componentCount: Number(row.Package_Component_Count__c) || 0,
      ...(text(row.Package_Retrieved_By__c) ? { retrievedBy: text(row.Package_Retrieved_By__c) } : {}),
      ...(f.packageDigests ? { digests: f.packageDigests } : digests && f.packageDigestsFile ? { digests } : {}),
    };
  }
  if (f.validation) d.validation = f.validation;
  if (f.deploy) d.deploy = f.deploy;
  if (f.dependencyCheck) d.dependencyCheck = f.dependencyCheck;
  if (f.snapshotId) d.snapshotId = f.snapshotId;
  if (f.snapshot) d.snapshot = f.snapshot;
  if (f.revert) d.revert = f.revert;
  if (f.backDeploy) d.backDeploy = f.backDeploy;
  return d;
}

/**
 * The writable fields of a deployment record (all of them, so a fact dropped by the rules is cleared in the org too).
 * With `digestsFile`, the package's digests are not in Facts__c but in that file (the pointer is).
 */
export function fromDeployment(d: DeploymentRecord, digestsFile?: FilePointer): Row {
  const f: Facts = {
    ...(d.validation ? { validation: d.validation } : {}),
    ...(d.deploy ? { deploy: d.deploy } : {}),
    ...(d.dependencyCheck ? { dependencyCheck: d.dependencyCheck } : {}),
    ...(d.snapshotId ? { snapshotId: d.snapshotId } : {}),
    ...(d.snapshot ? { snapshot: d.snapshot } : {}),
    ...(d.revert ? { revert: d.revert } : {}),
    ...(d.package?.digests ? (digestsFile ? { packageDigestsFile: digestsFile } : { packageDigests: d.package.digests }) : {}),
    ...(d.backDeploy ? { backDeploy: d.backDeploy } : {}),
  };
  return {
    Change_Request__c: d.crId || null,
    CR_Number__c: d.crNumber ?? null,
    Source_Environment__c: d.sourceEnvironment,
    Target_Environment__c: d.targetEnvironment,
    Components__c: JSON.stringify(d.components),
    Test_Level__c: d.testLevel ?? null,
    Run_Tests__c: d.runTests.join('\n'),
    Status__c: d.status,
    Approvers__c: d.approvers.join('\n'),
    Submitted_By__c: d.submittedBy ?? null,
    Package_Document_Id__c: d.package?.fileId ?? null,
    Package_Retrieved_At__c: d.package?.retrievedAt ?? null,
    Package_Retrieved_By__c: d.package?.retrievedBy ?? null,
    Package_Component_Count__c: d.package ? d.package.componentCount : null,
    Facts__c: Object.keys(f).length ? JSON.stringify(f) : null,
    // The legacy columns of schema 1, kept filled for reports built on them.
    Deploy_Id__c: d.deploy?.id ?? null,
    Started__c: d.deploy?.startedAt ?? null,
    Completed__c: d.deploy?.completedAt ?? null,
  };
}

export const toDeploymentHistoryEntry = (row: Row): DeploymentHistoryEntry => toChainEntry<DeploymentHistoryEntry>(row);

export const fromDeploymentHistoryEntry = (deploymentId: string, e: DeploymentHistoryEntry): Row => fromChainEntry('Deployment__c', deploymentId, e);
