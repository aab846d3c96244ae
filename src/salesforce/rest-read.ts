/**
 * A REST GET (a query batch, a record) tried again after a transient failure (transient.ts).
 * The request goes through jsforce's HttpApi as `conn.request` sends it (bearer token, session
 * refresh, proxy settings), with jsforce's own retry of GETs switched off (five silent tries
 * with backoff, which would multiply ours) and the failed answer's status and Retry-After kept.
 */
import HttpApi from '@jsforce/jsforce-node/lib/http-api';
import type { HttpResponse } from '@jsforce/jsforce-node/lib/types';
import type { Connection } from '@salesforce/core';
import { readWithRetry, withResponseFacts, type ReadContext } from './transient';

class ReadApi extends HttpApi<never> {
  constructor(conn: Connection) {
    super(conn as never, { retry: { maxRetries: 0 } });
  }

  override async getError(response: HttpResponse, body?: unknown): Promise<Error> {
    return withResponseFacts(await super.getError(response, body), response);
  }
}

/** GET `url` (absolute, or a path from the instance: `/services/data/v62.0/…`); the parsed JSON answer. */
export function restGet<T>(conn: Connection, url: string, ctx: ReadContext, headers?: Record<string, string>): Promise<T> {
  const absolute = /^https?:\/\//i.test(url) ? url : `${conn.instanceUrl}${url.startsWith('/') ? '' : '/'}${url}`;
  return readWithRetry(ctx, async () => (await new ReadApi(conn).request<T>({ method: 'GET', url: absolute, headers: { ...headers } })) as T);
}
