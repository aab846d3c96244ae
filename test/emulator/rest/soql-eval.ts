import type { SRecord } from '../store';
import { checkLinkQuery } from './content';
import { dateLiteralRange, parseDateTime, sfDateTime, type DateRange } from './dates';
import type { FieldDef, ObjectDef } from './schema-types';
import { positioned, SoqlError, type Condition, type Literal, type SoqlQuery } from './soql-parser';
import { normalizeId } from './validate';

/** Evaluates a parsed SOQL query against an org's rows. Pure apart from the data source it is given. */

export interface QuerySource {
  object(name: string): ObjectDef | undefined;
  /** Rows of an object; deleted rows only when asked. */
  rows(obj: ObjectDef, includeDeleted: boolean): SRecord[];
  /** Any live row by id, whatever its object (for relationship paths). */
  byId(id: string): { obj: ObjectDef; rec: SRecord } | undefined;
}

export interface QueryOptions {
  includeDeleted: boolean;
  /** Prefix of record urls, e.g. `/services/data/v62.0` or `/services/data/v62.0/tooling`. */
  urlBase: string;
  now: number;
}

export interface QueryOutput {
  totalSize: number;
  records: Array<Record<string, unknown>>;
}

export interface Resolved {
  /** Reference fields walked through, then the final field. */
  hops: FieldDef[];
  field: FieldDef;
  /** Canonical names: relationship names then the field name. */
  names: string[];
}

export const NOT_SUPPORTED_TYPE = (name: string) =>
  `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;

export function resolvePath(q: SoqlQuery, root: ObjectDef, rawPath: string[], pos: number, src: QuerySource): Resolved {
  let path = rawPath;
  if (path.length > 1 && path[0].toLowerCase() === root.name.toLowerCase() && !relationship(root, path[0])) path = path.slice(1);
  let obj = root;
  const hops: FieldDef[] = [];
  const names: string[] = [];
  for (const seg of path.slice(0, -1)) {
    const rel = relationship(obj, seg);
    const target = rel && src.object(rel.referenceTo?.[0] ?? '');
    if (!rel || !target) {
      throw new SoqlError(
        'INVALID_FIELD',
        positioned(q.text, pos, `Didn't understand relationship '${seg}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`),
      );
    }
    hops.push(rel);
    names.push(rel.relationshipName as string);
    obj = target;
  }
  const last = path[path.length - 1];
  const f = obj.fields.get(last.toLowerCase());
  if (!f) {
    throw new SoqlError(
      'INVALID_FIELD',
      positioned(q.text, pos, `No such column '${last}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`),
    );
  }
  names.push(f.name);
  return { hops, field: f, names };
}

function relationship(obj: ObjectDef, seg: string): FieldDef | undefined {
  const s = seg.toLowerCase();
  return [...obj.fields.values()].find((f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === s);
}

function walk(rec: SRecord, r: Resolved, src: QuerySource): unknown {
  let cur: SRecord | undefined = rec;
  for (const hop of r.hops) {
    const id: unknown = cur?.[hop.name];
    cur = typeof id === 'string' ? src.byId(id)?.rec : undefined;
    if (!cur) return null;
  }
  return cur[r.field.name] ?? null;
}

type Kind = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

function kindOf(f: FieldDef): Kind {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'text';
  }
}

/** A comparable form of a stored value: lower-cased text, ms for dates, etc. */
function comparable(kind: Kind, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'text':
      return String(v).toLowerCase();
    case 'id':
      return String(v);
    case 'number':
      return typeof v === 'number' ? v : Number(v);
    case 'boolean':
      return v === true;
    case 'date':
      return Date.parse(`${String(v).slice(0, 10)}T00:00:00Z`);
    case 'datetime':
      return parseDateTime(String(v))?.getTime() ?? null;
  }
}

function cmp(a: string | number | boolean, b: string | number | boolean): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Operand = { kind: 'value'; value: string | number | boolean | null } | { kind: 'range'; range: DateRange };

function filterError(q: SoqlQuery, pos: number, msg: string): SoqlError {
  return new SoqlError('INVALID_QUERY_FILTER_OPERATOR', positioned(q.text, pos, msg));
}

