/**
 * References in Apex classes and triggers: other classes (identifiers that are class names the
 * source org has), custom objects and fields (`Obj__c`, `Obj__c.Field__c`, `Account.Field__c`,
 * `record.Field__c` for a declared record variable, `new Obj__c(Field__c = ...)`, SOQL queries,
 * `Schema.SObjectType.Obj__c.fields.Field__c`), custom labels, and a trigger's object.
 */
import type { ComponentRef } from '../../metadata-types';
import { blankApex, blankSubqueries, soqlRanges } from './apex-text';
import { customFieldName, customObject, fieldUse, lineIndex, objectRef } from './names';
import type { Found } from './types';

const CHAIN = /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/g;
const DECLARATION = /\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\s*(<[^;{}()=]*>)?\s*(\[\s*\])?\s+([A-Za-z_]\w*)\s*(?=[=;,):{])/g;
const NOT_TYPES = new Set(['return', 'new', 'else', 'throw', 'case', 'when', 'instanceof', 'in', 'package', 'import', 'insert', 'update', 'upsert', 'delete', 'undelete', 'merge', 'class', 'interface', 'enum', 'extends', 'implements', 'trigger']);
/** Heads of chains that are neither records nor sObject names. */
const NOT_SOBJECTS = new Set(['this', 'super', 'system', 'trigger', 'database', 'json', 'math', 'string', 'test', 'userinfo', 'limits', 'apexpages', 'label']);

interface Declared {
  offset: number;
  type: string;
}

/** Declared variables (fields, locals, parameters, loop variables) and their record type. */
function declarations(code: string): Map<string, Declared[]> {
  const vars = new Map<string, Declared[]>();
  for (const m of code.matchAll(DECLARATION)) {
    if (NOT_TYPES.has(m[1].toLowerCase()) || NOT_TYPES.has(m[4].toLowerCase())) continue;
    // List<Account>, Set<Account>, Map<Id, Account> and Account[] hold Account records.
    const type = m[2] ? (m[2].match(/[A-Za-z_]\w*/g) ?? []).pop() ?? m[1] : m[1];
    const key = m[4].toLowerCase();
    vars.set(key, [...(vars.get(key) ?? []), { offset: m.index ?? 0, type }]);
  }
  return vars;
}

function typeAt(vars: Map<string, Declared[]>, name: string, offset: number): string | undefined {
  const list = vars.get(name.toLowerCase());
  if (!list) return undefined;
  return (list.filter((d) => d.offset <= offset).pop() ?? list[0]).type;
}

/** Fields and the object of a SOQL query at `base` in the code. */
function soqlRefs(query: string, base: number, lineAt: (o: number) => number): Found[] {
  const text = blankSubqueries(query).replace(/:\s*[\w.]+(?:\[[^\]]*\])?/g, (s) => ' '.repeat(s.length));
  const from = /\bfrom\s+([A-Za-z_]\w*)/i.exec(text);
  if (!from) return [];
  const object = from[1];
  const out: Found[] = [];
  const custom = customObject(object);
  if (custom) out.push({ to: objectRef(custom), line: lineAt(base + from.index), why: `queries ${custom}` });
  for (const m of text.matchAll(CHAIN)) {
    const at = m.index ?? 0;
    if (at === from.index + from[0].length - object.length) continue;
    const parts = m[0].split('.');
    const field = parts.length > 1 && parts[0].toLowerCase() === object.toLowerCase() ? parts[1] : parts[0];
    if (customFieldName(field)) out.push(...fieldUse(object, field, lineAt(base + at), `queries ${object}.${field}`).filter((f) => f.to.type === 'CustomField'));
  }
  return out;
}

