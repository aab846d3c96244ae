import * as fs from 'node:fs';
import * as path from 'node:path';
import { IdFactory } from './ids';
import { SOURCE_MEMBER, SourceMembers, bundleFileChanges, type MemberChange, type PersistedSourceTracking } from './source-tracking';

/** A user of an emulated org. Each has its own access token. */
export interface EmuUser {
  id: string;
  username: string;
  name: string;
  email: string;
  accessToken: string;
  isAdmin: boolean;
  isActive: boolean;
}

/**
 * One metadata component as the org holds it, in metadata (mdapi) format.
 * `files` maps the path inside a metadata zip (e.g. `classes/Foo.cls`, `classes/Foo.cls-meta.xml`,
 * `lwc/myCmp/myCmp.js`) to the file's content, base64-encoded.
 * Child types of decomposed parents (CustomField, ValidationRule, ListView, RecordType…) are
 * stored as their own components (`CustomField` `Account.Foo__c`) holding their XML fragment.
 */
export interface StoredComponent {
  type: string;
  fullName: string;
  id: string;
  files: Record<string, string>;
  createdDate: string;
  createdById: string;
  lastModifiedDate: string;
  lastModifiedById: string;
}

/** An sObject record: field name → value. Always has Id and the audit fields. */
export type SRecord = Record<string, unknown> & { Id: string };

export interface OrgIdentity {
  name: string;
  orgId: string;
  isSandbox: boolean;
  /** The org keeps source tracking (Tooling `SourceMember`); never true for production. */
  sourceTracking: boolean;
  users: EmuUser[];
}

interface PersistedMetadata {
  components: StoredComponent[];
  idCounter: number;
  /** SourceMember rows and the revision counter, written with the components they describe. */
  sourceTracking?: PersistedSourceTracking;
}
interface PersistedRecords {
  records: Record<string, SRecord[]>;
  idCounter: number;
}

const key = (type: string, fullName: string) => `${type}\u0000${fullName}`;

/**
 * The state of one emulated org: its metadata components and its records.
 * With a data folder, metadata and records are written to disk atomically (temp file + rename)
 * after each committed change, so a crash never leaves a half-applied deploy on disk.
 */
export class OrgStore {
  readonly ids: IdFactory;
  private components = new Map<string, StoredComponent>();
  private byType = new Map<string, Map<string, StoredComponent>>();
  private records = new Map<string, Map<string, SRecord>>();
  /** Bumped on every metadata change; lets caches (e.g. the sObject schema) invalidate. */
  metadataVersion = 0;
  /** Source tracking rows; only written to when `identity.sourceTracking`. */
  readonly sourceMembers: SourceMembers;

  constructor(readonly identity: OrgIdentity, private readonly dataDir?: string, podChar = '0') {
    this.ids = new IdFactory(podChar);
    this.sourceMembers = new SourceMembers(() => this.table(SOURCE_MEMBER), (prefix) => this.ids.next(prefix));
  }

  // ---------- metadata ----------

  getComponent(type: string, fullName: string): StoredComponent | undefined {
    return this.components.get(key(type, fullName));
  }

