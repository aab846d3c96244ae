/**
 * Records through the REST data API: typed CRUD, SOQL (data and Tooling) with paging, conditional
 * update (If-Unmodified-Since → conflict on 412) and batches through the composite API.
 */
import type { RetryNotice } from '../core/retry';
import { connectionOf, type OrgConnection } from './connection';
import { SalesforceError, throwIfAborted, toSalesforceError } from './errors';
import { restGet } from './rest-read';
import type { Backoff } from './transient';

export type RecordFields = Record<string, unknown>;
export interface SObjectRecord extends RecordFields {
  Id: string;
}

export interface QueryOptions {
  /** Query the Tooling API instead of the data API. */
  tooling?: boolean;
  /** Records per batch (200..2000; the server may return fewer). */
  batchSize?: number;
  signal?: AbortSignal;
  /** Before a batch is asked for again after a transient failure (503, connection reset…). */
  onRetry?: (notice: RetryNotice) => void;
  backoff?: Backoff;
}

export interface QueryPage<T> {
  records: T[];
  totalSize: number;
  done: boolean;
  /** Pass to queryPage to get the next batch; absent on the last one. */
  nextRecordsUrl?: string;
}

export interface BatchResult {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields?: string[] }>;
}

/** Records per composite call, as the API allows. */
export const COMPOSITE_LIMIT = 200;

/** A SOQL string literal: quotes and backslashes escaped. */
export function soqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const NEXT_URL = /^(?:https?:\/\/[^/\s]+)?\/services\/data\/v\d+\.\d\/(?:tooling\/)?query(?:All)?\/[^/?\s]+$/;

function checkType(type: string): void {
  if (!NAME.test(type ?? '')) throw new SalesforceError('invalid-request', `"${type}" is not a valid object name (e.g. Account, My_Object__c).`);
}
/** Refuses what is not a Salesforce id, saying what it should have been (`a user id`, `a change request id`…). */
export function checkRecordId(id: string, what = 'a valid record id'): void {
  if (!ID.test(id ?? '')) throw new SalesforceError('invalid-request', `"${id}" is not ${what} (15 or 18 letters and digits).`);
}
const checkId = (id: string) => checkRecordId(id);

function fail(handle: OrgConnection, e: unknown): never {
  throw toSalesforceError(e, { org: handle.label });
}

function strip<T>(rec: T): T {
  if (rec && typeof rec === 'object' && 'attributes' in rec) {
    const { attributes: _a, ...rest } = rec as Record<string, unknown>;
    return rest as T;
  }
  return rec;
}

export async function createRecord(handle: OrgConnection, type: string, fields: RecordFields): Promise<string> {
  checkType(type);
  try {
    const res = await connectionOf(handle).sobject(type).create(fields);
    if (!res.success || !res.id) throw new SalesforceError('invalid-request', `Creating the ${type} failed: ${JSON.stringify(res.errors)}`);
    return res.id;
  } catch (e) {
    fail(handle, e);
  }
}

/** One record (tried again after a transient failure). */
export async function getRecord<T extends RecordFields = SObjectRecord>(handle: OrgConnection, type: string, id: string, fields?: string[]): Promise<T> {
  checkType(type);
  checkId(id);
  const conn = connectionOf(handle);
  try {
    const query = fields?.length ? `?fields=${encodeURIComponent(fields.join(','))}` : '';
    const rec = await restGet<T>(conn, `/services/data/v${conn.getApiVersion()}/sobjects/${type}/${id}${query}`, { label: handle.label });
    return strip(rec);
  } catch (e) {
    fail(handle, e);
  }
}

export async function updateRecord(handle: OrgConnection, type: string, id: string, fields: RecordFields): Promise<void> {
  checkType(type);
  checkId(id);
  try {
    const res = await connectionOf(handle).sobject(type).update({ ...fields, Id: id });
    if (!res.success) throw new SalesforceError('invalid-request', `Updating the ${type} ${id} failed: ${JSON.stringify(res.errors)}`);
  } catch (e) {
    fail(handle, e);
  }
}

export async function deleteRecord(handle: OrgConnection, type: string, id: string): Promise<void> {
  checkType(type);
  checkId(id);
  try {
    const res = await connectionOf(handle).sobject(type).destroy(id);
    if (!res.success) throw new SalesforceError('invalid-request', `Deleting the ${type} ${id} failed: ${JSON.stringify(res.errors)}`);
  } catch (e) {
    fail(handle, e);
  }
}

/**
 * Updates the record only if nobody changed it since `lastModified` (its LastModifiedDate as
 * read). Throws SalesforceError kind `conflict` when it was changed in between: the org answered
 * 412, or refused the write with a validation rule whose message contains `versionRuleMark` (a
 * version-number rule catches what the one-second resolution of If-Unmodified-Since cannot).
 */
export async function updateIfUnmodifiedSince(
  handle: OrgConnection,
  type: string,
  id: string,
  fields: RecordFields,
  lastModified: string | Date,
  versionRuleMark?: string,
): Promise<void> {
  checkType(type);
  checkId(id);
  const since = new Date(lastModified);
  if (Number.isNaN(since.getTime())) throw new SalesforceError('invalid-request', `"${String(lastModified)}" is not a date.`);
  const conn = connectionOf(handle);
  try {
    await conn.request({
      method: 'PATCH',
      url: `/services/data/v${conn.getApiVersion()}/sobjects/${type}/${id}`,
      body: JSON.stringify(fields),
      headers: { 'Content-Type': 'application/json', 'If-Unmodified-Since': since.toUTCString() },
    });
  } catch (e) {
    const err = toSalesforceError(e, { org: handle.label });
    const said = `${err.message}\n${err.detail ?? ''}`;
    const byRule = versionRuleMark !== undefined && err.kind === 'invalid-request' && said.includes('FIELD_CUSTOM_VALIDATION_EXCEPTION') && said.includes(versionRuleMark);
    if (err.kind === 'conflict' || byRule) {
      throw new SalesforceError('conflict', `The ${type} ${id} was changed in "${handle.label}" by someone else since you read it. Reload it and apply your change again.`, err.detail, handle.label);
    }
    throw err;
  }
}

