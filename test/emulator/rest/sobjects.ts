import { createHash } from 'node:crypto';
import { RestError, type RestReply } from '../context';
import type { SRecord } from '../store';
import { parseDateTime, sfDateTime } from './dates';
import { header, json, jsonBody, methodNotAllowed, notFound, type RestCall } from './call';
import type { FieldDef, ObjectDef } from './schema-types';
import { isMultipart, multipartRecord } from './multipart';
import { normalizeId, WriteError } from './validate';

/**
 * `sobjects` resources: global describe, object describe, and single-record create, retrieve,
 * update (with conditional headers) and delete.
 *
 * Conditional update: `If-Unmodified-Since` is an HTTP date (second precision). Records keep
 * millisecond `LastModifiedDate`; the comparison truncates it to the second, as HTTP dates do, so
 * a record last modified within the same second as the header date does NOT count as modified
 * after it (412 only when its second is later). `If-Match` compares the strong ETag returned by
 * GET (a hash of Id and SystemModstamp, so it changes on every write, even within one second).
 * As in Salesforce, ETags (the header, `If-Match`, `If-None-Match`) exist for Account records
 * only; on other objects no ETag is sent and those headers have no effect.
 */

/** Salesforce sends ETags, and honours If-Match / If-None-Match, for Account records only. */
const hasETags = (obj: ObjectDef): boolean => obj.name === 'Account';

export function objectOrThrow(call: RestCall, name: string): ObjectDef {
  const obj = call.records.schema.get(name, call.api);
  if (!obj) throw new RestError(404, 'NOT_FOUND', `The requested resource does not exist`);
  return obj;
}

export function writeErrorToRest(e: unknown): never {
  if (e instanceof WriteError) throw new RestError(400, e.errorCode, e.message, e.fields);
  throw e;
}

function fieldDescribe(f: FieldDef): Record<string, unknown> {
  const text = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'encryptedstring', 'id', 'reference'].includes(f.type);
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    length: text ? (f.length ?? 255) : 0,
    byteLength: text ? (f.length ?? 255) * 3 : 0,
    precision: f.precision ?? 0,
    scale: f.scale ?? 0,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    custom: f.custom,
    calculated: f.calculated ?? false,
    autoNumber: !!f.autoNumberFormat,
    defaultValue: f.defaultValue ?? null,
    defaultedOnCreate: f.defaultValue !== undefined || f.type === 'boolean' || ['Id', 'OwnerId', 'CreatedDate', 'CreatedById'].includes(f.name),
    externalId: f.externalId ?? false,
    unique: f.unique ?? false,
    nameField: f.nameField ?? false,
    idLookup: f.name === 'Id' || (f.nameField ?? false),
    filterable: true,
    sortable: f.type !== 'textarea' || (f.length ?? 0) <= 255,
    picklistValues: f.picklistValues ?? [],
    restrictedPicklist: f.restrictedPicklist ?? false,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    cascadeDelete: false,
    extraTypeInfo: f.extraTypeInfo ?? null,
    soapType: soapType(f),
  };
}

