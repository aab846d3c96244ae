/**
 * What a git delta is, before anything is deployed: the two commits, the manifests and every changed
 * file with what it does. Shown as a read-only document in the editor and printed by the CLI.
 */
import { manifestXml } from './manifest';
import type { DeltaPlan } from './plan';

export interface DeltaSide {
  /** As the user gave it (branch, tag or commit). */
  ref: string;
  /** The full commit id it named. */
  commit: string;
}

export interface GitDelta {
  repo: string;
  from: DeltaSide;
  to: DeltaSide;
  /** Set when the delta is taken from the merge base of FROM and TO (three-dot): the commit used. */
  mergeBase?: string;
  /** sourceApiVersion of TO's sfdx-project.json, when it has one. */
  apiVersion?: string;
  plan: DeltaPlan;
}

const short = (c: string): string => c.slice(0, 7);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const packageXmlOf = (d: GitDelta): string => manifestXml(d.plan.deploy, d.apiVersion);
export const destructiveXmlOf = (d: GitDelta): string => manifestXml(d.plan.destroy, d.apiVersion);

/** "main (a1b2c3d) → feature (d4e5f6a), from their merge base 0a1b2c3". */
export function deltaTitle(d: GitDelta): string {
  const base = d.mergeBase ? `, from their merge base ${short(d.mergeBase)}` : '';
  return `${d.from.ref} (${short(d.from.commit)}) → ${d.to.ref} (${short(d.to.commit)})${base}`;
}

/** "3 components to deploy, 1 to delete". */
export function deltaCounts(d: GitDelta): string {
  return `${plural(d.plan.deploy.length, 'component')} to deploy, ${d.plan.destroy.length} to delete`;
}

const LETTER = { added: 'A', modified: 'M', deleted: 'D' } as const;

/** The whole preview: title, counts, package.xml, destructiveChanges.xml, and the changed files. */
export function previewText(d: GitDelta): string {
  const lines = [`Git differences ${deltaTitle(d)}`, `${deltaCounts(d)}.`];
  if (d.plan.ignored.length) lines.push(`${plural(d.plan.ignored.length, 'changed file holds', 'changed files hold')} no metadata and ${d.plan.ignored.length === 1 ? 'is' : 'are'} left out.`);
  lines.push('', '=== package.xml (added and changed) ===', packageXmlOf(d));
  lines.push('=== destructiveChanges.xml (deleted, applied after the deploy) ===', destructiveXmlOf(d));
  lines.push('=== Changed files ===');
  for (const c of d.plan.changes) {
    const renamed = c.renamedFrom ? ` (renamed from ${c.renamedFrom})` : c.renamedTo ? ` (renamed to ${c.renamedTo})` : '';
    const what = c.components.map((x) => `${x.type} ${x.fullName}`).join(', ');
    const effect = c.effect === 'deploy' ? `deploys ${what}` : c.effect === 'delete' ? `deletes ${what}` : 'no metadata';
    lines.push(`${LETTER[c.kind]} ${c.path}${renamed}: ${effect}`);
  }
  return lines.join('\n') + '\n';
}
