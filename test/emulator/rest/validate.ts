import { caseSafeSuffix } from '../ids';
import { parseDate, parseDateTime, sfDateTime } from './dates';
import { fullObject } from './field-security';
import type { FieldDef, ObjectDef } from './schema-types';

/**
 * Field validation of a record written through the REST API. Pure: the existence of referenced
 * records is asked through `refExists`. Throws WriteError with Salesforce's error codes.
 */

export class WriteError extends Error {
  constructor(readonly errorCode: string, message: string, readonly fields: string[] = []) {
    super(message);
  }
}

export type RefExists = (id: string, referenceTo: string[]) => boolean;

const ID_RE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const EMAIL_RE = /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Normalizes a 15- or 18-character id to 18 characters; undefined when malformed. */
export function normalizeId(v: string): string | undefined {
  if (!ID_RE.test(v)) return undefined;
  if (v.length === 18) {
    return v.slice(15).toUpperCase() === caseSafeSuffix(v.slice(0, 15)) ? v.slice(0, 15) + caseSafeSuffix(v.slice(0, 15)) : undefined;
  }
  return v + caseSafeSuffix(v);
}

function parserError(f: FieldDef, v: unknown, kind: string): WriteError {
  const token = typeof v === 'string' ? 'VALUE_STRING' : typeof v === 'number' ? 'VALUE_NUMBER' : typeof v === 'boolean' ? `VALUE_${String(v).toUpperCase()}` : Array.isArray(v) ? 'START_ARRAY' : 'START_OBJECT';
  return new WriteError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from ${token} value ${typeof v === 'object' ? '' : String(v)} or request may be missing a required field`,
    [f.name],
  );
}

/** Converts one input value to what the field stores; throws WriteError. */
export function coerceValue(f: FieldDef, v: unknown, refExists: RefExists): unknown {
  if (v === null || v === undefined || v === '') {
    if (f.type === 'boolean') {
      if (v === '') throw parserError(f, v, 'boolean');
      return false;
    }
    if (f.required || !f.nillable) throw new WriteError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${f.name}]`, [f.name]);
    return null;
  }
  switch (f.type) {
    case 'boolean':
      if (typeof v !== 'boolean') throw parserError(f, v, 'boolean');
      return v;
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return coerceNumber(f, v);
    case 'date': {
      if (typeof v !== 'string') throw parserError(f, v, 'date');
      const d = parseDate(v) ?? (parseDateTime(v) ? v.trim().slice(0, 10) : undefined);
      if (!d) throw parserError(f, v, 'date');
      return d;
    }
    case 'datetime': {
      const d = typeof v === 'string' ? parseDateTime(v) : typeof v === 'number' ? new Date(v) : undefined;
      if (!d || Number.isNaN(d.getTime())) throw parserError(f, v, 'datetime');
      return sfDateTime(d);
    }
    case 'time': {
      const m = typeof v === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(v) : null;
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) throw parserError(f, v, 'time');
      return `${m[1]}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '0').padEnd(3, '0')}Z`;
    }
    case 'reference':
    case 'id':
      return coerceReference(f, v, refExists);
    case 'base64':
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(v)) throw parserError(f, v, 'base64Binary');
      return v.replace(/\s+/g, '');
    default:
      return coerceText(f, v);
  }
}

function coerceNumber(f: FieldDef, v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw parserError(f, v, f.type === 'int' ? 'int' : 'double');
  const scale = f.type === 'int' ? 0 : (f.scale ?? 0);
  const precision = f.precision ?? 18;
  const rounded = Math.round(n * 10 ** scale) / 10 ** scale;
  const intDigits = Math.trunc(Math.abs(rounded)).toString().replace(/^0$/, '').length;
  if (intDigits > precision - scale) {
    throw new WriteError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${String(v)}`, [f.name]);
  }
  return rounded;
}

function coerceReference(f: FieldDef, v: unknown, refExists: RefExists): string {
  if (typeof v !== 'string') throw parserError(f, v, 'id');
  const id = normalizeId(v.trim());
  if (!id) throw new WriteError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${v}`, [f.name]);
  if (!refExists(id, f.referenceTo ?? [])) {
    throw new WriteError('INVALID_CROSS_REFERENCE_KEY', `${f.label}: id value of incorrect type: ${v}`, [f.name]);
  }
  return id;
}

