/** What to tell the user when talking to an org fails: a short message and a remedy per kind. */
import type { OrgErrorKind } from './orgs';

/** An error from the Salesforce layer, recognised by shape (it lives in another bundle). */
export interface OrgErrorLike {
  kind: OrgErrorKind;
  message: string;
}

const KINDS: readonly OrgErrorKind[] = [
  'expired-session',
  'unknown-org',
  'unreachable',
  'auth-failed',
  'not-found',
  'conflict',
  'invalid-request',
  'server-error',
  'cancelled',
  'limit-exceeded',
];

export function isOrgError(e: unknown): e is OrgErrorLike {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { kind?: unknown }).kind === 'string' &&
    KINDS.includes((e as { kind: OrgErrorKind }).kind) &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/** One sentence for the notification: what happened to which org, and what to do. */
export function describeOrgError(kind: OrgErrorKind, org: string): string {
  const login = `sf org login web --alias ${org}`;
  switch (kind) {
    case 'expired-session':
      return `The session for "${org}" has expired. Log in again (Changeline: Add Environment…, or \`${login}\`).`;
    case 'auth-failed':
      return `"${org}" refused the stored credentials. Log in again (Changeline: Add Environment…, or \`${login}\`).`;
    case 'unknown-org':
      return `"${org}" is not an authorized org. Authorize it (Changeline: Add Environment…, or \`${login}\`) or fix the pipeline file.`;
    case 'unreachable':
      return `"${org}" cannot be reached. Check your network, VPN or proxy, and that the instance URL is right.`;
    case 'not-found':
      return `"${org}" answered that the requested item does not exist.`;
    case 'conflict':
      return `"${org}" reported a conflict (another operation may be running). Try again in a moment.`;
    case 'invalid-request':
      return `"${org}" rejected the request as invalid. See the log for details.`;
    case 'server-error':
      return `"${org}" had a server error. Try again later; if it persists, check Salesforce Trust status.`;
    case 'limit-exceeded':
      return `"${org}" reported a limit was exceeded (API requests or storage). Try again later.`;
    case 'cancelled':
      return `The operation on "${org}" was cancelled.`;
  }
}
