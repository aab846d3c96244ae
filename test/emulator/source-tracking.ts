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
