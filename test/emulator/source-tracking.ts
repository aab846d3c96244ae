/**
 * Salesforce source tracking, as scratch orgs and developer sandboxes keep it: one Tooling
 * `SourceMember` row per metadata component (MemberType, MemberName), updated in place on each
 * later change, and an org-wide `RevisionCounter` bumped for every change. `sf`'s
 * @salesforce/source-tracking asks `WHERE RevisionCounter > N` to learn what changed since N.
 *
 * Production orgs have no SourceMember (a Tooling query fails with INVALID_TYPE); the schema
 * only offers the object when `OrgIdentity.sourceTracking` is true.
 */
import { sfDateTime } from './rest/dates';
import type { SRecord } from './store';

export const SOURCE_MEMBER = 'SourceMember';
export const SOURCE_MEMBER_PREFIX = '0MZ';

/** One component change as commitMetadata saw it. */
export interface MemberChange {
  type: string;
  fullName: string;
  /** The component's id (of the deleted component for a delete). */
  id: string;
  deleted: boolean;
  /** The component did not exist before this change. */
  isNew: boolean;
}

/** What is persisted with the org's metadata (same atomic write as the components themselves). */
export interface PersistedSourceTracking {
  revision: number;
  members: SRecord[];
}

/** Bundle types whose files have SourceMember rows of their own, and those rows' MemberType. */
const BUNDLE_FILE_MEMBER_TYPES: Readonly<Record<string, string>> = {
  LightningComponentBundle: 'LightningComponentResource',
  AuraDefinitionBundle: 'AuraDefinition',
};
/** Aura's component/app/event/interface/tokens metadata files have no row (the bundle's stands for them). */
const AURA_METADATA_FILE = /\.(cmp|app|evt|intf|tokens)-meta\.xml$/;

/**
 * The per-file rows a change of an LWC or Aura bundle adds, as an org keeps them (and as `sf`'s
 * source tracking waits for after a deploy): `LightningComponentResource` / `AuraDefinition`
 * named `bundle/file` (`helloCard/helloCard.js`, subfolders kept) for each file the bundle now
 * holds, and deleted rows for the files it no longer holds. `files` and `before` are zip paths
 * (`lwc/helloCard/helloCard.js`). Other types have none.
 */
export function bundleFileChanges(type: string, id: string, files: readonly string[], before: readonly string[], isNew: boolean): MemberChange[] {
  const memberType = BUNDLE_FILE_MEMBER_TYPES[type];
  if (!memberType) return [];
  const name = (zipPath: string) => zipPath.split('/').slice(1).join('/');
  const tracked = (zipPath: string) => zipPath.split('/').length > 2 && !(memberType === 'AuraDefinition' && AURA_METADATA_FILE.test(zipPath));
  const now = new Set(files.filter(tracked).map(name));
  const out: MemberChange[] = [...now].sort().map((fullName) => ({ type: memberType, fullName, id, deleted: false, isNew: isNew || !before.some((b) => name(b) === fullName) }));
  for (const b of new Set(before.filter(tracked).map(name))) if (!now.has(b)) out.push({ type: memberType, fullName: b, id, deleted: true, isNew: false });
  return out;
}

const memberKey = (type: string, name: string) => `${type}\u0000${name}`;

/**
 * The SourceMember rows of one org. Rows live in the store's `SourceMember` table (so SOQL reads
 * them like any record); an index by (type, name) keeps each change O(1).
 */
export class SourceMembers {
  /** The org's revision: the highest RevisionCounter handed out (0 = nothing changed yet). */
  revision = 0;
  private byMember = new Map<string, SRecord>();

  constructor(
    private readonly table: () => Map<string, SRecord>,
    private readonly newId: (prefix: string) => string,
  ) {}

  record(changes: MemberChange[], userId: string, now: Date): void {
    const stamp = sfDateTime(now);
    const table = this.table();
    for (const c of changes) {
      const k = memberKey(c.type, c.fullName);
      let row = this.byMember.get(k);
      if (!row) {
        row = { Id: this.newId(SOURCE_MEMBER_PREFIX), IsDeleted: false, MemberType: c.type, MemberName: c.fullName, CreatedDate: stamp, CreatedById: userId };
        this.byMember.set(k, row);
        table.set(row.Id, row);
      }
      row.MemberIdOrName = c.id;
      row.IsNameObsolete = c.deleted;
      row.IsNewMember = c.isNew;
      row.RevisionCounter = ++this.revision;
      row.ChangedBy = userId;
      row.LastModifiedDate = stamp;
      row.LastModifiedById = userId;
      row.SystemModstamp = stamp;
    }
  }

  snapshot(): PersistedSourceTracking {
    return { revision: this.revision, members: [...this.byMember.values()] };
  }

  /** Restores persisted rows into the (already emptied) table. */
  restore(state: PersistedSourceTracking): void {
    this.clear();
    const table = this.table();
    for (const row of state.members) {
      this.byMember.set(memberKey(String(row.MemberType), String(row.MemberName)), row);
      table.set(row.Id, row);
      this.revision = Math.max(this.revision, Number(row.RevisionCounter) || 0);
    }
    this.revision = Math.max(this.revision, state.revision);
  }

  /** Forgets the index and the counter (the caller empties the records tables). */
  clear(): void {
    this.byMember.clear();
    this.revision = 0;
  }
}
