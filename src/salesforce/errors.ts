/**
 * Errors of the Salesforce layer: one kind per thing the user can act on, a short message that
 * says what happened and what to do, and the scrubbed underlying cause for the log.
 */
import type { OrgErrorKind } from '../core/orgs';
import { describeOrgError } from '../core/orgErrors';
import { scrubSecrets } from '../core/scrub';

export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';
  constructor(
    readonly kind: OrgErrorKind,
    message: string,
    /** Scrubbed text of the underlying error, for the log. */
    readonly detail?: string,
    /** The org (alias or username) involved, when known. */
    readonly org?: string,
  ) {
    super(scrubSecrets(message));
  }
}

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  errorCode?: unknown;
  code?: unknown;
  statusCode?: unknown;
  status?: unknown;
  cause?: unknown;
}

/** Name, code and message of an error and its causes, flattened for matching. */
function signals(e: unknown): { text: string; status?: number } {
  const parts: string[] = [];
  let status: number | undefined;
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    if (typeof cur !== 'object') {
      parts.push(String(cur));
      break;
    }
    const s = cur as ErrorShape;
    for (const v of [s.name, s.errorCode, s.code, s.message]) if (typeof v === 'string') parts.push(v);
    for (const v of [s.statusCode, s.status]) if (typeof v === 'number' && status === undefined) status = v;
    cur = s.cause;
  }
  const text = parts.join(' | ');
  if (status === undefined) {
    const m = /ERROR_HTTP_(\d{3})|\bstatus(?: code)?:? (\d{3})\b/i.exec(text);
    if (m) status = Number(m[1] ?? m[2]);
  }
  return { text, status };
}

/** Classifies an error thrown by @salesforce/core, SDR or jsforce. */
export function classify(e: unknown): OrgErrorKind {
  if (e instanceof SalesforceError) return e.kind;
  const { text, status } = signals(e);
  if (/AbortError|\baborted\b|\bcancell?ed\b/i.test(text)) return 'cancelled';
  if (/NamedOrgNotFound|NoAuthInfoFound|AuthInfoNotFound|No authorization information found|NoOrgFound|No (?:org|user) found|Unknown alias/i.test(text))
    return 'unknown-org';
  if (/INVALID_SESSION_ID|Session expired|expired access\/refresh token|invalid_grant|RefreshTokenAuthError|Error refreshing authentication/i.test(text))
    return 'expired-session';
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EAI_AGAIN|socket hang up|fetch failed|network error/i.test(text))
    return 'unreachable';
  if (status === 401) return 'expired-session';
  if (status === 412 || /PRECONDITION_FAILED|NOT_MODIFIED_SINCE/i.test(text)) return 'conflict';
  if (/REQUEST_LIMIT_EXCEEDED|STORAGE_LIMIT_EXCEEDED|API_CURRENTLY_DISABLED|TotalRequests Limit/i.test(text) || status === 429) return 'limit-exceeded';
  if (status === 403 || /INSUFFICIENT_ACCESS|API_DISABLED_FOR_ORG|invalid_client/i.test(text)) return 'auth-failed';
  if (status === 404 || /NOT_FOUND|ENTITY_IS_DELETED|INVALID_CROSS_REFERENCE_KEY/i.test(text)) return 'not-found';
  // SOAP faults arrive as HTTP 500: their code says whether the request was at fault.
  if (/MALFORMED_QUERY|INVALID_FIELD|INVALID_TYPE|INVALID_ARGUMENT|INVALID_OPERATION|REQUIRED_FIELD_MISSING|FIELD_CUSTOM_VALIDATION|INVALID_OR_NULL|STRING_TOO_LONG|JSON_PARSER_ERROR|MALFORMED_ID|INVALID_ID_FIELD|ERROR_HTTP_400/i.test(text) || status === 400)
    return 'invalid-request';
  if (status !== undefined && status >= 500) return 'server-error';
  if (/ERROR_HTTP_5\d\d|Service Unavailable|Internal Server Error|Bad Gateway|Gateway Time-?out|SERVER_UNAVAILABLE|UNKNOWN_EXCEPTION/i.test(text))
    return 'server-error';
  return 'server-error';
}

/** First line of the underlying message, scrubbed (for "… (detail)" suffixes). */
export function causeMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  // Salesforce messages often start with "CODE: " and a line break (e.g. MALFORMED_QUERY); keep the gist.
  const lines = String(msg ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const text = lines.length > 1 && /^[A-Z_]+:?$/.test(lines[0]) ? `${lines[0]} ${lines.slice(1, 4).join(' ')}` : (lines[0] ?? '');
  return scrubSecrets(text).slice(0, 300);
}

/**
 * Wraps any error as a SalesforceError. `org` names the org for the message; `action` (e.g.
 * "Deploying to") is used for kinds whose remedy does not depend on the org.
 */
export function toSalesforceError(e: unknown, context: { org?: string; action?: string } = {}): SalesforceError {
  if (e instanceof SalesforceError) return e;
  const kind = classify(e);
  const org = context.org ?? 'the org';
  const detail = scrubSecrets(e instanceof Error ? `${e.name}: ${e.message}${e.stack ? `\n${e.stack}` : ''}` : String(e));
  let message = describeOrgError(kind, org);
  const cause = causeMessage(e);
  if (cause && (kind === 'invalid-request' || kind === 'not-found' || kind === 'server-error' || kind === 'conflict')) {
    message = `${message} (${cause})`;
  }
  if (context.action) message = `${context.action}: ${message}`;
  return new SalesforceError(kind, message, detail, context.org);
}

/** A cancellation error (the user aborted). */
export function cancelled(org?: string): SalesforceError {
  return new SalesforceError('cancelled', describeOrgError('cancelled', org ?? 'the org'), undefined, org);
}

export function throwIfAborted(signal: AbortSignal | undefined, org?: string): void {
  if (signal?.aborted) throw cancelled(org);
}
