/**
 * A deployment's package kept with its record in the org, as Salesforce Files do it: the zip is
 * inserted as a `ContentVersion` whose `FirstPublishLocationId` is the record, so the org creates
 * the `ContentDocument` and links it to the record (`ContentDocumentLink`). Anyone who can read
 * the record reads the same bytes back, from any machine; a new retrieve adds a version.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { connectionOf, type OrgConnection } from '../connection';
import { SalesforceError, toSalesforceError } from '../errors';
import { checkRecordId, query } from '../records';

export interface StoredPackage {
  /** The file (ContentDocument) id: what the record keeps. */
  contentDocumentId: string;
  /** The version just stored. */
  contentVersionId: string;
  size: number;
}

/**
 * The largest file a REST insert of a ContentVersion takes, sent as multipart/form-data (a JSON
 * body would stop at 37.5 MB of data); a deploy's zip stays far below it (about 39 MB).
 */
export const MAX_PACKAGE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/**
 * Stores `zip` as a file linked to the record `recordId` (a new version of `contentDocumentId`
 * when given, else a new file); resolves with the file's ids.
 */
/**
 * Package and snapshot files this process stored, by file version: reading one back (a deploy right
 * after its retrieve) is answered from memory when the org's checksum (MD5) of that version is
 * the checksum of the bytes held. The last two are kept.
 */
const held = new Map<string, { md5: string; bytes: Uint8Array }>();
function hold(versionId: string, bytes: Uint8Array): void {
  held.delete(versionId);
  held.set(versionId, { md5: createHash('md5').update(bytes).digest('hex'), bytes });
  while (held.size > 2) held.delete(held.keys().next().value!);
}

export async function storePackage(handle: OrgConnection, recordId: string, zip: Uint8Array, name: string, contentDocumentId?: string): Promise<StoredPackage> {
  if (zip.byteLength === 0) throw new SalesforceError('invalid-request', 'The package is empty: retrieve its components again.');
  if (zip.byteLength > MAX_PACKAGE_BYTES) {
    throw new SalesforceError(
      'invalid-request',
      `The package is ${(zip.byteLength / 1024 / 1024).toFixed(1)} MB, more than the 2 GB a Salesforce file may have; split the deployment into smaller ones.`,
      undefined,
      handle.label,
    );
  }
  const stored = await storeFile(handle, recordId, zip, /\.zip$/i.test(name) ? name : `${name}.zip`, { contentType: 'application/zip', contentDocumentId, what: 'the package' });
  hold(stored.contentVersionId, zip);
  return stored;
}

/**
 * Stores `bytes` as a file named `fileName` linked to the record `recordId` (a new version of
 * `opts.contentDocumentId` when given, else a new file); resolves with the file's ids.
 */
export async function storeFile(
  handle: OrgConnection,
  recordId: string,
  bytes: Uint8Array,
  fileName: string,
  opts: { contentType: string; contentDocumentId?: string; what: string },
): Promise<StoredPackage> {
  checkRecordId(recordId, 'a record id');
  const contentDocumentId = opts.contentDocumentId;
  if (contentDocumentId) checkRecordId(contentDocumentId, 'a file (ContentDocument) id');
  const fields: Record<string, unknown> = {
    Title: fileName.replace(/\.[a-z]+$/i, ''),
    PathOnClient: fileName,
    VersionData: Buffer.from(bytes).toString('base64'),
    ...(contentDocumentId ? { ContentDocumentId: contentDocumentId, ReasonForChange: 'Retrieved again' } : { FirstPublishLocationId: recordId }),
  };
  let versionId: string;
  try {
    // Multipart: the bytes travel as they are, not as base64 in JSON (which Salesforce caps at 37.5 MB).
    const res = await connectionOf(handle)
      .sobject('ContentVersion')
      .create(fields, { multipartFileFields: { VersionData: { filename: fileName, contentType: opts.contentType } } });
    if (!res.success || !res.id) throw new SalesforceError('invalid-request', `Storing ${opts.what} failed: ${JSON.stringify(res.errors)}`, undefined, handle.label);
    versionId = res.id;
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Storing ${opts.what} in "${handle.label}"` });
  }
  const [row] = await query<{ ContentDocumentId: string; ContentSize: number }>(handle, `SELECT ContentDocumentId, ContentSize FROM ContentVersion WHERE Id = '${versionId}'`);
  if (!row?.ContentDocumentId) {
    throw new SalesforceError('server-error', `"${handle.label}" stored ${opts.what} (file version ${versionId}) but gave no file id for it.`, undefined, handle.label);
  }
  return { contentDocumentId: row.ContentDocumentId, contentVersionId: versionId, size: Number(row.ContentSize) || bytes.byteLength };
}

/** The ids of the files linked to a record, newest first. */
export async function filesOf(handle: OrgConnection, recordId: string): Promise<string[]> {
  checkRecordId(recordId, 'a record id');
  const rows = await query<{ ContentDocumentId: string }>(handle, `SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${recordId}' ORDER BY SystemModstamp DESC`);
  return rows.map((r) => r.ContentDocumentId);
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * The bytes of the file's latest version, checked against the checksum (MD5) the org keeps, so a
 * truncated or altered download is an error rather than a package that deploys something else.
 */
export async function readPackage(handle: OrgConnection, contentDocumentId: string): Promise<Uint8Array> {
  checkRecordId(contentDocumentId, 'a file (ContentDocument) id');
  const [row] = await query<VersionRow>(handle, `SELECT Id, Checksum, ContentSize FROM ContentVersion WHERE ContentDocumentId = '${contentDocumentId}' AND IsLatest = true`);
  if (!row) {
    throw new SalesforceError('not-found', `The package file ${contentDocumentId} is not in "${handle.label}" (deleted, or not shared with you); retrieve the package again.`, undefined, handle.label);
  }
  return download(handle, row, 'the package');
}

/** The bytes of one version of a file (by its ContentVersion id), checked as `readPackage` does. */
export async function readFileVersion(handle: OrgConnection, contentVersionId: string, what: string): Promise<Uint8Array> {
  checkRecordId(contentVersionId, 'a file version (ContentVersion) id');
  const [row] = await query<VersionRow>(handle, `SELECT Id, Checksum, ContentSize FROM ContentVersion WHERE Id = '${contentVersionId}'`);
  if (!row) throw new SalesforceError('not-found', `The file holding ${what} (${contentVersionId}) is not in "${handle.label}" (deleted, or not shared with you).`, undefined, handle.label);
  return download(handle, row, what);
}

type VersionRow = {
  Id: string;
  Checksum: string | null;
  ContentSize: number;
};

async function download(handle: OrgConnection, row: VersionRow, what: string): Promise<Uint8Array> {
  const mine = held.get(row.Id);
  if (mine && row.Checksum && row.Checksum.toLowerCase() === mine.md5 && mine.bytes.byteLength === Number(row.ContentSize)) return mine.bytes;
  let bytes: Buffer;
  try {
    bytes = await collect(connectionOf(handle).sobject('ContentVersion').record(row.Id).blob('VersionData') as unknown as Readable);
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Downloading ${what} from "${handle.label}"` });
  }
  const md5 = createHash('md5').update(bytes).digest('hex');
  if (bytes.length !== Number(row.ContentSize) || (row.Checksum && row.Checksum.toLowerCase() !== md5)) {
    throw new SalesforceError(
      'server-error',
      `The ${what.replace(/^the /, '')} downloaded from "${handle.label}" is not the stored file (${bytes.length} of ${row.ContentSize} bytes, checksum ${row.Checksum === md5 ? 'matching' : 'different'}); try again.`,
      undefined,
      handle.label,
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
