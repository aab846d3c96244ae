import { createHash } from 'node:crypto';
import type { OrgContext } from '../context';
import { caseSafeSuffix } from '../ids';
import type { EmuUser, SRecord, StoredComponent } from '../store';
import { dependencyRows } from './component-dependencies';
import { sfDateTime } from './dates';
import { FieldSecurity, fullObject } from './field-security';
import type { Value } from './formula-eval';
import { Schema } from './schema';
import type { ObjectDef } from './schema-types';
import type { QuerySource } from './soql-eval';
import { formatAutoNumber, normalizeId, parseAutoNumber, validateWrite, WriteError, type WriteMode } from './validate';
import { ValidationRules } from './validation-rules';
import { ANY_RECORD, checkNewVersion, documentOf, FILE_OBJECTS, versionInserted, visibleDocuments } from './content';

/** The objects a request sees: the org's schema, or one user's view of it (field-level security). */
export interface SchemaView {
  get(name: string, api?: 'data' | 'tooling'): ObjectDef | undefined;
  all(api?: 'data' | 'tooling'): ObjectDef[];
  byKeyPrefix(id: string): ObjectDef | undefined;
}

/** What every user's Records share: the schema, security, rules and the virtual rows' cache. */
interface Shared {
  schema: Schema;
  security: FieldSecurity;
  rules: ValidationRules;
  virtualCache?: { version: number; users: string; rows: Map<string, SRecord[]> };
}

/**
 * Record access for one org: stored rows (the org store's tables) and virtual rows computed from
 * the org identity (User, Profile, Organization) or its metadata (ApexClass, ApexTrigger).
 * Deletes are soft (`IsDeleted` true), so `queryAll` still sees them, and cascade to the records
 * of master-detail children. `forUser` gives the records as one user sees them (field-level
 * security); validation rules are checked on every write.
 */
export class Records {
  readonly schema: SchemaView;
  private readonly shared: Shared;

  constructor(
    private readonly org: OrgContext,
    shared?: Shared,
    private readonly user?: EmuUser,
  ) {
    this.shared = shared ?? { schema: new Schema(org.store), security: new FieldSecurity(org.store), rules: new ValidationRules(org.store) };
    const { schema, security } = this.shared;
    this.schema = user
      ? {
          get: (name, api) => {
            const o = schema.get(name, api);
            return o && security.view(o, user);
          },
          all: (api) => schema.all(api).map((o) => security.view(o, user)),
          byKeyPrefix: (id) => schema.byKeyPrefix(id),
        }
      : schema;
  }

  /** The records as `user` sees them: custom fields hidden or read-only as their grants say. */
  forUser(user: EmuUser): Records {
    return new Records(this.org, this.shared, user);
  }

  /** Formula problems met in the org's validation rules (rules skipped). */
  get ruleProblems(): string[] {
    return this.shared.rules.problems;
  }

  /** A QuerySource for the given API (data or tooling). */
  source(api: 'data' | 'tooling'): QuerySource {
    return {
      object: (name) => this.schema.get(name, api),
      rows: (obj, includeDeleted) => this.rows(obj, includeDeleted),
      byId: (id) => this.byId(id),
    };
  }

  rows(obj: ObjectDef, includeDeleted = false): SRecord[] {
    if (obj.virtual) return this.virtualRows(obj.name);
    let all = [...this.org.store.table(obj.name).values()];
    if (this.user && FILE_OBJECTS.has(obj.name)) {
      const seen = this.filesSeen(this.user);
      all = all.filter((r) => seen.has(documentOf(obj.name, r)));
    }
    return includeDeleted ? all : all.filter((r) => r.IsDeleted !== true);
  }

  /** A live (not deleted) record of an object by id. */
  find(obj: ObjectDef, id: string): SRecord | undefined {
    const norm = normalizeId(id);
    if (!norm) return undefined;
    if (obj.virtual) return this.virtualRows(obj.name).find((r) => r.Id === norm);
    const rec = this.org.store.table(obj.name).get(norm);
    if (rec && this.user && FILE_OBJECTS.has(obj.name) && !this.filesSeen(this.user).has(documentOf(obj.name, rec))) return undefined;
    return rec && rec.IsDeleted !== true ? rec : undefined;
  }