function operand(q: SoqlQuery, r: Resolved, lit: Literal, pos: number, now: number): Operand {
  const kind = kindOf(r.field);
  const name = r.field.name;
  if (lit.kind === 'null') return { kind: 'value', value: null };
  const typeName = { text: 'string', id: 'id', number: 'double', boolean: 'boolean', date: 'date', datetime: 'dateTime' }[kind];
  const wrong = (quoted: boolean) =>
    filterError(q, pos, `value of filter criterion for field '${name}' must be of type ${typeName} and should${quoted ? ' not' : ''} be enclosed in quotes`);
  switch (kind) {
    case 'text':
      if (lit.kind !== 'string') throw wrong(false);
      return { kind: 'value', value: lit.value.replace(/\\([%_])/g, '$1').toLowerCase() };
    case 'id': {
      if (lit.kind !== 'string') throw wrong(false);
      const id = normalizeId(lit.value);
      if (!id) throw filterError(q, pos, `invalid ID field: ${lit.value}`);
      return { kind: 'value', value: id };
    }
    case 'number':
      if (lit.kind !== 'number') throw wrong(true);
      return { kind: 'value', value: lit.value };
    case 'boolean':
      if (lit.kind !== 'boolean') throw wrong(true);
      return { kind: 'value', value: lit.value };
    case 'date':
    case 'datetime': {
      if (lit.kind === 'dateLiteral') {
        const range = dateLiteralRange(lit.name, lit.n, now);
        if (!range) throw filterError(q, pos, `Unsupported date literal ${lit.name}`);
        return { kind: 'range', range };
      }
      if (kind === 'date' && lit.kind === 'date') return { kind: 'value', value: Date.parse(`${lit.value}T00:00:00Z`) };
      if (kind === 'datetime' && lit.kind === 'datetime') return { kind: 'value', value: lit.value };
      throw wrong(true);
    }
  }
}

function test(op: string, v: string | number | boolean | null, o: Operand): boolean {
  if (o.kind === 'range') {
    if (v === null) return op === '!=';
    const t = v as number;
    switch (op) {
      case '=':
        return t >= o.range.start && t < o.range.end;
      case '!=':
        return !(t >= o.range.start && t < o.range.end);
      case '<':
        return t < o.range.start;
      case '<=':
        return t < o.range.end;
      case '>':
        return t >= o.range.end;
      default:
        return t >= o.range.start;
    }
  }
  const w = o.value;
  if (w === null) return op === '=' ? v === null : op === '!=' ? v !== null : false;
  if (v === null) return op === '!=';
  const c = cmp(v, w);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      re += '\\' + pattern[++i];
    } else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

type Predicate = (rec: SRecord) => boolean;

function compile(q: SoqlQuery, root: ObjectDef, c: Condition, src: QuerySource, now: number): Predicate {
  switch (c.kind) {
    case 'and': {
      const ps = c.parts.map((p) => compile(q, root, p, src, now));
      return (r) => ps.every((p) => p(r));
    }
    case 'or': {
      const ps = c.parts.map((p) => compile(q, root, p, src, now));
      return (r) => ps.some((p) => p(r));
    }
    case 'not': {
      const p = compile(q, root, c.part, src, now);
      return (r) => !p(r);
    }
    case 'compare': {
      const res = resolvePath(q, root, c.path, c.pos, src);
      const kind = kindOf(res.field);
      const o = operand(q, res, c.value, c.pos, now);
      return (r) => test(c.op, comparable(kind, walk(r, res, src)), o);
    }
    case 'in': {
      const res = resolvePath(q, root, c.path, c.pos, src);
      const kind = kindOf(res.field);
      const os = c.values.map((v) => operand(q, res, v, c.pos, now));
      return (r) => {
        const v = comparable(kind, walk(r, res, src));
        const hit = os.some((o) => test('=', v, o));
        return c.negate ? !hit : hit;
      };
    }
    case 'like': {
      const res = resolvePath(q, root, c.path, c.pos, src);
      if (kindOf(res.field) !== 'text') throw filterError(q, c.pos, `invalid operator on field '${res.field.name}' of type ${res.field.type}: LIKE`);
      const re = likeRegex(c.pattern);
      return (r) => {
        const v = walk(r, res, src);
        return v !== null && re.test(String(v));
      };
    }
  }
}

