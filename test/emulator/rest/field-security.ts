/**
 * Field-level security, as an org applies it to custom fields deployed through the Metadata API:
 * such a field is visible to a user only when the user's profile or a permission set assigned to
 * the user grants it (`<fieldPermissions>` readable, or editable, which implies readable). A field
 * granted readable only is read-only for that user. Required custom fields (master-detail fields
 * included) and standard fields are always accessible, as Salesforce allows no field permission
 * on them.
 *
 * Profiles: the emulated admin has the System Administrator profile (metadata name `Admin`), the
 * other users the Standard User profile (`Standard`); a deployed Profile component of that name
 * grants what it lists. Object permissions are not enforced: both are standard profiles, which
 * Salesforce gives every object permission on custom objects.
 *
 * The user's view of an object is the object without the fields hidden from them and with the
 * read-only ones not createable or updateable, so describe, SOQL and writes all answer as an org
 * does ("No such column", INVALID_FIELD_FOR_INSERT_UPDATE). `full` keeps the whole definition for
 * what the system does regardless of the user (default values, auto-numbers, validation rules).
 */
import { elementText } from '../metadata/xml';
import type { EmuUser, OrgStore, StoredComponent } from '../store';
import type { FieldDef, ObjectDef } from './schema-types';

type Level = 'read' | 'edit';
type Grants = Map<string, Level>;

export type UserObject = ObjectDef & { full?: ObjectDef };

/** The whole definition of an object, whatever view of it is at hand. */
export const fullObject = (o: ObjectDef): ObjectDef => (o as UserObject).full ?? o;

/** Whether field-level security decides who sees the field. */
export const isSecured = (f: FieldDef): boolean => f.custom && !f.required && f.name.endsWith('__c');

const key = (object: string, field: string) => `${object}.${field}`.toLowerCase();

/** The `<fieldPermissions>` of a PermissionSet or Profile component. */
function parseGrants(c: StoredComponent): Grants {
  const grants: Grants = new Map();
  for (const b64 of Object.values(c.files)) {
    const xml = Buffer.from(b64, 'base64').toString('utf8');
    for (const m of xml.matchAll(/<fieldPermissions>([\s\S]*?)<\/fieldPermissions>/g)) {
      const field = elementText(m[1], 'field');
      if (!field) continue;
      const edit = elementText(m[1], 'editable') === 'true';
      if (edit || elementText(m[1], 'readable') === 'true') grants.set(field.toLowerCase(), edit ? 'edit' : 'read');
    }
  }
  return grants;
}

export class FieldSecurity {
  private version = -1;
  private parsed = new Map<string, Grants>();
  private views = new Map<string, { stamp: string; view: ObjectDef }>();

  constructor(private readonly store: OrgStore) {}

  /** The object as `user` may see and write it. */
  view(obj: ObjectDef, user: EmuUser): ObjectDef {
    if (![...obj.fields.values()].some(isSecured)) return obj;
    const sources = this.sourcesFor(user);
    const stamp = `${this.store.metadataVersion}|${sources.map((s) => s.id).join(',')}`;
    const cacheKey = `${user.id}|${obj.name}`;
    const hit = this.views.get(cacheKey);
    if (hit && hit.stamp === stamp && (hit.view as UserObject).full === obj) return hit.view;
    const grants = sources.map((s) => this.grantsOf(s));
    const fields = new Map<string, FieldDef>();
    for (const [k, f] of obj.fields) {
      if (!isSecured(f)) {
        fields.set(k, f);
        continue;
      }
      const levels = grants.map((g) => g.get(key(obj.name, f.name)));
      if (levels.includes('edit')) fields.set(k, f);
      else if (levels.includes('read')) fields.set(k, { ...f, createable: false, updateable: false });
    }
    const view: UserObject = { ...obj, fields, full: obj };
    this.views.set(cacheKey, { stamp, view });
    return view;
  }

  /** The profile and the assigned permission sets of a user, as components. */
  private sourcesFor(user: EmuUser): StoredComponent[] {
    const out: StoredComponent[] = [];
    const profile = this.store.getComponent('Profile', user.isAdmin ? 'Admin' : 'Standard');
    if (profile) out.push(profile);
    const assigned = new Set<string>();
    for (const r of this.store.table('PermissionSetAssignment').values()) {
      if (r.IsDeleted !== true && r.AssigneeId === user.id) assigned.add(String(r.PermissionSetId));
    }
    if (assigned.size) for (const ps of this.store.listComponents('PermissionSet')) if (assigned.has(ps.id)) out.push(ps);
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  private grantsOf(c: StoredComponent): Grants {
    if (this.version !== this.store.metadataVersion) {
      this.version = this.store.metadataVersion;
      this.parsed.clear();
      this.views.clear();
    }
    let g = this.parsed.get(c.id);
    if (!g) this.parsed.set(c.id, (g = parseGrants(c)));
    return g;
  }
}