/** `new Obj__c(Field__c = ...)`: the fields set in the constructor, with the offsets they take. */
function constructorRefs(code: string, lineAt: (o: number) => number, taken: Set<number>): Found[] {
  const out: Found[] = [];
  for (const m of code.matchAll(/\bnew\s+([A-Za-z_]\w*)\s*\(/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    let depth = 0;
    let close = code.length;
    for (let i = open; i < code.length; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')' && --depth === 0) {
        close = i;
        break;
      }
    }
    const args = code.slice(open + 1, close);
    for (const a of args.matchAll(/(^|[^.\w])([A-Za-z_]\w*)\s*=(?!=)/g)) {
      const at = open + 1 + (a.index ?? 0) + a[1].length;
      if (!customFieldName(a[2])) continue;
      taken.add(at);
      out.push(...fieldUse(m[1], a[2], lineAt(at), `sets ${m[1]}.${a[2]}`).filter((f) => f.to.type === 'CustomField'));
    }
  }
  return out;
}

/**
 * References of one Apex file. `classes` maps lower-cased class names the source org has (the
 * package's included) to their spelling; an identifier matching one is a reference to that class.
 */
export function apexRefs(ref: ComponentRef, src: string, classes: ReadonlyMap<string, string>): Found[] {
  const code = blankApex(src);
  const lineAt = lineIndex(code);
  const out: Found[] = [];
  const trigger = ref.type === 'ApexTrigger' ? /^\s*trigger\s+\w+\s+on\s+([A-Za-z_]\w*)/i.exec(code) : null;
  if (trigger && customObject(trigger[1])) out.push({ to: objectRef(customObject(trigger[1])!), line: lineAt(trigger.index + trigger[0].length - trigger[1].length), why: `is a trigger on ${trigger[1]}` });

  const ranges = soqlRanges(code);
  for (const [start, end] of ranges) out.push(...soqlRefs(code.slice(start, end), start, lineAt));
  const inSoql = (at: number) => ranges.some(([s, e]) => at >= s && at < e);
  const taken = new Set<number>();
  out.push(...constructorRefs(code, lineAt, taken));
  const vars = declarations(code);
  const self = ref.fullName.toLowerCase();

  for (const m of code.matchAll(CHAIN)) {
    const at = m.index ?? 0;
    if (inSoql(at) || taken.has(at)) continue;
    const line = lineAt(at);
    let parts = m[0].split('.');
    if (at > 0 && code[at - 1] === '.') {
      // `records[0].Field__c`: the element of a declared list.
      const indexed = /([A-Za-z_]\w*)\s*\[[^\]]*\]\s*\.$/.exec(code.slice(Math.max(0, at - 200), at));
      const type = indexed && typeAt(vars, indexed[1], at);
      if (type && customFieldName(parts[0])) out.push(...fieldUse(type, parts[0], line, `uses ${type}.${parts[0]}`));
      continue;
    }
    const head = parts[0].toLowerCase();
    const cls = classes.get(head);
    if (cls && head !== self) {
      out.push({ to: { type: 'ApexClass', fullName: cls }, line, why: `uses class ${cls}` });
      continue;
    }
    if ((head === 'label' || (head === 'system' && parts[1]?.toLowerCase() === 'label')) && parts.length >= (head === 'label' ? 2 : 3)) {
      const name = parts[head === 'label' ? 1 : 2];
      out.push({ to: { type: 'CustomLabel', fullName: name }, line, why: `uses the custom label ${name}` });
      continue;
    }
    if (head === 'schema') parts = parts.slice(1);
    if (parts[0]?.toLowerCase() === 'sobjecttype') parts = parts.slice(1);
    if (!parts[0]) continue;
    const declared = typeAt(vars, parts[0], at);
    const object = declared ?? parts[0];
    const field = parts[1]?.toLowerCase() === 'fields' ? parts[2] : parts[1];
    if (!declared && customObject(object)) out.push({ to: objectRef(customObject(object)!), line, why: `uses ${customObject(object)}` });
    const staticSObject = !declared && !NOT_SOBJECTS.has(object.toLowerCase()) && /^[A-Z]/.test(object);
    if (field && customFieldName(field) && (declared || customObject(object) || staticSObject)) {
      out.push(...fieldUse(object, field, line, `uses ${object}.${field}`).filter((f) => f.to.type === 'CustomField'));
    }
  }
  return out;
}
