/** Finding a change request by its number (CR-00042) or record id in an environment's org. */
import type { ChangeRequest } from '../../core/change-requests';
import type { WorkflowDeps } from '../types';

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export async function findChangeRequest(deps: Pick<WorkflowDeps, 'sessions' | 'salesforce'>, env: string, ref: string, signal?: AbortSignal): Promise<ChangeRequest> {
  const sf = await deps.salesforce();
  const session = await deps.sessions.get(env);
  const wanted = ref.trim();
  if (RECORD_ID.test(wanted) && !/^CR-/i.test(wanted)) return sf.getChangeRequest(session.handle, wanted);
  let next: string | undefined;
  do {
    const page = await sf.listChangeRequests(session.handle, { next, pageSize: 2000, signal });
    const hit = page.items.find((cr) => cr.number?.toLowerCase() === wanted.toLowerCase());
    if (hit) return hit;
    next = page.next;
  } while (next);
  throw Object.assign(new Error(`There is no change request ${wanted} in ${env}.`), { kind: 'not-found' });
}

/** Every change request of an environment, newest first, page by page. */
export async function listAllChangeRequests(deps: Pick<WorkflowDeps, 'sessions' | 'salesforce'>, env: string, signal?: AbortSignal): Promise<ChangeRequest[]> {
  const sf = await deps.salesforce();
  const session = await deps.sessions.get(env);
  const all: ChangeRequest[] = [];
  let next: string | undefined;
  do {
    const page = await sf.listChangeRequests(session.handle, { next, pageSize: 2000, signal });
    all.push(...page.items);
    next = page.next;
  } while (next);
  return all;
}
