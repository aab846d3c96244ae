import { createHash } from 'node:crypto';
import type { OrgStore, EmuUser, SRecord } from '../store';
import { sfDateTime } from './dates';
import { auditFields, field, makeObject, readOnly, ref, type ObjectDef, type PicklistValue } from './schema-types';
import { SoqlError, type Condition } from './soql-parser';
import { WriteError } from './validate';

/**
 * Salesforce Files: `ContentVersion` (the bytes of one version, `VersionData` given base64 on
 * insert and served by `GET sobjects/ContentVersion/{id}/VersionData`), `ContentDocument` (the
 * file, created with its first version) and `ContentDocumentLink` (who or what the file is shared
 * with). As in Salesforce: inserting a version without `ContentDocumentId` creates the document;
 * with `FirstPublishLocationId` the document is linked to that record (and, as always, to its
 * owner); a version with `ContentDocumentId` becomes the document's latest; deleting the document
 * deletes its versions and links; deleting a linked record deletes its links.
 */

/** References that may point at any record (polymorphic): `refExists` accepts any live record. */
export const ANY_RECORD = '*';

function picklist(values: string[], defaultValue?: string): PicklistValue[] {
  return values.map((v) => ({ value: v, label: v, active: true, defaultValue: v === defaultValue }));
}

const owner = () => ref('OwnerId', ['User'], 'Owner', { label: 'Owner ID', nillable: false });

function contentVersion(): ObjectDef {
  return makeObject({ name: 'ContentVersion', keyPrefix: '068', custom: false, api: 'data', createable: true, updateable: true, deletable: false, virtual: false }, [
    ...auditFields(),
    field('Title', 'string', { length: 255, nameField: true }),
    field('PathOnClient', 'string', { length: 500, updateable: false }),
    field('VersionData', 'base64', { updateable: false }),
    field('Description', 'textarea', { length: 1000 }),
    field('ReasonForChange', 'string', { length: 1000 }),
    ref('ContentDocumentId', ['ContentDocument'], 'ContentDocument', { label: 'ContentDocument ID', updateable: false, cascadeDelete: true }),
    ref('FirstPublishLocationId', [ANY_RECORD], 'FirstPublishLocation', { label: 'First Publish Location ID', updateable: false }),
    readOnly('VersionNumber', 'string', { length: 20 }),
    readOnly('IsLatest', 'boolean', { nillable: false }),
    readOnly('ContentSize', 'int', { precision: 9 }),
    readOnly('FileExtension', 'string', { length: 40 }),
    readOnly('FileType', 'string', { length: 20 }),
    readOnly('Checksum', 'string', { length: 50 }),
    owner(),
  ]);
}

function contentDocument(): ObjectDef {
  return makeObject({ name: 'ContentDocument', keyPrefix: '069', custom: false, api: 'data', createable: false, updateable: true, deletable: true, virtual: false }, [
    ...auditFields(),
    field('Title', 'string', { length: 255, nameField: true }),
    field('Description', 'textarea', { length: 1000 }),
    ref('LatestPublishedVersionId', ['ContentVersion'], 'LatestPublishedVersion', { createable: false, updateable: false }),
    readOnly('ContentSize', 'int', { precision: 9 }),
    readOnly('FileExtension', 'string', { length: 40 }),
    readOnly('FileType', 'string', { length: 20 }),
    owner(),
  ]);
}

function contentDocumentLink(): ObjectDef {
  return makeObject({ name: 'ContentDocumentLink', keyPrefix: '06A', custom: false, api: 'data', createable: true, updateable: true, deletable: true, virtual: false }, [
    ...auditFields(),
    ref('ContentDocumentId', ['ContentDocument'], 'ContentDocument', { label: 'ContentDocument ID', required: true, nillable: false, updateable: false, cascadeDelete: true }),
    ref('LinkedEntityId', [ANY_RECORD], 'LinkedEntity', { label: 'Linked Entity ID', required: true, nillable: false, updateable: false, cascadeDelete: true }),
    field('ShareType', 'picklist', { picklistValues: picklist(['V', 'C', 'I'], 'V'), restrictedPicklist: true, defaultValue: 'V' }),
    field('Visibility', 'picklist', { picklistValues: picklist(['AllUsers', 'InternalUsers', 'SharedUsers'], 'AllUsers'), restrictedPicklist: true, defaultValue: 'AllUsers' }),
  ]);
}

export function contentObjects(): ObjectDef[] {
  return [contentVersion(), contentDocument(), contentDocumentLink()];
}

/** What Salesforce checks on a new version beyond the fields: the bytes and their file name. */
export function checkNewVersion(values: Record<string, unknown>): void {
  const missing = ['PathOnClient', 'VersionData'].filter((f) => values[f] === undefined || values[f] === null);
  if (missing.length) throw new WriteError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  if (values.ContentDocumentId && values.FirstPublishLocationId) {
    throw new WriteError('FIELD_INTEGRITY_EXCEPTION', 'You cannot set FirstPublishLocationId on a new version of an existing document.', ['FirstPublishLocationId']);
  }
}

