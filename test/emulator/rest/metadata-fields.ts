import { XMLParser } from 'fast-xml-parser';
import { field, labelFromName, ref, type FieldDef, type FieldType, type PicklistValue } from './schema-types';

/**
 * Turns CustomObject / CustomField metadata XML (mdapi format) into field definitions.
 * Pure: no store access.
 */

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['fields', 'value', 'picklistValues', 'referenceTo'].includes(name),
});

type Xml = Record<string, any>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const bool = (v: unknown): boolean => v === 'true' || v === true;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

export interface ParsedCustomObject {
  label?: string;
  pluralLabel?: string;
  nameField: FieldDef;
  /** `<fields>` elements found inside the .object file itself (if any). */
  fields: FieldDef[];
}

/** Parses `objects/Foo__c.object` (the `<CustomObject>` root). */
export function parseCustomObject(xml: string): ParsedCustomObject {
  const doc = parser.parse(xml) as Xml;
  const root: Xml = doc.CustomObject ?? {};
  const nf: Xml = typeof root.nameField === 'object' && root.nameField ? root.nameField : {};
  const nameLabel = str(nf.label) ?? 'Name';
  const nameField =
    str(nf.type) === 'AutoNumber'
      ? field('Name', 'string', {
          label: nameLabel,
          length: 80,
          createable: false,
          updateable: false,
          nillable: false,
          nameField: true,
          custom: false,
          autoNumberFormat: str(nf.displayFormat) ?? 'A-{0000}',
        })
      : field('Name', 'string', { label: nameLabel, length: 80, required: true, nillable: false, nameField: true, custom: false });
  const fields = (Array.isArray(root.fields) ? (root.fields as Xml[]) : []).map((f) => toFieldDef(f)).filter((f): f is FieldDef => !!f);
  return { label: str(root.label), pluralLabel: str(root.pluralLabel), nameField, fields };
}

/** Parses one `<fields>…</fields>` fragment (a CustomField component). */
export function parseFieldFragment(xml: string, fallbackName?: string): FieldDef | undefined {
  const doc = parser.parse(xml) as Xml;
  const el = Array.isArray(doc.fields) ? doc.fields[0] : (doc.fields ?? doc.CustomField);
  if (!el || typeof el !== 'object') return undefined;
  return toFieldDef(el as Xml, fallbackName);
}

function picklistValues(el: Xml): { values: PicklistValue[]; restricted: boolean } {
  const vs: Xml = typeof el.valueSet === 'object' && el.valueSet ? el.valueSet : {};
  const def: Xml = typeof vs.valueSetDefinition === 'object' && vs.valueSetDefinition ? vs.valueSetDefinition : {};
  const raw: Xml[] = Array.isArray(def.value) ? def.value : [];
  const legacy: Xml[] = Array.isArray(el.picklist?.picklistValues) ? el.picklist.picklistValues : [];
  const values = [...raw, ...legacy]
    .map((v) => ({ value: str(v.fullName) ?? '', label: str(v.label) ?? str(v.fullName) ?? '', active: v.isActive !== 'false', defaultValue: bool(v.default) }))
    .filter((v) => v.value !== '');
  return { values, restricted: bool(vs.restricted) || bool(el.picklist?.restrictedPicklist) };
}

function literalDefault(v: unknown, type: FieldType): unknown {
  const s = str(v);
  if (s === undefined) return undefined;
  if (type === 'boolean') return s.toLowerCase() === 'true';
  const quoted = /^"(.*)"$|^'(.*)'$/s.exec(s);
  if (quoted) return quoted[1] ?? quoted[2];
  const n = Number(s);
  return Number.isFinite(n) && ['double', 'currency', 'percent', 'int'].includes(type) ? n : undefined;
}

const TYPE_MAP: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  EncryptedText: 'encryptedstring',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  AutoNumber: 'string',
  Summary: 'double',
};

function toFieldDef(el: Xml, fallbackName?: string): FieldDef | undefined {
  const fullName = str(el.fullName) ?? fallbackName;
  if (!fullName) return undefined;
  const mdType = str(el.type) ?? (el.formula ? 'Text' : 'Text');
  const type: FieldType = TYPE_MAP[mdType] ?? 'string';
  const label = str(el.label) ?? labelFromName(fullName);
  const common: Partial<FieldDef> = { label, custom: true, externalId: bool(el.externalId), unique: bool(el.unique) };
  if (mdType === 'Lookup' || mdType === 'MasterDetail') {
    const to = (Array.isArray(el.referenceTo) ? el.referenceTo : [el.referenceTo]).map(str).filter((x): x is string => !!x);
    const rel = str(el.relationshipName);
    const master = mdType === 'MasterDetail';
    // The parent relationship is the field name with __r; <relationshipName> names the child relationship.
    return ref(fullName, to.length ? to : ['Account'], fullName.replace(/__c$/, '__r'), {
      ...common,
      childRelationshipName: rel ? `${rel}__r` : undefined,
      required: master || bool(el.required),
      nillable: !master && !bool(el.required),
      updateable: !master || bool(el.reparentableMasterDetail),
      cascadeDelete: master,
    });
  }
  const extra: Partial<FieldDef> = { ...common };
  if (type === 'string' || type === 'encryptedstring') extra.length = num(el.length) ?? 255;
  if (type === 'textarea') {
    extra.length = mdType === 'TextArea' ? 255 : (num(el.length) ?? 32768);
    if (mdType === 'Html') extra.extraTypeInfo = 'richtextarea';
    else if (mdType === 'LongTextArea') extra.extraTypeInfo = 'plaintextarea';
  }
  if (['double', 'currency', 'percent'].includes(type)) {
    extra.precision = num(el.precision) ?? 18;
    extra.scale = num(el.scale) ?? 0;
  }
  if (type === 'picklist' || type === 'multipicklist') {
    const p = picklistValues(el);
    extra.picklistValues = p.values;
    extra.restrictedPicklist = p.restricted;
    const dflt = p.values.find((v) => v.defaultValue);
    if (dflt) extra.defaultValue = dflt.value;
  }
  if (type === 'boolean') extra.nillable = false;
  const dv = literalDefault(el.defaultValue, type);
  if (dv !== undefined) extra.defaultValue = dv;
  if (type === 'boolean' && extra.defaultValue === undefined) extra.defaultValue = false;
  if (bool(el.required) && type !== 'boolean') {
    extra.required = true;
    extra.nillable = false;
  }
  if (mdType === 'AutoNumber') {
    Object.assign(extra, { createable: false, updateable: false, autoNumberFormat: str(el.displayFormat) ?? 'A-{0000}', length: 30 });
  }
  if (el.formula !== undefined || mdType === 'Summary') Object.assign(extra, { createable: false, updateable: false, calculated: true, required: false });
  return field(fullName, type, extra);
}
