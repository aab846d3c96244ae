/**
 * The manifests of a git delta: package.xml (what is added or changed) and destructiveChanges.xml
 * (what is deleted, applied after the additions), grouped by type, types and members in
 * alphabetical order, as sfdx-git-delta writes them.
 */
import type { ComponentRef } from '../metadata-types';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Members by type, both sorted (by code unit, the order git and sgd use), duplicates once. */
export function membersByType(components: readonly ComponentRef[]): Array<{ type: string; members: string[] }> {
  const byType = new Map<string, Set<string>>();
  for (const c of components) {
    let set = byType.get(c.type);
    if (!set) byType.set(c.type, (set = new Set()));
    set.add(c.fullName);
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...byType.keys()].sort(cmp).map((type) => ({ type, members: [...byType.get(type)!].sort(cmp) }));
}

/** A package.xml (or destructiveChanges.xml) listing the components; `version` only when given. */
export function manifestXml(components: readonly ComponentRef[], version?: string): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<Package xmlns="http://soap.sforce.com/2006/04/metadata">'];
  for (const { type, members } of membersByType(components)) {
    lines.push('    <types>');
    for (const m of members) lines.push(`        <members>${esc(m)}</members>`);
    lines.push(`        <name>${esc(type)}</name>`);
    lines.push('    </types>');
  }
  if (version) lines.push(`    <version>${esc(version)}</version>`);
  lines.push('</Package>', '');
  return lines.join('\n');
}
