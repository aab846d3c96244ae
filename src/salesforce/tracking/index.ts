export { TRACKING_SCHEMA_VERSION, QUEUE_OBJECT, CR_OBJECT, HISTORY_OBJECT, DEPLOYMENT_OBJECT, DEPLOYMENT_HISTORY_OBJECT, defaultTrackingFolder } from './schema';
export { trackingStatus, installTracking, type TrackingStatus, type InstallOptions, type InstallResult } from './install';
export { grantTrackingAccess, holdsTrackingAccess, usersWithTrackingAccess, TRACKING_PERMISSION_SET, type AccessGrant } from './access';
export { createChangeRequest, getChangeRequest, listChangeRequests, updateChangeRequest, readHistory, appendHistory, checkApprovers, type CrPage } from './repository';
export { trackingStore } from './store';
export { syncChangeRequest, type SyncRequest, type SyncOutcome } from './sync';
export { findCopy, deleteChangeRequest, componentsExisting } from './sync-records';
export { isTrackingAccessMissing, isTrackingMissing, isTrackingOutdated, TrackingError, type TrackingErrorCode } from './errors';
export {
  createDeployment,
  getDeployment,
  listDeployments,
  updateDeployment,
  deleteDeployment,
  readDeploymentHistory,
  appendDeploymentHistoryEntries,
  type DeploymentPage,
  type ListDeploymentsOptions,
} from './deployments';
export {
  createQueueEntry,
  getQueueEntry,
  listQueueEntries,
  attachQueuePackage,
  updateQueueEntry,
  withdrawQueueEntry,
  RELEASE_MANAGER_ONLY,
  type StoredQueueEntry,
} from './queue-entries';
export { releaseManagers, grantReleaseManager, type ReleaseManagers } from './release-managers';