function soapType(f: FieldDef): string {
  const m: Record<string, string> = { base64: 'xsd:base64Binary', id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', int: 'xsd:int', double: 'xsd:double', currency: 'xsd:double', percent: 'xsd:double', date: 'xsd:date', datetime: 'xsd:dateTime', time: 'xsd:time' };
  return m[f.type] ?? 'xsd:string';
}

function objectSummary(call: RestCall, o: ObjectDef): Record<string, unknown> {
  const url = `${call.base}/sobjects/${o.name}`;
  return {
    name: o.name,
    label: o.label,
    labelPlural: o.labelPlural,
    keyPrefix: o.keyPrefix,
    custom: o.custom,
    createable: o.createable,
    updateable: o.updateable,
    deletable: o.deletable,
    queryable: true,
    retrieveable: true,
    searchable: !o.virtual,
    layoutable: !o.virtual,
    urls: { sobject: url, describe: `${url}/describe`, rowTemplate: `${url}/{ID}` },
  };
}

function describeObject(call: RestCall, o: ObjectDef): Record<string, unknown> {
  const children = call.records.schema
    .all(call.api)
    .flatMap((c) => [...c.fields.values()].filter((f) => f.type === 'reference' && f.referenceTo?.includes(o.name)).map((f) => ({ childSObject: c.name, field: f.name, relationshipName: f.childRelationshipName ?? null, cascadeDelete: f.cascadeDelete === true })));
  return { ...objectSummary(call, o), fields: [...o.fields.values()].map(fieldDescribe), childRelationships: children, recordTypeInfos: [] };
}

/** The record as `GET sobjects/T/id` returns it, optionally limited to some fields. */
export function recordBody(call: RestCall, o: ObjectDef, rec: SRecord, only?: FieldDef[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: o.name, url: `${call.base}/sobjects/${o.name}/${rec.Id}` } };
  for (const f of only ?? o.fields.values()) {
    let v = rec[f.name] ?? null;
    if (f.type === 'datetime' && typeof v === 'string') v = sfDateTime(parseDateTime(v) ?? new Date(v));
    if (f.type === 'base64' && v !== null) v = `${call.base}/sobjects/${o.name}/${rec.Id}/${f.name}`;
    out[f.name] = v;
  }
  return out;
}

/** Resolves a `fields=a,b` list; 400 INVALID_FIELD for unknown names. */
export function fieldList(o: ObjectDef, raw: string | null | undefined): FieldDef[] | undefined {
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((n) => {
    const f = o.fields.get(n.trim().toLowerCase());
    if (!f) throw new RestError(400, 'INVALID_FIELD', `No such column '${n.trim()}' on sobject of type ${o.name}`);
    return f;
  });
}

export function etag(rec: SRecord): string {
  return `"${createHash('sha1').update(`${rec.Id}|${String(rec.SystemModstamp)}`).digest('hex')}"`;
}

function lastModifiedMs(rec: SRecord): number {
  return parseDateTime(String(rec.LastModifiedDate ?? rec.SystemModstamp ?? ''))?.getTime() ?? 0;
}

function httpDate(call: RestCall, name: string): number | undefined {
  const v = header(call.req, name);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new RestError(400, 'INVALID_HEADER', `${name} is not a valid HTTP date: ${v}`);
  return t;
}

/** 412 when a conditional header says the client's copy is stale. */
function checkPreconditions(call: RestCall, obj: ObjectDef, rec: SRecord): void {
  const since = httpDate(call, 'If-Unmodified-Since');
  if (since !== undefined && Math.floor(lastModifiedMs(rec) / 1000) > Math.floor(since / 1000)) {
    throw new RestError(412, 'PRECONDITION_FAILED', `The record was modified after ${new Date(since).toUTCString()} (last modified ${String(rec.LastModifiedDate)})`);
  }
  const match = hasETags(obj) ? header(call.req, 'If-Match') : undefined;
  if (match !== undefined && match.trim() !== '*' && !match.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag(rec))) {
    throw new RestError(412, 'PRECONDITION_FAILED', 'The record was modified: its ETag does not match If-Match');
  }
}

/** Handles `sobjects[/T[/describe|/id]]` (parts after `sobjects`). */
export function handleSObjects(call: RestCall, parts: string[]): RestReply {
  const { req } = call;
  if (parts.length === 0) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET', 'HEAD']);
    return json(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects: call.records.schema.all(call.api).map((o) => objectSummary(call, o)) });
  }
  const obj = objectOrThrow(call, parts[0]);
  if (parts.length === 1) {
    if (req.method === 'GET') return json(200, { objectDescribe: objectSummary(call, obj), recentItems: [] });
    if (req.method === 'POST') return create(call, obj);
    throw methodNotAllowed(req.method, ['GET', 'HEAD', 'POST']);
  }
  if (parts.length === 2 && parts[1] === 'describe') {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET', 'HEAD']);
    return json(200, describeObject(call, obj));
  }
  if (parts.length === 3) return blob(call, obj, parts[1], parts[2]);
  if (parts.length !== 2) throw notFound();
  const id = parts[1];
  switch (req.method) {
    case 'GET':
      return retrieve(call, obj, id);
    case 'PATCH':
      return update(call, obj, id);
    case 'DELETE':
      return destroy(call, obj, id);
    default:
      throw methodNotAllowed(req.method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
  }
}

