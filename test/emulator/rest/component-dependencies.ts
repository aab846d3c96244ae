import type { SRecord, StoredComponent } from '../store';
import { RestError } from '../context';
import type { Condition, SoqlQuery } from './soql-parser';

/**
 * Tooling `MetadataComponentDependency` (beta), computed from what the org stores: one row per
 * directional reference from a component to another component the org HAS (a reference to
 * something the org lacks is no dependency; standard objects and fields are left out).
 *
 * The emulator's own reading of its components (independent of the product's scanner):
 * - Apex class/trigger → Apex classes named in it, custom objects and custom fields it names;
 * - LWC → `@salesforce/apex/Class.method` and `@salesforce/schema/Object.Field` imports;
 * - custom field → its custom object;
 * - layout, flow, permission set → the custom fields and objects their XML names.
 *
 * Names as Salesforce gives them: a custom field or object by its DeveloperName (no object, no
 * `__c`), everything else by its full name. Row Ids are `000000000000000AAA`, as Salesforce's.
 *
 * Query rules (Tooling API documentation, "MetadataComponentDependency" and its limitations):
 * no more than 2000 records in a single query (queryMore is not supported, so the query fails
 * rather than paging); no ORDER BY, OFFSET or count(); no filter on MetadataComponentName or
 * RefMetadataComponentName; no LIKE; no filter `RefMetadataComponentType = 'StandardEntity'`.
 * The documentation gives the limits, not the error texts: the texts here are the emulator's.
 */

export const DEPENDENCY_ROW_CAP = 2000;

interface Named {
  type: string;
  fullName: string;
  id: string;
}

const text = (c: StoredComponent): string =>
  Object.entries(c.files)
    .filter(([p]) => !/\.(cls|trigger|js)-meta\.xml$/.test(p))
    .map(([, b64]) => Buffer.from(b64, 'base64').toString('utf8'))
    .join('\n');

const devName = (name: string): string => name.replace(/__c$/i, '');

function rowName(c: Named): string {
  if (c.type === 'CustomField') return devName(c.fullName.slice(c.fullName.indexOf('.') + 1));
  if (c.type === 'CustomObject') return devName(c.fullName);
  return c.fullName;
}

/** Apex source without comments and string literals (so a name in a comment is no reference). */
function apexCode(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/'(?:\\.|[^'\\])*'/g, "''");
}

class OrgIndex {
  readonly classes = new Map<string, Named>();
  readonly objects = new Map<string, Named>();
  /** `object.field` (lower case) → field. */
  readonly fields = new Map<string, Named>();
  /** field name (lower case) → the fields of that name, on any object. */
  readonly fieldsByName = new Map<string, Named[]>();

  constructor(components: readonly StoredComponent[]) {
    for (const c of components) {
      const n: Named = { type: c.type, fullName: c.fullName, id: c.id };
      if (c.type === 'ApexClass') this.classes.set(c.fullName.toLowerCase(), n);
      else if (c.type === 'CustomObject') this.objects.set(c.fullName.toLowerCase(), n);
      else if (c.type === 'CustomField') {
        this.fields.set(c.fullName.toLowerCase(), n);
        const f = c.fullName.slice(c.fullName.indexOf('.') + 1).toLowerCase();
        this.fieldsByName.set(f, [...(this.fieldsByName.get(f) ?? []), n]);
      }
    }
  }

  field(object: string, field: string): Named | undefined {
    return this.fields.get(`${object}.${field}`.toLowerCase());
  }
}

function apexRefs(code: string, idx: OrgIndex): Named[] {
  const out: Named[] = [];
  const objectsNamed = new Set<string>();
  for (const m of code.matchAll(/\b([A-Za-z]\w*)\b/g)) {
    const word = m[1].toLowerCase();
    const cls = idx.classes.get(word);
    if (cls) out.push(cls);
    const obj = idx.objects.get(word);
    if (obj) {
      out.push(obj);
      objectsNamed.add(word);
    }
  }
  // Object.Field (a static reference, e.g. Invoice__c.Total__c or Account.Region__c).
  const qualified = new Set<string>();
  for (const m of code.matchAll(/\b([A-Za-z]\w*)\s*\.\s*([A-Za-z]\w*__c)\b/g)) {
    const f = idx.field(m[1], m[2]);
    if (f) {
      out.push(f);
      qualified.add(m[2].toLowerCase());
    }
  }
  // A bare field name (a SOQL select list, record.Field__c): the field of that name on an object
  // the code names, else every field of that name the org has.
  for (const m of code.matchAll(/\b([A-Za-z]\w*__c)\b/g)) {
    const name = m[1].toLowerCase();
    if (idx.objects.has(name) || qualified.has(name)) continue;
    const candidates = idx.fieldsByName.get(name) ?? [];
    const onNamed = candidates.filter((f) => objectsNamed.has(f.fullName.slice(0, f.fullName.indexOf('.')).toLowerCase()));
    out.push(...(onNamed.length ? onNamed : candidates));
  }
  return out;
}