  /** The files (ContentDocument ids) a user may see. */
  private filesSeen(user: EmuUser): Set<string> {
    return visibleDocuments(this.org.store, user, (id) => {
      const obj = this.shared.schema.byKeyPrefix(id);
      const rec = obj && !obj.virtual ? this.org.store.table(obj.name).get(id) : undefined;
      return !!rec && rec.IsDeleted !== true;
    });
  }

  byId(id: string): { obj: ObjectDef; rec: SRecord } | undefined {
    const obj = this.schema.byKeyPrefix(id);
    const rec = obj && this.find(obj, id);
    return obj && rec ? { obj, rec } : undefined;
  }

  refExists = (id: string, referenceTo: string[]): boolean => {
    const hit = this.byId(id);
    return !!hit && referenceTo.some((t) => t === ANY_RECORD || t.toLowerCase() === hit.obj.name.toLowerCase());
  };

  /**
   * The values to store for a write, or a WriteError: field checks against the object as the
   * user sees it, then the object's validation rules over the record as it would be saved.
   */
  validate(obj: ObjectDef, input: unknown, mode: WriteMode, targetId?: string): Record<string, unknown> {
    const values = validateWrite(obj, input, mode, this.refExists, targetId);
    if (obj.name === 'PermissionSetAssignment' && mode === 'create') this.checkNewAssignment(values);
    if (obj.name === 'ContentVersion' && mode === 'create') checkNewVersion(values);
    if (!obj.virtual) {
      const prior = mode === 'update' && targetId ? this.org.store.table(obj.name).get(targetId) : undefined;
      this.shared.rules.check(fullObject(obj), prior ? { ...prior, ...values } : values, prior, this.resolve);
    }
    return values;
  }