function output(rec: SRecord, obj: ObjectDef, fields: Resolved[], src: QuerySource, urlBase: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: obj.name, url: `${urlBase}/sobjects/${obj.name}/${rec.Id}` } };
  for (const r of fields) {
    let target: Record<string, unknown> = out;
    let cur: SRecord | undefined = rec;
    let curObj = obj;
    let broken = false;
    r.hops.forEach((hop, i) => {
      if (broken) return;
      const relName = r.names[i];
      const id = cur?.[hop.name];
      const parent = typeof id === 'string' ? src.byId(id) : undefined;
      if (!parent) {
        if (!(relName in target)) target[relName] = null;
        broken = true;
        return;
      }
      let nested = target[relName] as Record<string, unknown> | null | undefined;
      if (!nested) {
        nested = { attributes: { type: parent.obj.name, url: `${urlBase}/sobjects/${parent.obj.name}/${parent.rec.Id}` } };
        target[relName] = nested;
      }
      target = nested;
      cur = parent.rec;
      curObj = parent.obj;
    });
    if (broken || !cur) continue;
    let v = cur[r.field.name] ?? null;
    if (r.field.type === 'datetime' && typeof v === 'string') v = sfDateTime(parseDateTime(v) ?? new Date(v));
    // Binary fields are not sent in query results: their URL is, to GET the bytes from.
    if (r.field.type === 'base64' && v !== null) v = `${urlBase}/sobjects/${curObj.name}/${cur.Id}/${r.field.name}`;
    target[r.field.name] = v;
  }
  return out;
}

/** Runs a query; throws SoqlError for unknown objects/fields and ill-typed filters. */
export function runQuery(q: SoqlQuery, src: QuerySource, opts: QueryOptions): QueryOutput {
  const root = src.object(q.from);
  if (!root) throw new SoqlError('INVALID_TYPE', positioned(q.text, q.fromPos, NOT_SUPPORTED_TYPE(q.from)));
  const counts = q.select.filter((s) => s.kind === 'count');
  if (counts.length && counts.length !== q.select.length) {
    const bad = q.select.find((s) => s.kind === 'field');
    throw new SoqlError('MALFORMED_QUERY', positioned(q.text, bad?.pos ?? 0, `Field must be grouped or aggregated: ${bad?.kind === 'field' ? bad.path.join('.') : ''}`));
  }
  if (root.name === 'ContentDocumentLink') checkLinkQuery(q.where);
  if ((q.offset ?? 0) > 2000) throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
  const pred = q.where ? compile(q, root, q.where, src, opts.now) : () => true;
  let rows = src.rows(root, opts.includeDeleted).filter(pred);
  if (q.orderBy.length) {
    const keys = q.orderBy.map((o) => {
      const res = resolvePath(q, root, o.path, o.pos, src);
      return { o, res, kind: kindOf(res.field) };
    });
    const decorated = rows.map((rec) => ({ rec, k: keys.map((k) => comparable(k.kind, walk(rec, k.res, src))) }));
    decorated.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const { desc, nullsLast } = keys[i].o;
        const x = a.k[i];
        const y = b.k[i];
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === nullsLast ? 1 : -1;
        }
        const c = cmp(x, y);
        if (c !== 0) return desc ? -c : c;
      }
      return 0;
    });
    rows = decorated.map((d) => d.rec);
  }
  const offset = q.offset ?? 0;
  rows = rows.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
  if (counts.length) {
    const first = counts[0];
    if (first.kind === 'count' && !first.path && counts.length === 1) return { totalSize: rows.length, records: [] };
    const rec: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    counts.forEach((c, i) => {
      if (c.kind !== 'count') return;
      const res = c.path ? resolvePath(q, root, c.path, c.pos, src) : undefined;
      rec[c.alias ?? `expr${i}`] = res ? rows.filter((r) => walk(r, res, src) !== null).length : rows.length;
    });
    return { totalSize: 1, records: [rec] };
  }
  const fields = q.select.map((s) => resolvePath(q, root, (s as { path: string[] }).path, s.pos, src));
  return { totalSize: rows.length, records: rows.map((r) => output(r, root, fields, src, opts.urlBase)) };
}
