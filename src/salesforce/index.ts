/**
 * The single entry of the Salesforce layer (bundled as dist/salesforce.js and loaded lazily by the
 * extension). Importing it has no side effects beyond loading the libraries.
 */
export { SalesforceError, toSalesforceError } from './errors';
export { OrgConnection } from './connection';
export { listAuthorizations, connect, authorizeWithToken, removeAuthorization, type TokenAuthorization } from './orgs';
export { authorizeWithWebLogin, type WebLoginOptions } from './login';
export { testConnection } from './info';
export { activeUsers, currentUserId, type OrgUser } from './users';
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
export { describeTypes, listComponents, type ListOptions } from './metadata-list';
export { retrieve, type RetrieveOptions } from './retrieve';
export { compareSide, SalesforceCompareSide, type CompareSideOptions } from './compare-side';
export { digestWorkerStatus, stopDigestWorkers, type DigestWorkerStatus } from './zip-digests';
export { digestZip } from './zip-digest';
/** The compare's rule for one file (canonical XML, normalized text, bytes), for Diff with Environment. */
export { sameFile } from '../core/compare/component-diff';
export { componentsAt, retrieveCopy, type LocalComponent, type OrgCopy } from './local-components';
export { compareOrgs, type OrgToCompare } from './compare-orgs';
export { deploy, quickDeploy, cancelDeploy, deployStatus, type DeployOptions, type PollOptions } from './deploy';
export type * from '../core/metadata-types';
export * from './tracking';
