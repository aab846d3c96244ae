/**
 * The single entry of the Salesforce layer (bundled as dist/salesforce.js and loaded lazily by the
 * extension). Importing it has no side effects beyond loading the libraries.
 */
export { SalesforceError, toSalesforceError } from './errors';
export { OrgConnection } from './connection';
export { listAuthorizations, connect, authorizeWithToken, removeAuthorization, type TokenAuthorization } from './orgs/orgs';
export { authorizeWithWebLogin, type WebLoginOptions } from './orgs/login';
export { testConnection } from './orgs/info';
export { activeUsers, currentUserId, type OrgUser } from './orgs/users';
export {
  createRecord,
  getRecord,
  updateRecord,
  deleteRecord,
  updateIfUnmodifiedSince,
  queryPage,
  queryPages,
  query,
  toolingQuery,
  createRecords,
  updateRecords,
  COMPOSITE_LIMIT,
  type RecordFields,
  type SObjectRecord,
  type QueryOptions,
  type QueryPage,
  type BatchResult,
} from './records';
export { describeTypes, listComponents, type ListOptions } from './metadata/metadata-list';
export { retrieve, type RetrieveOptions } from './metadata/retrieve';
export { compareSide, SalesforceCompareSide, type CompareSideOptions } from './compare/compare-side';
export { digestWorkerStatus, stopDigestWorkers, type DigestWorkerStatus } from './compare/zip-digests';
export { digestZip } from './compare/zip-digest';
/** The compare's rule for one file (canonical XML, normalized text, bytes), for Diff with Environment. */
export { sameFile } from '../core/compare/component-diff';
export { gitDeltaSides, type GitTrees } from './metadata/git-components';
export { componentsAt, retrieveCopy, type LocalComponent, type OrgCopy } from './metadata/local-components';
export { compareOrgs, type OrgToCompare } from './compare/compare-orgs';
export { deploy, quickDeploy, cancelDeploy, deployStatus, type DeployOptions, type PollOptions } from './metadata/deploy';
export type * from '../core/metadata-types';
export * from './tracking';
export { startDeploy, startQuickDeploy, type StartDeployOptions } from './metadata/deploy';
export { recentDeployRequests, type DeployRequestQuery } from './metadata/deploy-requests';
export { trackedChanges, componentDependencies, type TrackedChange, type DependencyReadOptions } from './metadata/target-state';
export { readPackage, openPackage, type PackageContents, type PackageFileText } from './metadata/package-contents';
export { storePackage, readPackage as readStoredPackage, filesOf, MAX_PACKAGE_BYTES, type StoredPackage } from './metadata/package-store';
export { LONG_TEXT_LIMIT, forgetHeldValues } from './tracking/spill';
export { retrievePackageZip, packageFiles, type PackageFile, type PackageRetrieveOptions, type RetrievedZip } from './metadata/package-retrieve';
export { buildSnapshot, readSnapshotManifest, buildRevertPackage, SNAPSHOT_MANIFEST, type SnapshotManifest } from './metadata/snapshot-package';
export { addDestructiveChanges, withDestructiveChanges, destructiveMembers } from './metadata/package-destructive';
