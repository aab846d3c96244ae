/**
 * The deployment record domain model: plain data for deploying one change request from its
 * environment to the next one. Validations, the package and the deploy are recorded facts; the
 * status says where the record is in its approval and release.
 */
import type { ChangeRequest } from '../change-requests/model';
import type { CodeCoverage, ComponentRef, DeployStatus, TestLevel } from '../metadata-types';

export type { ComponentRef, TestLevel };

export const DEPLOYMENT_STATUSES = [
  'Draft',
  'Pending approval',
  'Approved',
  'Rejected',
  'Deploying',
  'Deployed',
  'Failed',
  'Cancelled',
  'Completed',
  'Reverted',
  'Abandoned',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/**
 * Statuses from which the package may be retrieved, checked, validated and deployed: approved,
 * or approved and then a deploy that failed or was cancelled (retry without a new approval).
 */
export const READY_STATUSES: readonly DeploymentStatus[] = ['Approved', 'Failed', 'Cancelled'];

/** Statuses in which the user-edited fields may change. */
export const EDITABLE_STATUSES: readonly DeploymentStatus[] = ['Draft', 'Pending approval', 'Rejected', 'Approved', 'Failed', 'Cancelled'];

/** The package retrieved from the source environment, stored as a file with the record in the org. */
export interface DeploymentPackage {
  /** Id of the stored file in the org (e.g. the ContentVersion id). */
  fileId: string;
  /** ISO date-time of the retrieve. */
  retrievedAt: string;
  /** User id of who retrieved it. */
  retrievedBy?: string;
  componentCount: number;
  /** Digest of each file, by path inside the package (to tell a changed target from a changed package). */
  digests?: Record<string, string>;
}

/** Code coverage as the org reported it for a validation or deploy. */
export interface CoverageSummary {
  /** Per Apex class and trigger (`type` is `Class` or `Trigger`), as the org reports it. */
  classes: CodeCoverage[];
  /** Org-wide percent when the org reported it; otherwise computed from `classes`. */
  orgWide?: number;
}

/** A validation (check-only deploy) of the package against the target, as a recorded fact. */
export interface ValidationFact {
  /** The check-only deploy id in the target (the id quick deploy needs). */
  id: string;
  startedAt: string;
  /** Absent while it runs. */
  completedAt?: string;
  /** User id of who ran it. */
  by: string;
  /** True for a check-only deploy (a validation); a regular deploy cannot be quick-deployed. */
  checkOnly: boolean;
  /** Final status in the org (Succeeded, Failed, Canceled), absent while it runs. */
  status?: DeployStatus;
  success?: boolean;
  testLevel: TestLevel;
  runTests?: string[];
  testsRun?: number;
  testsFailed?: number;
  coverage?: CoverageSummary;
  /** The Apex classes and triggers the validated package held (the RunSpecifiedTests coverage rule is about them). */
  apex?: ComponentRef[];
  componentErrors?: number;
  errorMessage?: string;
}

/** The deploy of the package to the target, as a recorded fact. */
export interface DeployFact {
  /** The deploy id in the target (kept so a deploy interrupted by a reload is followed to its end). */
  id: string;
  startedAt: string;
  completedAt?: string;
  /** User id of who started it. */
  by: string;
  status: DeployStatus;
  /** Set for a quick deploy: the validation it deployed. */
  quickDeployOf?: string;
  testLevel?: TestLevel;
  componentsDeployed?: number;
  componentErrors?: number;
  testsRun?: number;
  testsFailed?: number;
  errorMessage?: string;
}

/**
 * What a back-deploy brings down: the upper environment's deployments it combines, and which of
 * the record's components are deletions (deployed as destructive changes, not retrieved).
 */
export interface BackDeployFact {
  deployments: Array<{ id: string; at?: string; by?: string; message?: string }>;
  /** Components of the record that the upper environment deleted: removed from the target. */
  deletions: ComponentRef[];
  /** Components left out: identical in both environments. */
  identical: number;
  /** Components the user deselected (work in progress in the target, or by choice). */
  deselected: ComponentRef[];
}

/** The outcome of the last dependency check, kept with the record. */
export interface DependencyCheckFact {
  at: string;
  by: string;
  /** How many references are neither in the package nor in the target. */
  missing: number;
  /** Where the references came from. */
  sources: Array<'static scan' | 'org dependencies'>;
}

/**
 * The snapshot of the target taken right before the deploy (kept as a file with the record): the
 * target's versions of the package's components, and which of them the target did not have
 * (those are deleted by a revert).
 */
export interface SnapshotFact {
  /** The stored file (ContentDocument) id. */
  fileId: string;
  takenAt: string;
  /** User id of who took it (who deployed). */
  by: string;
  /** Components the target had (their versions are in the file). */
  existed: number;
  /** Components the target did not have. */
  absent: number;
}

/** The revert of the record's deploy: itself a deployment to the target. */
export interface RevertFact {
  /** The revert's deploy id in the target. */
  id: string;
  startedAt: string;
  completedAt?: string;
  by: string;
  /** Who reverted, by name (for messages in other orgs). */
  byName?: string;
  status: DeployStatus;
  /** The deploy it reverted. */
  revertOf?: string;
  overridden: number;
  deleted: number;
  skipped: number;
  /** The package's content fingerprint, so the same package is not deployed again as is. */
  packageFingerprint?: string;
  errorMessage?: string;
}

/** The fields a user edits. */
export interface DeploymentFields {
  /** What to deploy: the CR's customizations at first; any can be removed, missing dependencies added. */
  components: ComponentRef[];
  /** Absent: the target environment's default from the pipeline file, else Salesforce's default. */
  testLevel?: TestLevel;
  /** Test class names, with RunSpecifiedTests only. */
  runTests: string[];
  /** User ids (of the org holding the record) who may approve or reject. */
  approvers: string[];
}

export interface DeploymentRecord extends DeploymentFields {
  /** Record id in the org; absent before the record is saved. */
  id?: string;
  /** Auto-number shown to users, e.g. DEP-00042; absent before the record is saved. */
  number?: string;
  /** The change request deployed (record id, and its number for display). */
  crId: string;
  crNumber?: string;
  /** Environment names from the pipeline file. */
  sourceEnvironment: string;
  targetEnvironment: string;
  status: DeploymentStatus;
  createdBy?: string;
  /** Who submitted it for approval last. */
  submittedBy?: string;
  package?: DeploymentPackage;
  dependencyCheck?: DependencyCheckFact;
  /** The latest validation (a new one replaces it). */
  validation?: ValidationFact;
  /** The latest deploy (a retry replaces it; the history keeps every one). */
  deploy?: DeployFact;
  /** The snapshot of the target's versions taken before the deploy (for revert): its file id. */
  snapshotId?: string;
  /** The snapshot taken before the latest deploy. */
  snapshot?: SnapshotFact;
  /** The latest revert of the deploy (a failed one may be tried again). */
  revert?: RevertFact;
  /** Set when the record brings an upper environment's deployments down (a back-deploy, no change request). */
  backDeploy?: BackDeployFact;
  /** LastModifiedDate as read, for update-if-unmodified. */
  lastModified?: string;
  /** Record version as read (raised by one on every save; the org refuses a save from an older read). */
  version?: number;
}

/** Fields compared by the history diff, with their labels. */
export const TRACKED_DEPLOYMENT_FIELDS = {
  components: 'Components',
  testLevel: 'Test level',
  runTests: 'Test classes',
  approvers: 'Approvers',
  status: 'Status',
} as const;
export type TrackedDeploymentField = keyof typeof TRACKED_DEPLOYMENT_FIELDS;

export function isDeploymentStatus(s: unknown): s is DeploymentStatus {
  return typeof s === 'string' && (DEPLOYMENT_STATUSES as readonly string[]).includes(s);
}

/** How a record is named in messages: its number, else which CR it deploys where. */
export function deploymentLabel(d: Pick<DeploymentRecord, 'number' | 'crNumber' | 'crId' | 'targetEnvironment'>): string {
  return d.number ?? `the deployment of ${d.crNumber ?? d.crId} to ${d.targetEnvironment}`;
}

/**
 * A new draft record deploying a CR's customizations (the components its environment has;
 * proposed customizations are not in that environment, so they cannot be retrieved from it).
 */
export function newDeployment(cr: ChangeRequest, sourceEnvironment: string, targetEnvironment: string, createdBy?: string): DeploymentRecord {
  return {
    crId: cr.id ?? '',
    crNumber: cr.number,
    sourceEnvironment,
    targetEnvironment,
    components: cr.customizations.map((c) => ({ type: c.type, fullName: c.fullName })),
    runTests: [],
    approvers: [...cr.approvers],
    status: 'Draft',
    createdBy,
  };
}

export const isApex = (c: ComponentRef): boolean => c.type === 'ApexClass' || c.type === 'ApexTrigger';
