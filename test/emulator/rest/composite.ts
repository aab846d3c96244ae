import { RestError, type RestReply } from '../context';
import type { SRecord } from '../store';
import { json, jsonBody, methodNotAllowed, notFound, type RestCall } from './call';
import type { ObjectDef } from './schema-types';
import { fieldList, objectOrThrow, recordBody } from './sobjects';
import { normalizeId, WriteError } from './validate';

/**
 * `composite/sobjects`: create (POST), update (PATCH) and delete (DELETE ?ids=) up to 200 records,
 * with per-record results; `allOrNone` validates every record first and applies none if one fails.
 * `composite/sobjects/{T}` retrieves many (GET ?ids=&fields= or POST {ids, fields}).
 */

const MAX_RECORDS = 200;

interface ItemError {
  statusCode: string;
  message: string;
  fields: string[];
}
type Result = { id?: string; success: boolean; errors: ItemError[] };

const ROLLED_BACK: ItemError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function itemError(e: unknown): ItemError {
  if (e instanceof WriteError) return { statusCode: e.errorCode, message: e.message, fields: e.fields };
  if (e instanceof RestError) return { statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] };
  throw e;
}

export function handleComposite(call: RestCall, parts: string[]): RestReply {
  if (parts[0] !== 'sobjects') throw notFound();
  if (parts.length === 2) return retrieveMany(call, parts[1]);
  if (parts.length !== 1) throw notFound();
  switch (call.req.method) {
    case 'POST':
    case 'PATCH':
      return write(call, call.req.method === 'POST' ? 'create' : 'update');
    case 'DELETE':
      return destroyMany(call);
    default:
      throw methodNotAllowed(call.req.method, ['POST', 'PATCH', 'DELETE']);
  }
}

function checkCount(n: number): void {
  if (n > MAX_RECORDS) throw new RestError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
}

interface Planned {
  obj?: ObjectDef;
  rec?: SRecord;
  values?: Record<string, unknown>;
  error?: ItemError;
}

function write(call: RestCall, mode: 'create' | 'update'): RestReply {
  const body = jsonBody(call.req) as { allOrNone?: unknown; records?: unknown };
  if (!body || typeof body !== 'object' || !Array.isArray(body.records)) {
    throw new RestError(400, 'JSON_PARSER_ERROR', 'The request body must be an object with a "records" array');
  }
  const items = body.records as unknown[];
  checkCount(items.length);
  const allOrNone = body.allOrNone === true;
  const seen = new Set<string>();
  const plan: Planned[] = items.map((item) => {
    try {
      if (!item || typeof item !== 'object' || Array.isArray(item)) throw new WriteError('JSON_PARSER_ERROR', 'Each record must be a JSON object');
      const rec = item as Record<string, unknown> & { attributes?: { type?: unknown } };
      const type = rec.attributes?.type;
      if (typeof type !== 'string' || !type) throw new WriteError('INVALID_TYPE', 'Must send a concrete entity type.');
      const obj = call.records.schema.get(type, call.api);
      if (!obj) throw new WriteError('INVALID_TYPE', `sObject type '${type}' is not supported.`);
      const idKey = Object.keys(rec).find((k) => k.toLowerCase() === 'id');
      if (mode === 'create') {
        if (idKey) throw new WriteError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
        return { obj, values: call.records.validate(obj, rec, 'create') };
      }
      const rawId = idKey ? rec[idKey] : undefined;
      const id = typeof rawId === 'string' ? normalizeId(rawId) : undefined;
      if (!id) throw new WriteError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
      if (seen.has(id)) throw new WriteError('INVALID_BATCH_REQUEST', 'Duplicate id in list', ['Id']);
      seen.add(id);
      const target = call.records.find(obj, id);
      if (!target) throw new WriteError('ENTITY_IS_DELETED', 'entity is deleted', ['Id']);
      return { obj, rec: target, values: call.records.validate(obj, rec, 'update', id) };
    } catch (e) {
      return { error: itemError(e) };
    }
  });
  const failed = plan.some((p) => p.error);
  const results: Result[] = plan.map((p) => {
    if (p.error) return { success: false, errors: [p.error] };
    if (allOrNone && failed) return { success: false, errors: [ROLLED_BACK] };
    const obj = p.obj as ObjectDef;
    if (mode === 'create') {
      const rec = call.records.insert(obj, p.values ?? {}, call.ctx.user);
      return { id: rec.Id, success: true, errors: [] };
    }
    call.records.update(obj, p.rec as SRecord, p.values ?? {}, call.ctx.user);
    return { id: (p.rec as SRecord).Id, success: true, errors: [] };
  });
  if (results.some((r) => r.success)) call.ctx.org.store.recordsChanged();
  return json(200, results);
}

function destroyMany(call: RestCall): RestReply {
  const raw = call.req.query.get('ids');
  if (!raw) throw new RestError(400, 'MISSING_ARGUMENT', 'The ids parameter is required');
  const ids = raw.split(',').map((s) => s.trim());
  checkCount(ids.length);
  const allOrNone = call.req.query.get('allOrNone') === 'true';
  const plan = ids.map((id) => {
    const norm = normalizeId(id);
    const hit = norm ? call.records.byId(norm) : undefined;
    if (!hit) {
      const obj = norm ? call.records.schema.byKeyPrefix(norm) : undefined;
      const deleted = obj && !obj.virtual && call.ctx.org.store.table(obj.name).get(norm as string)?.IsDeleted;
      return { id, error: deleted ? { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] } : { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] } };
    }
    if (!hit.obj.deletable) return { id, error: { statusCode: 'INVALID_TYPE_FOR_OPERATION', message: `entity type ${hit.obj.name} does not support delete`, fields: [] } };
    return { id: hit.rec.Id, rec: hit.rec, obj: hit.obj };
  });
  const failed = plan.some((p) => p.error);
  const results: Result[] = plan.map((p) => {
    if (p.error) return { id: p.id, success: false, errors: [p.error] };
    if (allOrNone && failed) return { id: p.id, success: false, errors: [ROLLED_BACK] };
    call.records.remove(p.obj as ObjectDef, p.rec as SRecord, call.ctx.user);
    return { id: p.id, success: true, errors: [] };
  });
  if (results.some((r) => r.success)) call.ctx.org.store.recordsChanged();
  return json(200, results);
}

function retrieveMany(call: RestCall, type: string): RestReply {
  const obj = objectOrThrow(call, type);
  let ids: unknown;
  let fields: unknown;
  if (call.req.method === 'GET') {
    ids = call.req.query.get('ids')?.split(',');
    fields = call.req.query.get('fields');
  } else if (call.req.method === 'POST') {
    const body = jsonBody(call.req) as { ids?: unknown; fields?: unknown };
    ids = body?.ids;
    fields = Array.isArray(body?.fields) ? body.fields.join(',') : undefined;
  } else throw methodNotAllowed(call.req.method, ['GET', 'POST']);
  if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string')) throw new RestError(400, 'MISSING_ARGUMENT', 'ids is required');
  if (typeof fields !== 'string' || !fields) throw new RestError(400, 'MISSING_ARGUMENT', 'fields is required');
  checkCount(ids.length);
  const only = fieldList(obj, fields);
  return json(
    200,
    (ids as string[]).map((id) => {
      const rec = call.records.find(obj, id);
      return rec ? recordBody(call, obj, rec, only) : null;
    }),
  );
}
