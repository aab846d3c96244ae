/**
 * Reading a deploy zip: its files, its manifests, and which component each file belongs to
 * (through SDR's registry, see registry.ts). Writing a retrieve zip.
 */
import { memberForPath } from './registry';
import { parseManifest, type Manifest } from './package-xml';
import type { XmlProblem } from './xml';
import { readZip, writeZip, ZipFormatError } from '../../../src/salesforce/compare/zip-codec';

export interface ZipComponent {
  type: string;
  fullName: string;
  /** zip path → base64 content */
  files: Record<string, string>;
}

export interface ManifestFile {
  manifest?: Manifest;
  problem?: XmlProblem;
}

export interface DeployPackage {
  /** All files, path → content (paths without the package folder prefix). */
  files: Map<string, Buffer>;
  packageXml?: ManifestFile;
  destructivePre?: ManifestFile;
  destructivePost?: ManifestFile;
  components: ZipComponent[];
  /** Files no registry type claims. */
  unclaimed: string[];
}

export class BadZipError extends Error {}

const MANIFESTS = new Set(['package.xml', 'destructiveChanges.xml', 'destructiveChangesPre.xml', 'destructiveChangesPost.xml']);
/** Refuse zips that would unpack past this (a zip bomb must not take the emulator down). */
const MAX_UNPACKED = 600 * 1024 * 1024;
const BASE64_RE = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

/** Decodes base64 strictly (Buffer.from silently skips garbage). */
export function decodeBase64(text: string): Buffer {
  const t = text.trim();
  if (!t || !BASE64_RE.test(t)) throw new BadZipError('The ZipFile is not valid base64');
  return Buffer.from(t, 'base64');
}

export async function readDeployZip(zipBase64: string): Promise<DeployPackage> {
  const buf = decodeBase64(zipBase64);
  let raw: Map<string, Buffer>;
  try {
    raw = new Map([...readZip(buf, MAX_UNPACKED)].map(([p, b]) => [p.replace(/\\/g, '/').replace(/^\.\//, ''), b]));
  } catch (e) {
    if (e instanceof ZipFormatError) throw new BadZipError(`The zip file could not be read: ${e.message}`);
    throw e;
  }
  // Multi-package zips (singlePackage false) hold everything under one folder: strip it.
  const files = new Map<string, Buffer>();
  const prefix = !raw.has('package.xml') ? commonPackageFolder([...raw.keys()]) : '';
  for (const [p, b] of raw) files.set(prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p, b);

  const pkg: DeployPackage = { files, components: [], unclaimed: [] };
  const readManifest = (name: string): ManifestFile | undefined => {
    const b = files.get(name);
    return b ? parseManifest(b.toString('utf8')) : undefined;
  };
  pkg.packageXml = readManifest('package.xml');
  pkg.destructivePre = readManifest('destructiveChangesPre.xml');
  pkg.destructivePost = mergeManifests(readManifest('destructiveChanges.xml'), readManifest('destructiveChangesPost.xml'));

  const byKey = new Map<string, ZipComponent>();
  for (const [p, b] of files) {
    if (MANIFESTS.has(p)) continue;
    const member = memberForPath(p);
    if (!member) {
      pkg.unclaimed.push(p);
      continue;
    }
    const k = `${member.type}\u0000${member.fullName}`;
    let comp = byKey.get(k);
    if (!comp) byKey.set(k, (comp = { ...member, files: {} }));
    comp.files[p] = b.toString('base64');
  }
  pkg.components = [...byKey.values()];
  return pkg;
}

function commonPackageFolder(paths: string[]): string {
  const withManifest = paths.filter((p) => /^[^/]+\/package\.xml$/.test(p));
  return withManifest.length === 1 ? withManifest[0].slice(0, -'package.xml'.length) : '';
}

function mergeManifests(a?: ManifestFile, b?: ManifestFile): ManifestFile | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.problem || b.problem) return { problem: a.problem ?? b.problem };
  const types = new Map(a.manifest!.types);
  for (const [t, ms] of b.manifest!.types) types.set(t, [...(types.get(t) ?? []), ...ms]);
  return { manifest: { types } };
}

/** A retrieve zip: every entry under `unpackaged/`. Returns base64. */
export function writeRetrieveZip(files: Record<string, Buffer | string>): string {
  return writeZip(Object.entries(files).map(([p, c]) => [`unpackaged/${p}`, Buffer.isBuffer(c) ? c : Buffer.from(c, 'utf8')])).toString('base64');
}