  listComponents(type: string): StoredComponent[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  allComponents(): StoredComponent[] {
    return [...this.components.values()];
  }

  types(): string[] {
    return [...this.byType.keys()].filter((t) => (this.byType.get(t)?.size ?? 0) > 0);
  }

  /**
   * Applies a set of upserts and deletes as one unit, stamps audit fields, persists once.
   * Upserts keep the existing id and created* fields of a component already present.
   * With source tracking, each upsert and each delete of a present component bumps the org's
   * revision and updates that component's SourceMember row (O(changes)).
   */
  commitMetadata(
    upserts: Array<{ type: string; fullName: string; files: Record<string, string> }>,
    deletes: Array<{ type: string; fullName: string }>,
    userId: string,
    now = new Date(),
  ): void {
    const stamp = now.toISOString();
    const changes: MemberChange[] = [];
    for (const u of upserts) {
      const existing = this.getComponent(u.type, u.fullName);
      const comp: StoredComponent = {
        type: u.type,
        fullName: u.fullName,
        files: u.files,
        id: existing?.id ?? this.ids.next(idPrefixForType(u.type)),
        createdDate: existing?.createdDate ?? stamp,
        createdById: existing?.createdById ?? userId,
        lastModifiedDate: stamp,
        lastModifiedById: userId,
      };
      this.put(comp);
      changes.push({ type: u.type, fullName: u.fullName, id: comp.id, deleted: false, isNew: !existing });
      changes.push(...bundleFileChanges(u.type, comp.id, Object.keys(u.files), existing ? Object.keys(existing.files) : [], !existing));
    }
    for (const d of deletes) {
      const existing = this.getComponent(d.type, d.fullName);
      if (!existing) continue;
      this.remove(d.type, d.fullName);
      changes.push({ type: d.type, fullName: d.fullName, id: existing.id, deleted: true, isNew: false });
      changes.push(...bundleFileChanges(d.type, existing.id, [], Object.keys(existing.files), false));
    }
    if (this.identity.sourceTracking) this.sourceMembers.record(changes, userId, now);
    this.metadataVersion++;
    this.persistMetadata();
  }

  /** Loads components without stamping (seeding); persists once. */
  loadComponents(components: StoredComponent[]): void {
    for (const c of components) this.put(c);
    this.metadataVersion++;
    this.persistMetadata();
  }

  private put(c: StoredComponent): void {
    this.components.set(key(c.type, c.fullName), c);
    let m = this.byType.get(c.type);
    if (!m) this.byType.set(c.type, (m = new Map()));
    m.set(c.fullName, c);
  }

  private remove(type: string, fullName: string): void {
    this.components.delete(key(type, fullName));
    this.byType.get(type)?.delete(fullName);
  }

  // ---------- records ----------

  table(sobject: string): Map<string, SRecord> {
    let t = this.records.get(sobject);
    if (!t) this.records.set(sobject, (t = new Map()));
    return t;
  }

  sobjectsWithRecords(): string[] {
    return [...this.records.keys()];
  }

  /** Call after a record mutation has been fully applied. */
  recordsChanged(): void {
    this.persistRecords();
  }

  // ---------- lifecycle ----------

  reset(): void {
    this.components.clear();
    this.byType.clear();
    this.records.clear();
    this.sourceMembers.clear();
    this.metadataVersion++;
  }

  load(): boolean {
    if (!this.dataDir) return false;
    const m = readJson<PersistedMetadata>(this.file('metadata'));
    const r = readJson<PersistedRecords>(this.file('records'));
    if (!m && !r) return false;
    this.reset();
    if (m) {
      for (const c of m.components) this.put(c);
      this.ids.value = Math.max(this.ids.value, m.idCounter);
      if (m.sourceTracking) this.sourceMembers.restore(m.sourceTracking);
    }
    if (r) {
      for (const [sobject, recs] of Object.entries(r.records)) {
        if (sobject === SOURCE_MEMBER) continue;
        const t = this.table(sobject);
        for (const rec of recs) t.set(rec.Id, rec);
      }
      this.ids.value = Math.max(this.ids.value, r.idCounter);
    }
    this.metadataVersion++;
    return true;
  }

  persistAll(): void {
    this.persistMetadata();
    this.persistRecords();
  }

  private persistMetadata(): void {
    if (!this.dataDir) return;
    const state: PersistedMetadata = { components: this.allComponents(), idCounter: this.ids.value, sourceTracking: this.sourceMembers.snapshot() };
    writeJsonAtomic(this.file('metadata'), state);
  }

  private persistRecords(): void {
    if (!this.dataDir) return;
    const records: Record<string, SRecord[]> = {};
    for (const [s, t] of this.records) if (s !== SOURCE_MEMBER) records[s] = [...t.values()];
    writeJsonAtomic(this.file('records'), { records, idCounter: this.ids.value });
  }

  private file(kind: string): string {
    return path.join(this.dataDir as string, this.identity.name, `${kind}.json`);
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

/** Key prefixes of the metadata ids Salesforce reports in FileProperties. */
export function idPrefixForType(type: string): string {
  const prefixes: Record<string, string> = {
    ApexClass: '01p',
    ApexTrigger: '01q',
    ApexPage: '066',
    ApexComponent: '099',
    CustomObject: '01I',
    CustomField: '00N',
    Layout: '00h',
    Flow: '301',
    PermissionSet: '0PS',
    Profile: '00e',
    StaticResource: '081',
    LightningComponentBundle: '0Rb',
    AuraDefinitionBundle: '0Ab',
    CustomTab: '01r',
    CustomApplication: '02u',
    EmailTemplate: '00X',
    Report: '00O',
    Dashboard: '01Z',
    FlexiPage: '0M0',
    ValidationRule: '03d',
    RecordType: '012',
    ListView: '00B',
    CustomLabel: '101',
  };
  return prefixes[type] ?? '0X0';
}
