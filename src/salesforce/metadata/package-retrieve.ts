/**
 * Building a deployment's package: the components retrieved from the source org into the zip the
 * Metadata API returns (metadata format, with its package.xml), as it is deployed later, and the
 * list of the files it holds with their digests.
 */
import { createHash } from 'node:crypto';
import type { ComponentRef } from '../../core/metadata-types';
import { retrieveZip } from '../compare/compare-retrieve';
import { readZip, ZipFormatError } from '../compare/zip-codec';
import { connectionOf, type OrgConnection } from '../connection';
import { SalesforceError } from '../errors';

export interface PackageRetrieveOptions {
  signal?: AbortSignal;
  /** Longest interval between status checks (default 2 s). */
  pollMs?: number;
  timeoutMs?: number;
}

export interface RetrievedZip {
  zip: Buffer;
  /** What the org said it could not retrieve (e.g. "Entity of type 'ApexClass' named 'Gone' cannot be found"). */
  problems: string[];
}

/** Retrieves `components` from the org as one zip (metadata format), with the org's problems. */
export async function retrievePackageZip(handle: OrgConnection, components: readonly ComponentRef[], opts: PackageRetrieveOptions = {}): Promise<RetrievedZip> {
  if (components.length === 0) throw new SalesforceError('invalid-request', 'Nothing to retrieve: the deployment has no components.');
  let problems: string[] = [];
  const zip = await retrieveZip(connectionOf(handle), components, {
    label: handle.label,
    pollMs: opts.pollMs ?? 2000,
    timeoutMs: opts.timeoutMs ?? 30 * 60_000,
    signal: opts.signal ?? new AbortController().signal,
    onProblems: (p) => (problems = p),
  });
  return { zip, problems };
}

export interface PackageFile {
  /** Path inside the zip, e.g. `unpackaged/classes/Greeter.cls`. */
  path: string;
  size: number;
  /** sha256 of the content, hex. */
  digest: string;
}

/** Unpacked size past which a package is refused (Salesforce's limit for a deploy is about 600 MB). */
const MAX_UNPACKED = 600 * 1024 * 1024;

/** The files of a package zip, by path; a corrupt zip is a clear error. */
export function packageFiles(zip: Uint8Array): PackageFile[] {
  return filesOfZip(zip, () => {
    try {
      return readZip(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength), MAX_UNPACKED);
    } catch (e) {
      if (e instanceof ZipFormatError) throw new SalesforceError('invalid-request', `The package is not a readable zip (${e.message}); retrieve it again.`);
      throw e;
    }
  });
}

/** The file list of a package's unzipped entries (for callers that unzip it once for more). */
export function filesOfEntries(entries: ReadonlyMap<string, Buffer>): PackageFile[] {
  return [...entries]
    .map(([path, data]) => ({ path, size: data.length, digest: createHash('sha256').update(data).digest('hex') }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * File lists computed in this process, by the SHA-256 of the zip they are of: the package read
 * back for a deploy right after its retrieve is not hashed file by file again. The last two kept.
 */
const listed = new Map<string, PackageFile[]>();

/** The zip's file list, from memory when this process listed the same bytes, else from `entries()`. */
export function filesOfZip(zip: Uint8Array, entries: () => ReadonlyMap<string, Buffer>): PackageFile[] {
  const key = createHash('sha256').update(zip).digest('hex');
  const known = listed.get(key);
  if (known) return known.map((f) => ({ ...f }));
  const files = filesOfEntries(entries());
  listed.set(key, files.map((f) => ({ ...f })));
  while (listed.size > 2) listed.delete(listed.keys().next().value!);
  return files;
}
