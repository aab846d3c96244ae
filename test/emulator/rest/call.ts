import { RestError, type RequestContext, type RestReply, type RestRequest } from '../context';
import type { Records } from './records';

/** One versioned REST call as the handlers see it. */
export interface RestCall {
  ctx: RequestContext;
  req: RestRequest;
  /** API version of the URL, e.g. `62.0`. */
  version: string;
  api: 'data' | 'tooling';
  /** `/services/data/v62.0` or `/services/data/v62.0/tooling`. */
  base: string;
  records: Records;
}

export function notFound(): RestError {
  return new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

export function methodNotAllowed(method: string, allowed: string[]): RestError {
  return new RestError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`);
}

/** Parses the JSON body; 400 JSON_PARSER_ERROR when absent or malformed. */
export function jsonBody(req: RestRequest): unknown {
  const text = req.body.toString('utf8');
  if (text.trim() === '') throw new RestError(400, 'JSON_PARSER_ERROR', 'The HTTP entity body is required, but this request has no entity body.');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RestError(400, 'JSON_PARSER_ERROR', `Unexpected character in the request body: ${(e as Error).message}`);
  }
}

export function json(status: number, body: unknown, headers?: Record<string, string>): RestReply {
  return { status, body, headers };
}

export function header(req: RestRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