function coerceText(f: FieldDef, v: unknown): string {
  if (typeof v === 'object') throw parserError(f, v, 'String');
  const s = String(v);
  const max = f.length ?? 255;
  if (s.length > max) {
    const shown = s.length > 40 ? `${s.slice(0, 37)}...` : s;
    throw new WriteError('STRING_TOO_LONG', `${f.label}: data value too large: ${shown} (max length=${max})`, [f.name]);
  }
  if (f.type === 'email' && !EMAIL_RE.test(s)) {
    throw new WriteError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [f.name]);
  }
  if ((f.type === 'picklist' || f.type === 'multipicklist') && f.restrictedPicklist) {
    const allowed = new Set((f.picklistValues ?? []).filter((p) => p.active).map((p) => p.value));
    const chosen = f.type === 'multipicklist' ? s.split(';') : [s];
    const bad = chosen.find((c) => !allowed.has(c));
    if (bad !== undefined) {
      throw new WriteError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${bad}`, [f.name]);
    }
  }
  return s;
}

export type WriteMode = 'create' | 'update';

/**
 * Validates an input record against an object's fields. Returns the values to store, keyed by the
 * fields' canonical names (defaults applied on create). `attributes` is ignored; on update an
 * `Id` equal to the target is ignored.
 */
export function validateWrite(
  obj: ObjectDef,
  input: unknown,
  mode: WriteMode,
  refExists: RefExists,
  targetId?: string,
): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new WriteError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${obj.name} from ${Array.isArray(input) ? 'START_ARRAY' : 'VALUE'} value`);
  }
  if (mode === 'create' ? !obj.createable : !obj.updateable) {
    throw new WriteError('INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support ${mode === 'create' ? 'insert' : 'update'}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key === 'attributes') continue;
    const f = obj.fields.get(key.toLowerCase());
    if (!f) throw new WriteError('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`, [key]);
    if (f.name === 'Id' && mode === 'update' && typeof value === 'string' && targetId && normalizeId(value) === targetId) continue;
    if (mode === 'create' ? !f.createable : !f.updateable) {
      throw new WriteError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [f.name],
      );
    }
    out[f.name] = coerceValue(f, value, refExists);
  }
  if (mode === 'create') {
    // Defaults apply to every field, including those the user cannot see.
    for (const f of fullObject(obj).fields.values()) {
      if (f.name in out || !f.createable) continue;
      if (f.defaultValue !== undefined) out[f.name] = f.defaultValue;
      else if (f.type === 'boolean') out[f.name] = false;
    }
    const missing = [...obj.fields.values()].filter((f) => f.required && f.createable && (out[f.name] === undefined || out[f.name] === null)).map((f) => f.name);
    if (missing.length) throw new WriteError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }
  return out;
}

/** Renders an auto-number display format (`CR-{00000}`, `{YYYY}-{0000}`) for a sequence number. */
export function formatAutoNumber(format: string, n: number, now = new Date()): string {
  return format.replace(/\{(0+|YYYY|YY|MM|DD)\}/g, (_, tok: string) => {
    if (tok === 'YYYY') return String(now.getUTCFullYear());
    if (tok === 'YY') return String(now.getUTCFullYear()).slice(2);
    if (tok === 'MM') return String(now.getUTCMonth() + 1).padStart(2, '0');
    if (tok === 'DD') return String(now.getUTCDate()).padStart(2, '0');
    return String(n).padStart(tok.length, '0');
  });
}

/** The sequence number inside a value rendered by `formatAutoNumber`, if it matches the format. */
export function parseAutoNumber(format: string, value: string): number | undefined {
  const escaped = format.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const re = new RegExp(
    `^${escaped.replace(/\{(0+|YYYY|YY|MM|DD)\}/g, (_, tok: string) => (tok.startsWith('0') ? '(\\d+)' : '\\d+'))}$`,
  );
  const m = re.exec(value);
  return m ? Number(m[1]) : undefined;
}