function create(call: RestCall, obj: ObjectDef): RestReply {
  const body = isMultipart(call.req) ? multipartRecord(call.req) : jsonBody(call.req);
  let values: Record<string, unknown>;
  try {
    values = call.records.validate(obj, body, 'create');
  } catch (e) {
    writeErrorToRest(e);
  }
  const rec = call.records.insert(obj, values, call.ctx.user);
  call.ctx.org.store.recordsChanged();
  return json(201, { id: rec.Id, success: true, errors: [] });
}

function liveRecord(call: RestCall, obj: ObjectDef, id: string): SRecord {
  const rec = call.records.find(obj, id);
  if (rec) return rec;
  const norm = normalizeId(id);
  const stored = norm && !obj.virtual ? call.ctx.org.store.table(obj.name).get(norm) : undefined;
  if (stored?.IsDeleted) throw new RestError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  throw notFound();
}

function retrieve(call: RestCall, obj: ObjectDef, id: string): RestReply {
  const rec = liveRecord(call, obj, id);
  const only = fieldList(obj, call.req.query.get('fields'));
  const tag = etag(rec);
  const headers: Record<string, string> = { 'Last-Modified': new Date(lastModifiedMs(rec)).toUTCString() };
  if (hasETags(obj)) headers.ETag = tag;
  const since = httpDate(call, 'If-Modified-Since');
  const noneMatch = hasETags(obj) ? header(call.req, 'If-None-Match') : undefined;
  if ((noneMatch !== undefined && noneMatch.split(',').map((s) => s.trim()).includes(tag)) || (since !== undefined && Math.floor(lastModifiedMs(rec) / 1000) <= Math.floor(since / 1000))) {
    return { status: 304, headers };
  }
  return json(200, recordBody(call, obj, rec, only), headers);
}

/** `GET sobjects/T/{id}/Field` of a binary field: the raw bytes. */
function blob(call: RestCall, obj: ObjectDef, id: string, fieldName: string): RestReply {
  const f = obj.fields.get(fieldName.toLowerCase());
  if (!f || f.type !== 'base64') throw notFound();
  if (call.req.method !== 'GET') throw methodNotAllowed(call.req.method, ['GET', 'HEAD']);
  const rec = liveRecord(call, obj, id);
  return { status: 200, body: Buffer.from(String(rec[f.name] ?? ''), 'base64'), headers: { 'Content-Type': 'application/octetstream' } };
}

function update(call: RestCall, obj: ObjectDef, id: string): RestReply {
  const rec = liveRecord(call, obj, id);
  checkPreconditions(call, obj, rec);
  const body = jsonBody(call.req);
  let values: Record<string, unknown>;
  try {
    values = call.records.validate(obj, body, 'update', rec.Id);
  } catch (e) {
    writeErrorToRest(e);
  }
  call.records.update(obj, rec, values, call.ctx.user);
  call.ctx.org.store.recordsChanged();
  return { status: 204 };
}

function destroy(call: RestCall, obj: ObjectDef, id: string): RestReply {
  if (!obj.deletable) throw new RestError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support delete`);
  const rec = liveRecord(call, obj, id);
  checkPreconditions(call, obj, rec);
  call.records.remove(obj, rec, call.ctx.user);
  call.ctx.org.store.recordsChanged();
  return { status: 204 };
}
