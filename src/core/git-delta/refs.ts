/** The refs a git delta is taken between, checked before git sees them. */

/** Why `ref` cannot name a commit for a delta (undefined when it can). `flag` names where it was given. */
export function refProblem(ref: string | undefined, flag: string): string | undefined {
  if (ref === undefined || ref.trim() === '') return `${flag} needs a branch, tag or commit (e.g. main, v1.2, a1b2c3d).`;
  if (ref.startsWith('-')) return `${flag} "${ref}" starts with "-": give a branch, tag or commit name, not an option.`;
  if (/[\s\x00-\x1f\x7f]/.test(ref)) return `${flag} "${ref}" has spaces or control characters: give a branch, tag or commit name.`;
  if (ref.includes('...') || ref.includes('..')) {
    return `${flag} "${ref}" is a range: give one ref to each of --from and --to (and --merge-base for the three-dot form).`;
  }
  return undefined;
}

/** One ref of the repository offered in a picker: a branch, remote branch or tag. */
export interface GitRef {
  name: string;
  kind: 'branch' | 'remote' | 'tag';
  commit?: string;
}

/** Branches first (the current one on top), then tags, then remote branches; each alphabetical. */
export function sortRefs(refs: readonly GitRef[], current?: string): GitRef[] {
  const rank = (r: GitRef): number => (r.kind === 'branch' && r.name === current ? 0 : r.kind === 'branch' ? 1 : r.kind === 'tag' ? 2 : 3);
  const seen = new Set<string>();
  return refs
    .filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)))
    .sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
