/** package.xml (and destructiveChanges*.xml) manifests: parse, match, and write. */
import { XMLParser } from 'fast-xml-parser';
import { xmlEscape } from '../http';
import { MD_NS, checkXml, type XmlProblem } from './xml';

export interface Manifest {
  /** type → member names (may include `*`). */
  types: Map<string, string[]>;
  version?: string;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (n) => n === 'types' || n === 'members' });

/** Parses a manifest; a problem (with position) when it is not well-formed or not a `<Package>`. */
export function parseManifest(text: string): { manifest?: Manifest; problem?: XmlProblem } {
  const problem = checkXml(text);
  if (problem) return { problem };
  const doc = parser.parse(text) as Record<string, any>;
  const pkg = doc.Package;
  if (pkg === undefined || typeof pkg !== 'object' && pkg !== '') {
    return { problem: { line: 1, column: 1, problem: 'Error parsing file: the root element must be Package' } };
  }
  return { manifest: manifestFromTypes(pkg?.types ?? [], typeof pkg?.version === 'string' ? pkg.version : undefined) };
}

/** From the parsed `<types>` of a SOAP request or a package.xml. */
export function manifestFromTypes(types: unknown, version?: string): Manifest {
  const out = new Map<string, string[]>();
  const list = Array.isArray(types) ? types : types ? [types] : [];
  for (const t of list) {
    if (!t || typeof t !== 'object') continue;
    const name = (t as Record<string, unknown>).name;
    if (typeof name !== 'string' || !name.trim()) continue;
    const raw = (t as Record<string, unknown>).members;
    const members = (Array.isArray(raw) ? raw : raw !== undefined ? [raw] : []).filter((m): m is string => typeof m === 'string' && m.trim() !== '');
    out.set(name.trim(), [...(out.get(name.trim()) ?? []), ...members.map((m) => m.trim())]);
  }
  return { types: out, version };
}

const memberSets = new WeakMap<string[], Set<string>>();

/** Whether the manifest names this component (explicitly or by `*`); O(1) per call. */
export function manifestHas(m: Manifest, type: string, fullName: string): boolean {
  const members = m.types.get(type);
  if (!members) return false;
  let set = memberSets.get(members);
  if (!set) memberSets.set(members, (set = new Set(members)));
  return set.has('*') || set.has(fullName);
}

/** Writes a package.xml listing `members` by type (sorted like Salesforce). */
export function writeManifest(members: Array<{ type: string; fullName: string }>, version: string): string {
  const byType = new Map<string, Set<string>>();
  for (const { type, fullName } of members) {
    if (!byType.has(type)) byType.set(type, new Set());
    byType.get(type)!.add(fullName);
  }
  const types = [...byType.keys()].sort();
  const body = types
    .map((t) => {
      const ms = [...byType.get(t)!].sort().map((m) => `        <members>${xmlEscape(m)}</members>\n`).join('');
      return `    <types>\n${ms}        <name>${xmlEscape(t)}</name>\n    </types>\n`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="${MD_NS}">\n${body}    <version>${xmlEscape(version)}</version>\n</Package>\n`;
}
