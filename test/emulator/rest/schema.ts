import type { OrgStore, StoredComponent } from '../store';
import { parseCustomObject, parseFieldFragment } from './metadata-fields';
import { auditFields, customKeyPrefix, labelFromName, makeObject, ref, type FieldDef, type ObjectDef } from './schema-types';
import { standardObjects } from './standard-objects';

/**
 * The sObject schema of one org: the built-in objects plus every CustomObject and CustomField
 * deployed as metadata. Rebuilt lazily when `store.metadataVersion` changes.
 */
export class Schema {
  private version = -1;
  private objects = new Map<string, ObjectDef>();
  private prefixes = new Map<string, ObjectDef>();
  /** Problems met while parsing metadata (kept for diagnosis, never thrown). */
  problems: string[] = [];

  constructor(private readonly store: OrgStore) {}

  /** The object definition for a name (case-insensitive), if the org has it in that API. */
  get(name: string, api: 'data' | 'tooling' = 'data'): ObjectDef | undefined {
    const o = this.current().get(name.toLowerCase());
    if (!o) return undefined;
    if (o.api !== 'both' && o.api !== api) return undefined;
    return o;
  }

  all(api: 'data' | 'tooling' = 'data'): ObjectDef[] {
    return [...this.current().values()].filter((o) => o.api === 'both' || o.api === api);
  }

  /** The object whose key prefix starts an id, if any. */
  byKeyPrefix(id: string): ObjectDef | undefined {
    this.current();
    return this.prefixes.get(id.slice(0, 3));
  }

  private current(): Map<string, ObjectDef> {
    if (this.version !== this.store.metadataVersion) {
      this.objects = this.build();
      this.prefixes = new Map([...this.objects.values()].map((o) => [o.keyPrefix, o]));
      this.version = this.store.metadataVersion;
    }
    return this.objects;
  }

  private build(): Map<string, ObjectDef> {
    this.problems = [];
    const map = new Map<string, ObjectDef>();
    for (const o of standardObjects({ sourceTracking: this.store.identity.sourceTracking })) map.set(o.name.toLowerCase(), o);
    for (const comp of this.store.listComponents('CustomObject')) {
      const o = this.customObject(comp);
      if (o) map.set(o.name.toLowerCase(), o);
    }
    for (const comp of this.store.listComponents('CustomField')) {
      const dot = comp.fullName.indexOf('.');
      if (dot < 0) continue;
      const parent = map.get(comp.fullName.slice(0, dot).toLowerCase());
      if (!parent || parent.virtual) continue;
      const fieldName = comp.fullName.slice(dot + 1);
      const xml = firstFile(comp);
      const f = xml === undefined ? undefined : safe(() => parseFieldFragment(xml, fieldName), (e) => this.problems.push(`${comp.fullName}: ${e}`));
      if (f) parent.fields.set(f.name.toLowerCase(), f);
    }
    // A custom object with a master-detail field is owned by its master: no OwnerId.
    for (const o of map.values()) {
      if (!o.custom) continue;
      const hasMaster = [...o.fields.values()].some((f) => f.cascadeDelete === true);
      if (hasMaster) o.fields.delete('ownerid');
    }
    return map;
  }

  private customObject(comp: StoredComponent): ObjectDef | undefined {
    const xml = Object.entries(comp.files).find(([p]) => p.endsWith('.object'))?.[1];
    const parsed = safe(
      () => parseCustomObject(xml ? Buffer.from(xml, 'base64').toString('utf8') : '<CustomObject/>'),
      (e) => this.problems.push(`${comp.fullName}: ${e}`),
    );
    if (!parsed) return undefined;
    const name = comp.fullName;
    if (!/__(c|mdt|e|x|b)$/.test(name)) return undefined;
    const label = parsed.label ?? labelFromName(name);
    const fields: FieldDef[] = [
      ...auditFields(),
      parsed.nameField,
      ref('OwnerId', ['User'], 'Owner', { label: 'Owner ID', nillable: false, custom: false }),
      ...parsed.fields,
    ];
    return makeObject(
      { name, label, labelPlural: parsed.pluralLabel ?? `${label}s`, keyPrefix: customKeyPrefix(name), custom: true, api: 'data', createable: true, updateable: true, deletable: true, virtual: false },
      fields,
    );
  }
}

function firstFile(comp: StoredComponent): string | undefined {
  const b64 = comp.files['fragment.xml'] ?? Object.values(comp.files)[0];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
}

function safe<T>(fn: () => T, onError: (e: string) => void): T | undefined {
  try {
    return fn();
  } catch (e) {
    onError((e as Error).message);
    return undefined;
  }
}
