/** The sObject schema model the REST API and SOQL work from (a subset of describe). */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'encryptedstring'
  /** Binary content sent base64 (ContentVersion.VersionData); read back through its own URL. */
  | 'base64';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Max characters for text types. */
  length?: number;
  precision?: number;
  scale?: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Must be given on create (required custom fields, MasterDetail, required standard fields). */
  required: boolean;
  custom: boolean;
  picklistValues?: PicklistValue[];
  restrictedPicklist?: boolean;
  referenceTo?: string[];
  /** SOQL relationship name (`Parent__r`, `Owner`), for reference fields. */
  relationshipName?: string | null;
  /** Name of the child relationship seen from the referenced object (`Change_Requests__r`). */
  childRelationshipName?: string;
  /** A master-detail field: deleting the master deletes this record. */
  cascadeDelete?: boolean;
  /** Auto-number display format, e.g. `CR-{00000}`. */
  autoNumberFormat?: string;
  defaultValue?: unknown;
  calculated?: boolean;
  nameField?: boolean;
  externalId?: boolean;
  unique?: boolean;
  extraTypeInfo?: string;
}

/** Which API serves the object: the data API, the Tooling API, or both. */
export type ObjectApi = 'data' | 'tooling' | 'both';

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  api: ObjectApi;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** Rows computed from org identity or metadata rather than held in the record store. */
  virtual: boolean;
  /** Fields by lower-case name. */
  fields: Map<string, FieldDef>;
}

/** The audit fields every stored record carries; never writable through the API. */
export const SYSTEM_FIELDS = [
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
] as const;

export function field(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  const writable = type !== 'id';
  return {
    name,
    label: extra.label ?? labelFromName(name),
    type,
    nillable: type !== 'boolean' && type !== 'id',
    createable: writable,
    updateable: writable,
    required: false,
    custom: name.endsWith('__c'),
    ...(type === 'string' && extra.length === undefined ? { length: 255 } : {}),
    ...extra,
  };
}

export function readOnly(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return field(name, type, { createable: false, updateable: false, ...extra });
}

export function ref(name: string, to: string[], relationshipName: string, extra: Partial<FieldDef> = {}): FieldDef {
  return field(name, 'reference', { referenceTo: to, relationshipName, length: 18, ...extra });
}

/** The audit fields, as field definitions. */
export function auditFields(): FieldDef[] {
  return [
    readOnly('Id', 'id', { label: 'Record ID', length: 18, nillable: false }),
    readOnly('IsDeleted', 'boolean', { label: 'Deleted', nillable: false }),
    readOnly('CreatedDate', 'datetime', { nillable: false }),
    ref('CreatedById', ['User'], 'CreatedBy', { label: 'Created By ID', createable: false, updateable: false }),
    readOnly('LastModifiedDate', 'datetime', { nillable: false }),
    ref('LastModifiedById', ['User'], 'LastModifiedBy', { label: 'Last Modified By ID', createable: false, updateable: false }),
    readOnly('SystemModstamp', 'datetime', { nillable: false }),
  ];
}

export function makeObject(
  def: Omit<ObjectDef, 'fields' | 'labelPlural' | 'label'> & { label?: string; labelPlural?: string },
  fields: FieldDef[],
): ObjectDef {
  const map = new Map<string, FieldDef>();
  for (const f of fields) map.set(f.name.toLowerCase(), f);
  const label = def.label ?? labelFromName(def.name);
  return { ...def, label, labelPlural: def.labelPlural ?? `${label}s`, fields: map };
}

export function labelFromName(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/Id$/, ' ID')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

/** Key prefix of a custom object, stable for its name: `a` + two base-62 chars. */
export function customKeyPrefix(name: string): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let h = 2166136261;
  for (const ch of name.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `a${chars[h % 62]}${chars[Math.floor(h / 62) % 62]}`;
}