const extensionOf = (name: string): string => (/\.([A-Za-z0-9]+)$/.exec(name)?.[1] ?? '').toLowerCase();
const FILE_TYPES: Record<string, string> = { zip: 'ZIP', pdf: 'PDF', txt: 'TEXT', csv: 'CSV', xml: 'XML', json: 'JSON', png: 'PNG' };

function newId(store: OrgStore, prefix: string): string {
  return store.ids.next(prefix);
}

/**
 * Completes an inserted version as Salesforce does: size, checksum, type, version number; creates
 * its document (first version) or makes it the document's latest (later versions); links the
 * document to its owner and to `FirstPublishLocationId`.
 */
export function versionInserted(store: OrgStore, rec: SRecord, user: EmuUser, now: Date): void {
  const bytes = Buffer.from(String(rec.VersionData ?? ''), 'base64');
  const ext = extensionOf(String(rec.PathOnClient ?? ''));
  rec.ContentSize = bytes.length;
  rec.Checksum = createHash('md5').update(bytes).digest('hex');
  rec.FileExtension = ext || null;
  rec.FileType = FILE_TYPES[ext] ?? (ext ? ext.toUpperCase() : 'UNKNOWN');
  if (!rec.Title) rec.Title = String(rec.PathOnClient ?? '').replace(/\.[^.]*$/, '');
  const stamp = sfDateTime(now);
  const audit = () => ({ IsDeleted: false, CreatedDate: stamp, CreatedById: user.id, LastModifiedDate: stamp, LastModifiedById: user.id, SystemModstamp: stamp });
  const docs = store.table('ContentDocument');
  const versions = store.table('ContentVersion');
  let doc = typeof rec.ContentDocumentId === 'string' ? docs.get(rec.ContentDocumentId) : undefined;
  if (!doc) {
    doc = { ...audit(), Id: newId(store, '069'), Title: rec.Title, Description: rec.Description ?? null, OwnerId: rec.OwnerId ?? user.id };
    docs.set(doc.Id, doc);
    rec.ContentDocumentId = doc.Id;
    rec.VersionNumber = '1';
    const links = store.table('ContentDocumentLink');
    const link = (entity: string, shareType: string) => {
      const l: SRecord = { ...audit(), Id: newId(store, '06A'), ContentDocumentId: doc!.Id, LinkedEntityId: entity, ShareType: shareType, Visibility: 'AllUsers' };
      links.set(l.Id, l);
    };
    link(String(rec.OwnerId ?? user.id), 'I');
    if (typeof rec.FirstPublishLocationId === 'string' && rec.FirstPublishLocationId !== (rec.OwnerId ?? user.id)) link(rec.FirstPublishLocationId, 'V');
  } else {
    let n = 0;
    for (const v of versions.values()) {
      if (v.Id === rec.Id || v.ContentDocumentId !== doc.Id || v.IsDeleted === true) continue;
      n = Math.max(n, Number(v.VersionNumber) || 0);
      v.IsLatest = false;
    }
    rec.VersionNumber = String(n + 1);
  }
  rec.IsLatest = true;
  Object.assign(doc, {
    LatestPublishedVersionId: rec.Id,
    Title: rec.Title,
    ContentSize: rec.ContentSize,
    FileExtension: rec.FileExtension,
    FileType: rec.FileType,
    LastModifiedDate: stamp,
    LastModifiedById: user.id,
    SystemModstamp: stamp,
  });
}

/**
 * Salesforce's restriction on querying links: "Implementation restriction: ContentDocumentLink
 * requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator
 * or multiple Id's using the IN operator" (the Query All Files permission, not emulated, lifts it).
 */
export function checkLinkQuery(where: Condition | undefined): void {
  const parts = !where ? [] : where.kind === 'and' ? where.parts : [where];
  const idField = (path: string[]) => ['id', 'contentdocumentid', 'linkedentityid'].includes(path.join('.').toLowerCase());
  const byId = parts.some((c) => (c.kind === 'compare' && c.op === '=' && idField(c.path)) || (c.kind === 'in' && !c.negate && idField(c.path)));
  if (!byId) {
    throw new SoqlError(
      'MALFORMED_QUERY',
      "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.",
    );
  }
}

/**
 * Which files a user sees: as in Salesforce (View All Data included), the files they own, those
 * shared with them, and those linked to a record (access to the record gives access to the file;
 * record sharing is not emulated, so every live record counts).
 */
export function visibleDocuments(store: OrgStore, user: EmuUser, isLiveRecord: (id: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const d of store.table('ContentDocument').values()) if (d.IsDeleted !== true && d.OwnerId === user.id) out.add(d.Id);
  for (const l of store.table('ContentDocumentLink').values()) {
    if (l.IsDeleted === true || out.has(String(l.ContentDocumentId))) continue;
    const entity = String(l.LinkedEntityId);
    if (entity === user.id || (!entity.startsWith('005') && isLiveRecord(entity))) out.add(String(l.ContentDocumentId));
  }
  return out;
}

export const FILE_OBJECTS = new Set(['ContentVersion', 'ContentDocument', 'ContentDocumentLink']);

/** The document a file row belongs to. */
export const documentOf = (objName: string, rec: SRecord): string => String(objName === 'ContentDocument' ? rec.Id : rec.ContentDocumentId);