function lwcRefs(src: string, idx: OrgIndex): Named[] {
  const out: Named[] = [];
  for (const m of src.matchAll(/['"]@salesforce\/apex\/([A-Za-z]\w*)\.\w+['"]/g)) {
    const c = idx.classes.get(m[1].toLowerCase());
    if (c) out.push(c);
  }
  for (const m of src.matchAll(/['"]@salesforce\/schema\/([A-Za-z]\w*)(?:\.([A-Za-z]\w*))?['"]/g)) {
    if (m[2]) {
      const f = idx.field(m[1], m[2]);
      if (f) out.push(f);
    }
    const o = idx.objects.get(m[1].toLowerCase());
    if (o) out.push(o);
  }
  return out;
}

/** Layouts, flows, permission sets: `Object.Field` values, bare fields of the layout's object, object names. */
function xmlRefs(c: StoredComponent, xml: string, idx: OrgIndex): Named[] {
  const out: Named[] = [];
  const values = [...xml.matchAll(/>\s*([^<>\s]+)\s*</g)].map((m) => m[1]);
  const owner = c.type === 'Layout' ? c.fullName.slice(0, c.fullName.indexOf('-')) : undefined;
  const objectsNamed = new Set<string>();
  if (owner) objectsNamed.add(owner.toLowerCase());
  for (const v of values) {
    const o = idx.objects.get(v.toLowerCase());
    if (o) {
      out.push(o);
      objectsNamed.add(v.toLowerCase());
    }
  }
  for (const v of values) {
    const dotted = /^(?:\$Record\.)?([A-Za-z]\w*)\.([A-Za-z]\w*__c)$/.exec(v);
    if (dotted) {
      const f = idx.field(dotted[1], dotted[2]);
      if (f) out.push(f);
      continue;
    }
    if (!/^[A-Za-z]\w*__c$/.test(v) || idx.objects.has(v.toLowerCase())) continue;
    for (const object of objectsNamed) {
      const f = idx.field(object, v);
      if (f) out.push(f);
    }
  }
  return out;
}

function referencesOf(c: StoredComponent, idx: OrgIndex): Named[] {
  switch (c.type) {
    case 'ApexClass':
    case 'ApexTrigger':
      return apexRefs(apexCode(text(c)), idx);
    case 'LightningComponentBundle':
      return lwcRefs(
        Object.entries(c.files)
          .filter(([p]) => /\.(js|ts)$/.test(p) && !p.includes('__tests__'))
          .map(([, b]) => Buffer.from(b, 'base64').toString('utf8'))
          .join('\n'),
        idx,
      );
    case 'CustomField': {
      const o = idx.objects.get(c.fullName.slice(0, c.fullName.indexOf('.')).toLowerCase());
      return o ? [o] : [];
    }
    case 'Layout':
    case 'Flow':
    case 'PermissionSet':
      return xmlRefs(c, text(c), idx);
    default:
      return [];
  }
}

/** Every dependency row of the org, computed from its stored components. */
export function dependencyRows(components: readonly StoredComponent[]): SRecord[] {
  const idx = new OrgIndex(components);
  const rows: SRecord[] = [];
  for (const c of components) {
    const seen = new Set<string>();
    for (const r of referencesOf(c, idx)) {
      if (r.id === c.id || seen.has(r.id)) continue;
      seen.add(r.id);
      rows.push({
        Id: '000000000000000AAA',
        MetadataComponentId: c.id,
        MetadataComponentName: rowName(c),
        MetadataComponentNamespace: null,
        MetadataComponentType: c.type,
        RefMetadataComponentId: r.id,
        RefMetadataComponentName: rowName(r),
        RefMetadataComponentNamespace: null,
        RefMetadataComponentType: r.type,
      });
    }
  }
  return rows;
}

function walk(c: Condition | undefined, visit: (c: Condition) => void): void {
  if (!c) return;
  visit(c);
  if (c.kind === 'and' || c.kind === 'or') for (const p of c.parts) walk(p, visit);
  else if (c.kind === 'not') walk(c.part, visit);
}

/** Refuses what Salesforce documents as unsupported on MetadataComponentDependency. */
export function checkDependencyQuery(q: SoqlQuery): void {
  const refuse = (what: string): never => {
    throw new RestError(400, 'MALFORMED_QUERY', `MetadataComponentDependency does not support ${what}`);
  };
  if (q.orderBy.length) refuse('ORDER BY');
  if (q.offset !== undefined) refuse('OFFSET');
  if (q.select.some((s) => s.kind === 'count')) refuse('count()');
  walk(q.where, (c) => {
    if (c.kind === 'not') refuse('NOT');
    if (c.kind !== 'compare' && c.kind !== 'in' && c.kind !== 'like') return;
    const field = c.path.join('.').toLowerCase();
    if (field === 'metadatacomponentname' || field === 'refmetadatacomponentname') refuse(`filters on ${c.path.join('.')}`);
    if (c.kind === 'like') refuse('LIKE');
    if (c.kind === 'compare' && c.op !== '=' && c.op !== '!=') refuse(`the ${c.op} operator`);
    if (c.kind === 'compare' && field === 'refmetadatacomponenttype' && c.value.kind === 'string' && c.value.value === 'StandardEntity') {
      refuse("the filter RefMetadataComponentType = 'StandardEntity'");
    }
  });
}

/** The 2,000-record cap: the whole query fails (Tooling API has no queryMore for this object). */
export function checkDependencyRowCount(count: number, cap = DEPENDENCY_ROW_CAP): void {
  if (count > cap) {
    throw new RestError(
      400,
      'EXCEEDED_MAX_RECORDS',
      `No more than ${cap} records in a single dependency query; this one matches ${count}. Filter by fewer components, or use Bulk API 2.0.`,
    );
  }
}
