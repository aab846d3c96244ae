import { randomBytes } from 'node:crypto';
import { RestError, type RestReply } from '../context';
import { header, json, methodNotAllowed, notFound, type RestCall } from './call';
import { checkDependencyQuery, checkDependencyRowCount } from './component-dependencies';
import { queryColumns } from './query-columns';
import { NOT_SUPPORTED_TYPE, runQuery } from './soql-eval';
import { parseSoql, SoqlError } from './soql-parser';

/**
 * `query`, `queryAll` and `tooling/query`: runs SOQL and pages the result. The whole result is
 * computed once and kept under a locator; `nextRecordsUrl` is `{base}/query/{locator}-{offset}`
 * and `GET query/{locator}-{offset}` returns the next batch. Batches hold 2000 records, or what
 * `Sforce-Query-Options: batchSize=N` asks (clamped to 200..2000, as Salesforce does).
 * With `columns=true` the answer is the query's column metadata instead (./query-columns.ts).
 */

const DEFAULT_BATCH = 2000;
const MAX_CURSORS = 100;
const CURSOR_TTL_MS = 15 * 60 * 1000;

interface Cursor {
  records: Array<Record<string, unknown>>;
  totalSize: number;
  batch: number;
  urlBase: string;
  expires: number;
}

export class QueryCursors {
  private cursors = new Map<string, Cursor>();

  add(c: Omit<Cursor, 'expires'>): string {
    const now = Date.now();
    for (const [k, v] of this.cursors) if (v.expires < now) this.cursors.delete(k);
    while (this.cursors.size >= MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value as string);
    const id = `01g${randomBytes(9).toString('base64url').slice(0, 12)}`;
    this.cursors.set(id, { ...c, expires: now + CURSOR_TTL_MS });
    return id;
  }

  get(id: string): Cursor | undefined {
    const c = this.cursors.get(id);
    if (c && c.expires < Date.now()) {
      this.cursors.delete(id);
      return undefined;
    }
    return c;
  }

  clear(): void {
    this.cursors.clear();
  }
}

function batchSize(call: RestCall): number {
  const opt = header(call.req, 'Sforce-Query-Options');
  const m = opt ? /batchSize\s*=\s*(\d+)/i.exec(opt) : null;
  if (!m) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(200, Number(m[1])));
}

function page(cursors: QueryCursors, locator: string | undefined, c: Omit<Cursor, 'expires'>, offset: number): RestReply {
  const records = c.records.slice(offset, offset + c.batch);
  const end = offset + records.length;
  const done = end >= c.records.length;
  let id = locator;
  if (!done && !id) id = cursors.add(c);
  return json(200, {
    totalSize: c.totalSize,
    done,
    ...(done ? {} : { nextRecordsUrl: `${c.urlBase}/${id}-${end}` }),
    records,
  });
}

/** Handles `query` / `queryAll` (parts after the resource name: empty or `[locator]`). */
export function handleQuery(call: RestCall, cursors: QueryCursors, resource: 'query' | 'queryAll', parts: string[]): RestReply {
  if (call.req.method !== 'GET') throw methodNotAllowed(call.req.method, ['GET', 'HEAD']);
  const urlBase = `${call.base}/${resource}`;
  if (parts.length === 1) {
    const m = /^(.+)-(\d+)$/.exec(parts[0]);
    const c = m ? cursors.get(m[1]) : undefined;
    if (!m || !c) throw new RestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return page(cursors, m[1], c, Number(m[2]));
  }
  if (parts.length > 1) throw notFound();
  const q = call.req.query.get('q');
  if (q === null) throw new RestError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  try {
    const parsed = parseSoql(q);
    const dependencies = call.api === 'tooling' && parsed.from.toLowerCase() === 'metadatacomponentdependency';
    if (dependencies && call.ctx.org.faults.dependencyApiOff) throw new SoqlError('INVALID_TYPE', NOT_SUPPORTED_TYPE(parsed.from));
    if (call.req.query.get('columns') === 'true') return json(200, queryColumns(parsed, call.records.source(call.api)));
    if (dependencies) checkDependencyQuery(parsed);
    const out = runQuery(parsed, call.records.source(call.api), {
      includeDeleted: resource === 'queryAll',
      urlBase: call.base,
      now: Date.now(),
    });
    if (dependencies) checkDependencyRowCount(out.records.length, call.ctx.org.faults.dependencyRowCap);
    return page(cursors, undefined, { records: out.records, totalSize: out.totalSize, batch: batchSize(call), urlBase }, 0);
  } catch (e) {
    if (e instanceof SoqlError) throw new RestError(400, e.errorCode, e.message);
    throw e;
  }
}
