/**
 * The snapshot a deploy keeps of its target (for a revert), as one zip stored with the deployment
 * record: the target's versions of the package's components as the org retrieved them (metadata
 * format, with their package.xml), plus `changeline-snapshot.json` saying which components the
 * target had and which it did not (a revert deletes those). And the revert's own package built
 * from it: the chosen components' snapshot versions (package.xml lists only them; the Metadata
 * API deploys what package.xml lists) and a destructiveChanges.xml of the ones to delete.
 */
import * as path from 'node:path';
import type { ComponentRef } from '../../core/metadata-types';
import { appendToZip, readZip, writeZip, zipEntryNames, ZipFormatError } from '../compare/zip-codec';
import { SalesforceError } from '../errors';
import { retrieveManifest } from './retrieve-manifest';

export const SNAPSHOT_MANIFEST = 'changeline-snapshot.json';

export interface SnapshotManifest {
  version: 1;
  /** The environment the snapshot is of. */
  target: string;
  takenAt: string;
  /** Components the target had; their versions are in the zip. */
  existed: ComponentRef[];
  /** Components the target did not have before the deploy. */
  absent: ComponentRef[];
  /** Components the target listed but could not give (their earlier version is not in the snapshot), with why. */
  unreadable?: Array<ComponentRef & { problem: string }>;
}

const MAX_UNPACKED = 600 * 1024 * 1024;
const ref = (c: ComponentRef): ComponentRef => ({ type: c.type, fullName: c.fullName });

function entriesOf(zip: Uint8Array, what: string): Map<string, Buffer> {
  try {
    return readZip(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength), MAX_UNPACKED);
  } catch (e) {
    if (e instanceof ZipFormatError) throw new SalesforceError('invalid-request', `${what} is not a readable zip (${e.message}).`);
    throw e;
  }
}

/** The snapshot file: the retrieved zip (absent when the target had none of the components) with the manifest added. */
export function buildSnapshot(retrieved: Uint8Array | undefined, manifest: SnapshotManifest): Buffer {
  const m: SnapshotManifest = { ...manifest, existed: manifest.existed.map(ref), absent: manifest.absent.map(ref) };
  const added: [string, Buffer] = [SNAPSHOT_MANIFEST, Buffer.from(JSON.stringify(m), 'utf8')];
  if (retrieved) {
    // The manifest added at the end of the retrieved zip, without inflating and deflating its
    // thousands of files again; a zip that cannot be appended to is written anew.
    const buf = Buffer.from(retrieved.buffer, retrieved.byteOffset, retrieved.byteLength);
    let names: string[] | undefined;
    try {
      names = zipEntryNames(buf);
    } catch (e) {
      if (!(e instanceof ZipFormatError)) throw e;
    }
    if (names && !names.includes(SNAPSHOT_MANIFEST)) {
      try {
        return appendToZip(buf, [added]);
      } catch (e) {
        if (!(e instanceof ZipFormatError)) throw e;
      }
    }
    return writeZip([...[...entriesOf(retrieved, 'The retrieved snapshot')].filter(([n]) => n !== SNAPSHOT_MANIFEST), added]);
  }
  return writeZip([added]);
}

/** The manifest of a snapshot file; a file without one is a clear error. */
export function readSnapshotManifest(zip: Uint8Array): SnapshotManifest {
  const raw = entriesOf(zip, 'The snapshot').get(SNAPSHOT_MANIFEST);
  let m: Partial<SnapshotManifest> | undefined;
  try {
    m = raw ? (JSON.parse(raw.toString('utf8')) as Partial<SnapshotManifest>) : undefined;
  } catch {
    m = undefined;
  }
  if (!m || m.version !== 1 || !Array.isArray(m.existed) || !Array.isArray(m.absent)) {
    throw new SalesforceError('invalid-request', `The snapshot file has no readable ${SNAPSHOT_MANIFEST}; it was not written by this version of Changeline, so the deployment cannot be reverted with it.`);
  }
  return m as SnapshotManifest;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function manifestXml(refs: readonly ComponentRef[], version: string): string {
  const m = retrieveManifest(refs, version);
  const types = m.types.map((t) => `    <types>\n${t.members.map((x) => `        <members>${esc(x)}</members>\n`).join('')}        <name>${esc(t.name)}</name>\n    </types>\n`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types}    <version>${esc(m.version)}</version>\n</Package>\n`;
}

/**
 * The revert's package: the snapshot's files, a package.xml naming only `override` (restored to
 * their snapshot versions) and a destructiveChanges.xml naming `remove`.
 */
export function buildRevertPackage(snapshot: Uint8Array, override: readonly ComponentRef[], remove: readonly ComponentRef[]): Buffer {
  const entries = entriesOf(snapshot, 'The snapshot');
  const pkgXml = [...entries.keys()].find((n) => n === 'package.xml' || n.endsWith('/package.xml'));
  const dir = pkgXml ? path.posix.dirname(pkgXml) : 'unpackaged';
  const prefix = dir === '.' ? '' : `${dir}/`;
  const version = (pkgXml && /<version>\s*([\d.]+)\s*<\/version>/.exec(entries.get(pkgXml)!.toString('utf8'))?.[1]) || '62.0';
  const out: Array<[string, Buffer]> = [];
  for (const [name, data] of entries) {
    if (name === SNAPSHOT_MANIFEST || name === pkgXml || /(^|\/)destructiveChanges(Pre|Post)?\.xml$/.test(name)) continue;
    if (override.length > 0) out.push([name, data]);
  }
  out.push([`${prefix}package.xml`, Buffer.from(manifestXml(override, version), 'utf8')]);
  if (remove.length > 0) out.push([`${prefix}destructiveChanges.xml`, Buffer.from(manifestXml(remove, version), 'utf8')]);
  return writeZip(out);
}
