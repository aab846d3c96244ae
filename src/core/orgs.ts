/**
 * Plain types describing orgs and connections. The Salesforce layer (src/salesforce) produces them;
 * the views and commands consume them. No `vscode`, no Salesforce library imports here.
 */

/** An org the user has authorized (sf CLI state or Changeline). Never carries a token. */
export interface OrgAuthorization {
  username: string;
  aliases: string[];
  instanceUrl: string;
  orgId: string;
  /** True for sandboxes, false for production, undefined when not known yet. */
  isSandbox?: boolean;
  isDevHub?: boolean;
  isScratch?: boolean;
}

/** What a successful connection test reports. */
export interface ConnectionInfo {
  username: string;
  userId: string;
  userFullName: string;
  orgId: string;
  orgName: string;
  /** "Production", "Sandbox", "Developer Edition", … */
  orgType: string;
  isSandbox: boolean;
  instanceUrl: string;
  apiVersion: string;
}

/** Why talking to an org failed; each kind gets its own message and remedy. */
export type OrgErrorKind =
  | 'expired-session'
  | 'unknown-org'
  | 'unreachable'
  | 'auth-failed'
  | 'not-found'
  | 'conflict'
  | 'invalid-request'
  | 'server-error'
  | 'cancelled'
  | 'limit-exceeded';

/** Connection state shown next to an environment. */
/** One org's connection test, as the Environments view and `changeline environments` show it. */
export interface ConnectionResult {
  org: string;
  environment?: string;
  state: ConnectionState;
  info?: ConnectionInfo;
  error?: { kind: OrgErrorKind | 'unexpected'; message: string };
}

export type ConnectionState = 'unknown' | 'connected' | 'expired' | 'unreachable' | 'not-authorized' | 'error';

export function connectionStateFor(kind: OrgErrorKind): ConnectionState {
  switch (kind) {
    case 'expired-session':
    case 'auth-failed':
      return 'expired';
    case 'unreachable':
      return 'unreachable';
    case 'unknown-org':
      return 'not-authorized';
    default:
      return 'error';
  }
}
