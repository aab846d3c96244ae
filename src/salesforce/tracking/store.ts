/** The org's tracking schema as the core ChangeRequestStore port. */
import type { ChangeRequestStore } from '../../core/change-requests';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { appendHistory, createChangeRequest, getChangeRequest, readHistory, updateChangeRequest } from './repository';

export function trackingStore(handle: OrgConnection): ChangeRequestStore {
  return {
    create: (cr) => createChangeRequest(handle, cr),
    get: (id) => getChangeRequest(handle, id),
    update: (cr) => updateChangeRequest(handle, cr),
    readHistory: (id) => readHistory(handle, id),
    appendHistory: (id, drafts) => appendHistory(handle, id, drafts),
    isConflict: (e) => e instanceof SalesforceError && e.kind === 'conflict',
  };
}