function queryHeaders(opts: QueryOptions): Record<string, string> | undefined {
  if (!opts.batchSize) return undefined;
  const n = Math.max(200, Math.min(2000, Math.floor(opts.batchSize)));
  return { 'Sforce-Query-Options': `batchSize=${n}` };
}

/**
 * One batch: the first for a SOQL string, or the next one for a `nextRecordsUrl`. A batch is a
 * read: it is asked for again after a transient failure.
 */
export async function queryPage<T extends RecordFields = SObjectRecord>(handle: OrgConnection, soqlOrNextUrl: string, opts: QueryOptions = {}): Promise<QueryPage<T>> {
  throwIfAborted(opts.signal, handle.label);
  if (!soqlOrNextUrl?.trim()) throw new SalesforceError('invalid-request', 'The query is empty.');
  const conn = connectionOf(handle);
  try {
    // nextRecordsUrl may come absolute (instance URL + /services/data/vXX/query/<locator>) or as a
    // path: only the path is used, on this org's instance (the token goes nowhere else).
    const next = soqlOrNextUrl.trim();
    const url = NEXT_URL.test(next)
      ? next.replace(/^https?:\/\/[^/\s]+/i, '')
      : `/services/data/v${conn.getApiVersion()}/${opts.tooling ? 'tooling/' : ''}query?q=${encodeURIComponent(soqlOrNextUrl)}`;
    const res = await restGet<{ records?: T[]; totalSize?: number; done?: boolean; nextRecordsUrl?: string }>(
      conn,
      url,
      { label: handle.label, signal: opts.signal, onRetry: opts.onRetry, backoff: opts.backoff },
      queryHeaders(opts),
    );
    const done = res.done !== false;
    return {
      records: (res.records ?? []).map((r) => strip(r)),
      totalSize: res.totalSize ?? 0,
      done,
      nextRecordsUrl: done ? undefined : res.nextRecordsUrl,
    };
  } catch (e) {
    fail(handle, e);
  }
}

/** Every batch of a query in turn (follows nextRecordsUrl until done). */
export async function* queryPages<T extends RecordFields = SObjectRecord>(handle: OrgConnection, soql: string, opts: QueryOptions = {}): AsyncGenerator<QueryPage<T>> {
  let page = await queryPage<T>(handle, soql, opts);
  yield page;
  while (page.nextRecordsUrl) {
    page = await queryPage<T>(handle, page.nextRecordsUrl, opts);
    yield page;
  }
}

/** All records of a query, across batches. `onPage` sees each batch as it arrives. */
export async function query<T extends RecordFields = SObjectRecord>(
  handle: OrgConnection,
  soql: string,
  opts: QueryOptions & { onPage?: (page: QueryPage<T>) => void } = {},
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of queryPages<T>(handle, soql, opts)) {
    opts.onPage?.(page);
    all.push(...page.records);
  }
  return all;
}

export function toolingQuery<T extends RecordFields = SObjectRecord>(handle: OrgConnection, soql: string, opts: QueryOptions = {}): Promise<T[]> {
  return query<T>(handle, soql, { ...opts, tooling: true });
}

async function composite(
  handle: OrgConnection,
  records: RecordFields[],
  op: (chunk: RecordFields[]) => Promise<unknown>,
  signal?: AbortSignal,
): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for (let i = 0; i < records.length; i += COMPOSITE_LIMIT) {
    throwIfAborted(signal, handle.label);
    try {
      const res = (await op(records.slice(i, i + COMPOSITE_LIMIT))) as Array<{ id?: string; success: boolean; errors?: unknown[] }>;
      for (const r of res) {
        out.push({
          id: r.id ?? undefined,
          success: r.success,
          errors: (r.errors ?? []).map((x) => {
            const err = x as { statusCode?: string; errorCode?: string; message?: string; fields?: string[] };
            return { statusCode: err.statusCode ?? err.errorCode ?? 'UNKNOWN', message: err.message ?? '', fields: err.fields };
          }),
        });
      }
    } catch (e) {
      fail(handle, e);
    }
  }
  return out;
}

/** Creates records in batches of up to 200 (composite API); one result per record, in order. */
export async function createRecords(
  handle: OrgConnection,
  type: string,
  records: RecordFields[],
  opts: { allOrNone?: boolean; signal?: AbortSignal } = {},
): Promise<BatchResult[]> {
  checkType(type);
  const conn = connectionOf(handle);
  return composite(handle, records, (chunk) => conn.sobject(type).create(chunk, { allOrNone: opts.allOrNone ?? false }), opts.signal);
}

/** Updates records (each with its Id) in batches of up to 200; one result per record. */
export async function updateRecords(
  handle: OrgConnection,
  type: string,
  records: Array<RecordFields & { Id: string }>,
  opts: { allOrNone?: boolean; signal?: AbortSignal } = {},
): Promise<BatchResult[]> {
  checkType(type);
  for (const r of records) checkId(r.Id);
  const conn = connectionOf(handle);
  return composite(handle, records, (chunk) => conn.sobject(type).update(chunk as Array<RecordFields & { Id: string }>, { allOrNone: opts.allOrNone ?? false }), opts.signal);
}
