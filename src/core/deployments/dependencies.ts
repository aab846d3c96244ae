/**
 * Check Dependencies: what the package's components reference, from a static scan of its files
 * and from the org's MetadataComponentDependency rows, and which of those references are
 * neither in the package nor in the target. Standard objects and fields are in every org and
 * never reported.
 */
import type { ComponentRef } from '../metadata-types';
import { apexRefs } from './dependency-scan/apex';
import { flowRefs } from './dependency-scan/flow';
import { lwcRefs } from './dependency-scan/lwc';
import { metadataXmlRefs } from './dependency-scan/metadata-xml';
import { customObject } from './dependency-scan/names';
import type { Found, PackageFile, Reference, ReferenceSource } from './dependency-scan/types';

export type { PackageFile, Reference, ReferenceSource };

export interface ScanOptions {
  /**
   * Apex class names the source org has (the package's own are added): an identifier in Apex
   * that matches one is a reference to that class. Without it, only the package's classes count.
   */
  apexClasses?: Iterable<string>;
}

const key = (c: ComponentRef): string => `${c.type}:${c.fullName}`.toLowerCase();

function scanFile(f: PackageFile, classes: ReadonlyMap<string, string>): Found[] {
  const p = f.path.toLowerCase();
  if (p.endsWith('-meta.xml') && (f.ref.type === 'ApexClass' || f.ref.type === 'ApexTrigger' || f.ref.type === 'LightningComponentBundle')) return [];
  switch (f.ref.type) {
    case 'ApexClass':
    case 'ApexTrigger':
      return apexRefs(f.ref, f.text, classes);
    case 'LightningComponentBundle':
      return /\.(js|ts)$/.test(p) && !p.includes('/__tests__/') ? lwcRefs(f.ref.fullName, f.text) : [];
    case 'Flow':
      return flowRefs(f.text);
    default:
      return p.endsWith('.xml') ? metadataXmlRefs(f.ref, f.text) : [];
  }
}

/**
 * The references of each package component found in its files, one per component and target
 * (at its first place), never to the component itself.
 */
export function scanPackage(files: readonly PackageFile[], options: ScanOptions = {}): Reference[] {
  const classes = new Map<string, string>();
  for (const name of options.apexClasses ?? []) classes.set(name.toLowerCase(), name);
  for (const f of files) if (f.ref.type === 'ApexClass') classes.set(f.ref.fullName.toLowerCase(), f.ref.fullName);
  const out = new Map<string, Reference>();
  for (const f of files) {
    for (const found of scanFile(f, classes)) {
      if (key(found.to) === key(f.ref)) continue;
      const k = `${key(f.ref)}>${key(found.to)}`;
      const prev = out.get(k);
      // Keep the first place: the first file that has it, its lowest line.
      if (prev && !(prev.path === f.path && found.line < (prev.line ?? 0))) continue;
      out.set(k, { from: f.ref, to: found.to, path: f.path, line: found.line, why: found.why, sources: ['static scan'] });
    }
  }
  return [...out.values()];
}

/** One Tooling `MetadataComponentDependency` row, with full names (e.g. `Invoice__c.Total__c` for a field). */
export interface ComponentDependencyRow {
  metadataComponentType: string;
  metadataComponentName: string;
  refMetadataComponentType: string;
  refMetadataComponentName: string;
}

/**
 * The scan's references and the org's dependency rows as one list: a reference both report is
 * listed once, saying both sources; rows about standard objects are left out. The adapter gives
 * custom fields and objects their full API names (the org reports a field's name without its
 * object).
 */
export function mergeReferences(scanned: readonly Reference[], rows: readonly ComponentDependencyRow[]): Reference[] {
  const out = new Map<string, Reference>();
  for (const r of scanned) out.set(`${key(r.from)}>${key(r.to)}`, { ...r, sources: [...r.sources] });
  for (const row of rows) {
    if (row.refMetadataComponentType === 'StandardEntity') continue;
    const from = { type: row.metadataComponentType, fullName: row.metadataComponentName };
    const to = { type: row.refMetadataComponentType, fullName: row.refMetadataComponentName };
    if (key(from) === key(to)) continue;
    const k = `${key(from)}>${key(to)}`;
    const prev = out.get(k);
    if (prev) {
      if (!prev.sources.includes('org dependencies')) prev.sources.push('org dependencies');
    } else {
      out.set(k, { from, to, why: `depends on ${to.type} ${to.fullName} (the org says)`, sources: ['org dependencies'] });
    }
  }
  return [...out.values()];
}

/** A component neither in the package nor in the target, with every package component that needs it. */
export interface MissingDependency {
  ref: ComponentRef;
  neededBy: Reference[];
}

/**
 * The references the target cannot satisfy: not in the package (a field counts as in it when its
 * object is) and not in the target according to `targetHas`. Sorted by type and name.
 */
export function missingDependencies(
  refs: readonly Reference[],
  packageComponents: readonly ComponentRef[],
  targetHas: (ref: ComponentRef) => boolean,
): MissingDependency[] {
  const inPackage = new Set(packageComponents.map(key));
  const packaged = (r: ComponentRef): boolean => {
    if (inPackage.has(key(r))) return true;
    if (r.type !== 'CustomField') return false;
    const object = r.fullName.slice(0, r.fullName.indexOf('.'));
    return !!customObject(object) && inPackage.has(key({ type: 'CustomObject', fullName: object }));
  };
  const missing = new Map<string, MissingDependency>();
  const known = new Map<string, boolean>();
  for (const r of refs) {
    const k = key(r.to);
    if (packaged(r.to)) continue;
    let has = known.get(k);
    if (has === undefined) known.set(k, (has = targetHas(r.to)));
    if (has) continue;
    const entry = missing.get(k) ?? { ref: r.to, neededBy: [] };
    entry.neededBy.push(r);
    missing.set(k, entry);
  }
  return [...missing.values()].sort((a, b) => a.ref.type.localeCompare(b.ref.type) || a.ref.fullName.localeCompare(b.ref.fullName));
}

/** "ApexClass InvoiceService (classes/InvoiceService.cls, line 12) queries Invoice__c.Total__c": one line per need. */
export function describeNeed(r: Reference): string {
  const where = r.path ? ` (${r.path}${r.line ? `, line ${r.line}` : ''})` : '';
  return `${r.from.type} ${r.from.fullName}${where} ${r.why}`;
}