  /** A field path's value from a record, following relationships (`Account__r.Name`). */
  private resolve = (obj: ObjectDef, rec: Record<string, unknown>, path: string[]): Value => {
    let cur: Record<string, unknown> | undefined = rec;
    let o = fullObject(obj);
    for (const seg of path.slice(0, -1)) {
      const rel = [...o.fields.values()].find((f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === seg.toLowerCase());
      const id: unknown = rel ? cur?.[rel.name] : undefined;
      const hit: { obj: ObjectDef; rec: SRecord } | undefined = typeof id === 'string' ? this.byId(id) : undefined;
      if (!rel || !hit) return null;
      cur = hit.rec;
      o = fullObject(hit.obj);
    }
    const f = o.fields.get(path[path.length - 1].toLowerCase());
    const v = f && cur ? cur[f.name] : undefined;
    return v === undefined ? null : (v as Value);
  };

  /** As Salesforce: a user holds a permission set at most once. */
  private checkNewAssignment(values: Record<string, unknown>): void {
    for (const r of this.org.store.table('PermissionSetAssignment').values()) {
      if (r.IsDeleted !== true && r.AssigneeId === values.AssigneeId && r.PermissionSetId === values.PermissionSetId) {
        throw new WriteError('DUPLICATE_VALUE', `Duplicate PermissionSetAssignment. Assignee: ${String(values.AssigneeId)}; Permission Set: ${String(values.PermissionSetId)}`, []);
      }
    }
  }

  /** Inserts validated values; fills audit fields, owner, auto-number and computed names. */
  insert(view: ObjectDef, values: Record<string, unknown>, user: EmuUser, now = new Date()): SRecord {
    const obj = fullObject(view);
    const stamp = sfDateTime(now);
    const table = this.org.store.table(obj.name);
    const rec: SRecord = {
      Id: this.org.store.ids.next(obj.keyPrefix),
      IsDeleted: false,
      ...values,
      CreatedDate: stamp,
      CreatedById: user.id,
      LastModifiedDate: stamp,
      LastModifiedById: user.id,
      SystemModstamp: stamp,
    };
    if (obj.fields.has('ownerid') && !rec.OwnerId) rec.OwnerId = user.id;
    const nameField = obj.fields.get('name');
    if (nameField?.autoNumberFormat) {
      let max = 0;
      // The counter survives a change of display format (D-000003, then DEP-00004), as in Salesforce.
      for (const r of table.values()) max = Math.max(max, parseAutoNumber(nameField.autoNumberFormat, String(r.Name ?? '')) ?? trailingNumber(r.Name));
      rec.Name = formatAutoNumber(nameField.autoNumberFormat, max + 1, now);
    }
    for (const f of obj.fields.values()) {
      if (f.custom && f.autoNumberFormat) {
        let max = 0;
        for (const r of table.values()) max = Math.max(max, parseAutoNumber(f.autoNumberFormat, String(r[f.name] ?? '')) ?? 0);
        rec[f.name] = formatAutoNumber(f.autoNumberFormat, max + 1, now);
      }
    }
    computeNames(obj, rec);
    table.set(rec.Id, rec);
    if (obj.name === 'ContentVersion') versionInserted(this.org.store, rec, user, now);
    return rec;
  }

  update(obj: ObjectDef, rec: SRecord, values: Record<string, unknown>, user: EmuUser, now = new Date()): void {
    Object.assign(rec, values);
    const stamp = sfDateTime(now);
    rec.LastModifiedDate = stamp;
    rec.LastModifiedById = user.id;
    rec.SystemModstamp = stamp;
    computeNames(obj, rec);
  }

  /** Deletes a record and, as the master-detail cascade does, the records of its detail objects. */
  remove(obj: ObjectDef, rec: SRecord, user: EmuUser, now = new Date()): void {
    const stamp = sfDateTime(now);
    rec.IsDeleted = true;
    rec.LastModifiedDate = stamp;
    rec.LastModifiedById = user.id;
    rec.SystemModstamp = stamp;
    for (const child of this.shared.schema.all('data')) {
      if (child.virtual) continue;
      for (const f of child.fields.values()) {
        if (!f.cascadeDelete || !f.referenceTo?.some((t) => t === ANY_RECORD || t.toLowerCase() === obj.name.toLowerCase())) continue;
        for (const r of this.org.store.table(child.name).values()) if (r.IsDeleted !== true && r[f.name] === rec.Id) this.remove(child, r, user, now);
      }
    }
  }

  /** Virtual rows, cached until the metadata or the users (e.g. a deactivation) change. */
  private virtualRows(name: string): SRecord[] {
    const version = this.org.store.metadataVersion;
    const users = this.org.store.identity.users.map((u) => `${u.id}|${u.username}|${u.name}|${u.email}|${u.isActive}|${u.isAdmin}`).join('\n');
    let cache = this.shared.virtualCache;
    if (!cache || cache.version !== version || cache.users !== users) this.shared.virtualCache = cache = { version, users, rows: new Map() };
    let rows = cache.rows.get(name);
    if (!rows) {
      rows = this.buildVirtual(name);
      cache.rows.set(name, rows);
    }
    return rows;
  }

  private buildVirtual(name: string): SRecord[] {
    const { identity } = this.org.store;
    const admin = identity.users[0];
    const audit = { IsDeleted: false, CreatedDate: ORG_EPOCH, CreatedById: admin.id, LastModifiedDate: ORG_EPOCH, LastModifiedById: admin.id, SystemModstamp: ORG_EPOCH };
    const profileIds = { admin: fixedId('00e', identity.orgId, 'admin'), standard: fixedId('00e', identity.orgId, 'standard') };
    switch (name) {
      case 'User':
        return identity.users.map((u) => {
          const parts = u.name.split(' ');
          return {
            ...audit,
            Id: u.id,
            Username: u.username,
            Name: u.name,
            FirstName: parts.length > 1 ? parts[0] : null,
            LastName: parts.length > 1 ? parts.slice(1).join(' ') : u.name,
            Alias: u.username.split('@')[0].slice(0, 8),
            Email: u.email,
            IsActive: u.isActive,
            ProfileId: u.isAdmin ? profileIds.admin : profileIds.standard,
            UserType: 'Standard',
            TimeZoneSidKey: 'GMT',
            LanguageLocaleKey: 'en_US',
          };
        });
      case 'Profile':
        return [
          { ...audit, Id: profileIds.admin, Name: 'System Administrator', UserType: 'Standard' },
          { ...audit, Id: profileIds.standard, Name: 'Standard User', UserType: 'Standard' },
        ];
      case 'Organization':
        return [
          {
            ...audit,
            Id: identity.orgId,
            Name: `Changeline ${identity.name}`,
            InstanceName: identity.isSandbox ? 'CS1' : 'NA1',
            IsSandbox: identity.isSandbox,
            OrganizationType: 'Enterprise Edition',
            TrialExpirationDate: null,
            NamespacePrefix: null,
            Country: 'US',
            LanguageLocaleKey: 'en_US',
            TimeZoneSidKey: 'GMT',
          },
        ];
      case 'ApexClass':
      case 'ApexTrigger':
        return this.org.store.listComponents(name).map((c) => apexRow(c, name));
      case 'PermissionSet':
        return this.org.store.listComponents('PermissionSet').map(permissionSetRow);
      case 'MetadataComponentDependency':
        return dependencyRows(this.org.store.allComponents());
      default:
        return [];
    }
  }
}

const ORG_EPOCH = '2024-01-01T00:00:00.000+0000';

/** The sequence number at the end of an auto-number rendered with an earlier display format. */
function trailingNumber(v: unknown): number {
  const m = /(\d+)\D*$/.exec(typeof v === 'string' ? v : '');
  return m ? Number(m[1]) : 0;
}

function computeNames(obj: ObjectDef, rec: SRecord): void {
  if (obj.name === 'Contact') rec.Name = [rec.FirstName, rec.LastName].filter((x) => typeof x === 'string' && x).join(' ');
}

/** A stable id for rows that exist once per org (profiles). */
function fixedId(prefix: string, orgId: string, label: string): string {
  const hex = createHash('sha256').update(`${orgId}:${label}`).digest('hex').toUpperCase();
  const id15 = `${prefix}${hex.replace(/[^0-9A-F]/g, '')}`.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

function permissionSetRow(c: StoredComponent): SRecord {
  const file = Object.entries(c.files).find(([p]) => p.endsWith('.permissionset') || p.endsWith('-meta.xml'));
  const xml = file ? Buffer.from(file[1], 'base64').toString('utf8') : '';
  const tag = (t: string) => new RegExp(`<${t}>([^<]*)</${t}>`).exec(xml)?.[1];
  return {
    Id: c.id,
    IsDeleted: false,
    Name: c.fullName,
    Label: tag('label') ?? c.fullName,
    Description: tag('description') ?? null,
    IsOwnedByProfile: false,
    CreatedDate: sfDateTime(new Date(c.createdDate)),
    CreatedById: c.createdById,
    LastModifiedDate: sfDateTime(new Date(c.lastModifiedDate)),
    LastModifiedById: c.lastModifiedById,
    SystemModstamp: sfDateTime(new Date(c.lastModifiedDate)),
  };
}

function apexRow(c: StoredComponent, type: 'ApexClass' | 'ApexTrigger'): SRecord {
  const ext = type === 'ApexClass' ? '.cls' : '.trigger';
  const decode = (suffix: string) => {
    const entry = Object.entries(c.files).find(([p]) => p.endsWith(suffix));
    return entry ? Buffer.from(entry[1], 'base64').toString('utf8') : '';
  };
  const body = decode(ext);
  const meta = decode(`${ext}-meta.xml`);
  const tag = (t: string) => new RegExp(`<${t}>([^<]*)</${t}>`).exec(meta)?.[1];
  const apiVersion = Number(tag('apiVersion'));
  const row: SRecord = {
    Id: c.id,
    IsDeleted: false,
    Name: c.fullName,
    NamespacePrefix: null,
    Body: body,
    ApiVersion: Number.isFinite(apiVersion) ? apiVersion : null,
    Status: tag('status') ?? 'Active',
    IsValid: true,
    LengthWithoutComments: body.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').length,
    CreatedDate: sfDateTime(new Date(c.createdDate)),
    CreatedById: c.createdById,
    LastModifiedDate: sfDateTime(new Date(c.lastModifiedDate)),
    LastModifiedById: c.lastModifiedById,
    SystemModstamp: sfDateTime(new Date(c.lastModifiedDate)),
  };
  if (type === 'ApexTrigger') row.TableEnumOrId = /trigger\s+\w+\s+on\s+(\w+)/i.exec(body)?.[1] ?? null;
  return row;
}
