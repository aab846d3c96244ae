/**
 * Deletions in a metadata-format package: `destructiveChanges.xml` (deleted after the package's
 * components are deployed) next to the package's `package.xml`. A package of deletions only is an
 * empty `package.xml` with the destructive manifest, as the Metadata API expects.
 */
import type { ComponentRef } from '../../core/metadata-types';
import { readZip, writeZip } from '../compare/zip-codec';
import { connectionOf, type OrgConnection } from '../connection';

const MAX_UNPACKED = 600 * 1024 * 1024;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A manifest listing `refs` by type (sorted), in the Metadata API's format. */
export function manifestXml(refs: readonly ComponentRef[], version: string): string {
  const byType = new Map<string, Set<string>>();
  for (const r of refs) {
    let members = byType.get(r.type);
    if (!members) byType.set(r.type, (members = new Set()));
    members.add(r.fullName);
  }
  const types = [...byType]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, members]) => `    <types>\n${[...members].sort().map((m) => `        <members>${escape(m)}</members>\n`).join('')}        <name>${escape(name)}</name>\n    </types>\n`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types}    <version>${escape(version)}</version>\n</Package>\n`;
}

/**
 * The package with `deletions` as `destructiveChanges.xml` beside its `package.xml` (in the same
 * folder, e.g. `unpackaged/`); without a package, one holding only the deletions.
 */
export function withDestructiveChanges(zip: Uint8Array | undefined, deletions: readonly ComponentRef[], version: string): Buffer {
  const entries = zip ? readZip(Buffer.from(zip), MAX_UNPACKED) : new Map<string, Buffer>();
  let root = 'unpackaged/';
  const manifest = [...entries.keys()].find((p) => /(^|\/)package\.xml$/.test(p));
  if (manifest) root = manifest.slice(0, manifest.length - 'package.xml'.length);
  else entries.set(`${root}package.xml`, Buffer.from(manifestXml([], version)));
  if (deletions.length > 0) entries.set(`${root}destructiveChanges.xml`, Buffer.from(manifestXml(deletions, version)));
  return writeZip([...entries].filter(([p]) => !p.endsWith('/')));
}

/** `withDestructiveChanges` at the org's API version. */
export function addDestructiveChanges(handle: OrgConnection, zip: Uint8Array | undefined, deletions: readonly ComponentRef[]): Buffer {
  return withDestructiveChanges(zip, deletions, connectionOf(handle).getApiVersion());
}

/** The members a destructive manifest (destructiveChanges*.xml) lists. */
export function destructiveMembers(xml: string): ComponentRef[] {
  const out: ComponentRef[] = [];
  for (const block of xml.match(/<types>[\s\S]*?<\/types>/g) ?? []) {
    const type = /<name>\s*([^<]+?)\s*<\/name>/.exec(block)?.[1];
    if (!type) continue;
    for (const m of block.matchAll(/<members>\s*([^<]+?)\s*<\/members>/g)) out.push({ type, fullName: m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') });
  }
  return out;
}
