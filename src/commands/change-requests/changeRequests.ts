/** Change request commands (issue 4), one small file per family; index.ts maps the ids to these. */
export { installTracking } from './crTracking';
export { grantTrackingAccess } from './crAccess';
export { newChangeRequest, validateChangeRequestName } from './crCreate';
export {
  openChangeRequest,
  submitChangeRequest,
  approveChangeRequest,
  rejectChangeRequest,
  cancelChangeRequest,
  deleteChangeRequest,
  copyChangeRequestNumber,
} from './crStatus';
export { pushChangeRequest, pullChangeRequests } from './crSync';
export { filterChangeRequests, toggleMyChangeRequests, clearChangeRequestFilter } from './crFilterCommands';
