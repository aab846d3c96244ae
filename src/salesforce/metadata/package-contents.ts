/**
 * What a package holds, read once for the deploy workflow: its components and its text files (for
 * the Problems panel's paths, the dependency scan, the overwrite check). A package is source-format
 * files or folders, or a metadata-format zip (read in memory).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MetadataResolver, RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { componentKey, type ComponentRef } from '../../core/metadata-types';
import { treeOfEntries } from '../compare/compare-unzip';
import { readZip, ZipFormatError } from '../compare/zip-codec';
import { SalesforceError } from '../errors';
import { componentsAt } from './local-components';
import { destructiveMembers } from './package-destructive';
import { filesOfZip, type PackageFile } from './package-retrieve';

export interface PackageFileText {
  ref: ComponentRef;
  /** Absolute path of a source file; for a zip, the path inside the zip. */
  path: string;
  text: string;
}

export interface PackageContents {
  components: ComponentRef[];
  /** Every file of the package (text files up to 2 MB; binary content is left out). */
  files: PackageFileText[];
  /** Components a zip's destructiveChanges*.xml deletes. */
  destructive?: ComponentRef[];
}

const MAX_TEXT = 2 * 1024 * 1024;
const MAX_UNPACKED = 600 * 1024 * 1024;

function textOf(file: string): string | undefined {
  const st = fs.statSync(file);
  if (st.size > MAX_TEXT) return undefined;
  const buf = fs.readFileSync(file);
  return buf.subarray(0, 8000).includes(0) ? undefined : buf.toString('utf8');
}

function fromPaths(paths: string[], display: (abs: string) => string): PackageContents {
  const components = componentsAt(paths);
  const files: PackageFileText[] = [];
  for (const c of components) {
    for (const f of c.files) {
      const text = textOf(f);
      if (text !== undefined) files.push({ ref: { type: c.type, fullName: c.fullName }, path: display(f), text });
    }
  }
  return { components: components.map((c) => ({ type: c.type, fullName: c.fullName })), files };
}

let registry: RegistryAccess | undefined;

/** A metadata-format zip's components and files, read in memory (no throw-away folder: 10,000 files written and removed cost seconds). */
function fromZip(entries: Map<string, Buffer>): PackageContents {
  registry ??= new RegistryAccess();
  const tree = treeOfEntries(entries);
  const resolver = new MetadataResolver(registry, tree, false);
  const components: ComponentRef[] = [];
  const files: PackageFileText[] = [];
  const seen = new Set<string>();
  for (const c of resolver.getComponentsFromPath('.')) {
    const ref = { type: c.type.name, fullName: c.fullName };
    const key = componentKey(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    components.push(ref);
    const paths = [...(c.xml ? [c.xml] : []), ...c.walkContent()];
    for (const p of paths) {
      const name = p.split(path.sep).join('/').replace(/^\.\//, '');
      const data = entries.get(name);
      if (!data || data.length > MAX_TEXT || data.subarray(0, 8000).includes(0)) continue;
      files.push({ ref, path: name, text: data.toString('utf8') });
    }
  }
  return { components, files };
}

/** The components and files of source paths, or of a metadata-format zip. */
export function readPackage(pkg: { sourcePaths?: string[]; zip?: Uint8Array }): PackageContents {
  if (!pkg.zip) return fromPaths(pkg.sourcePaths ?? [], (f) => f);
  return contentsOfEntries(unzipPackage(pkg.zip));
}

/**
 * A metadata-format zip's file list with digests and its contents, unzipped once (a deploy of a
 * record's package needs both: the digests to check the stored file, the contents for the run).
 */
export function openPackage(zip: Uint8Array): { files: PackageFile[]; contents: PackageContents } {
  const entries = unzipPackage(zip);
  return { files: filesOfZip(zip, () => entries), contents: contentsOfEntries(entries) };
}

function unzipPackage(zip: Uint8Array): Map<string, Buffer> {
  let entries: Map<string, Buffer>;
  try {
    entries = readZip(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength), MAX_UNPACKED);
  } catch (e) {
    if (e instanceof ZipFormatError) throw new SalesforceError('invalid-request', `The package is not a readable zip (${e.message}); retrieve the package again.`);
    throw e;
  }
  for (const name of entries.keys()) {
    const parts = name.split('/');
    if (name.startsWith('/') || parts.includes('..') || /^[A-Za-z]:/.test(name)) throw new SalesforceError('invalid-request', `The package zip names a file outside itself (${name}); it was not read.`);
  }
  for (const name of [...entries.keys()]) if (name.endsWith('/')) entries.delete(name);
  return entries;
}

function contentsOfEntries(entries: Map<string, Buffer>): PackageContents {
  const destructive = [...entries]
    .filter(([name]) => /(^|\/)destructiveChanges(Pre|Post)?\.xml$/.test(name))
    .flatMap(([, data]) => destructiveMembers(data.toString('utf8')));
  const contents = fromZip(entries);
  return destructive.length ? { ...contents, destructive } : contents;
}
