/**
 * An org's change log: Salesforce source tracking, through the Tooling API's SourceMember (one
 * row per component, with an org-wide RevisionCounter raised on every change, deletes included).
 * Scratch orgs and developer sandboxes with source tracking enabled have it; production orgs and
 * other sandboxes do not (the query fails with INVALID_TYPE), and then there is no change log.
 * This is what `sf project retrieve preview` reads; compare uses it to skip listing an org in
 * which nothing changed.
 */
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import type { OrgChanges } from '../../core/compare/types';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { toolingQuery } from '../records';
import type { ReadOptions } from '../transient';

interface MemberRow extends Record<string, unknown> {
  MemberType?: unknown;
  RevisionCounter?: unknown;
}

let registry: RegistryAccess | undefined;

/**
 * SourceMember types that name a file inside a bundle, not a metadata type SDR knows: a change to
 * `LightningComponentResource` `helloCard/helloCard.js` is a change to the LightningComponentBundle.
 */
const BUNDLE_FILE_MEMBER_TYPES: Readonly<Record<string, string>> = {
  LightningComponentResource: 'LightningComponentBundle',
  AuraDefinition: 'AuraDefinitionBundle',
};

/**
 * The listing types a change of this member type affects: the type itself (a bundle for one of
 * its files), and for foldered types their folder type and the other way round (a renamed folder
 * moves its content). Types SDR does not know are left out: compare cannot list them either.
 */
export function listingTypesOf(memberType: string): string[] {
  registry ??= new RegistryAccess();
  let type;
  try {
    type = registry.getTypeByName(BUNDLE_FILE_MEMBER_TYPES[memberType] ?? memberType);
  } catch {
    return [];
  }
  const out = [type.name];
  if (type.folderType) {
    try {
      out.push(registry.getTypeByName(type.folderType).name);
    } catch {
      // A folder type SDR does not know: the content is still listed again.
    }
  }
  if (type.folderContentType) {
    try {
      out.push(registry.getTypeByName(type.folderContentType).name);
    } catch {
      // As above.
    }
  }
  return out;
}

function isNoSourceTracking(e: unknown): boolean {
  if (!(e instanceof SalesforceError) || e.kind !== 'invalid-request') return false;
  const text = `${e.message}\n${e.detail ?? ''}`;
  return /INVALID_TYPE/.test(text) && /SourceMember/i.test(text);
}

function revisionOf(row: MemberRow): number {
  const n = Number(row.RevisionCounter);
  return Number.isFinite(n) ? n : 0;
}

/**
 * What changed after revision `since` (only the current revision when `since` is undefined), or
 * undefined when the org has no source tracking. Other failures are thrown.
 */
export async function sourceChangesSince(
  handle: OrgConnection,
  since: string | undefined,
  read: ReadOptions = {},
): Promise<OrgChanges | undefined> {
  const from = since === undefined ? undefined : Number(since);
  if (from !== undefined && !(Number.isInteger(from) && from >= 0)) throw new SalesforceError('invalid-request', `A source tracking revision is a whole number (got "${since}").`);
  try {
    if (from === undefined) {
      const rows = await toolingQuery<MemberRow>(handle, 'SELECT RevisionCounter FROM SourceMember ORDER BY RevisionCounter DESC LIMIT 1', { ...read });
      return { revision: String(rows.length ? revisionOf(rows[0]) : 0), types: [], count: 0 };
    }
    const rows = await toolingQuery<MemberRow>(
      handle,
      `SELECT MemberType, MemberName, IsNameObsolete, RevisionCounter FROM SourceMember WHERE RevisionCounter > ${from} ORDER BY RevisionCounter`,
      { ...read, batchSize: 2000 },
    );
    const types = new Set<string>();
    let revision = from;
    for (const row of rows) {
      revision = Math.max(revision, revisionOf(row));
      if (typeof row.MemberType === 'string') for (const t of listingTypesOf(row.MemberType)) types.add(t);
    }
    return { revision: String(revision), types: [...types].sort(), count: rows.length };
  } catch (e) {
    if (isNoSourceTracking(e)) return undefined;
    throw e;
  }
}
