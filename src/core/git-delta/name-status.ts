/**
 * What `git diff --name-status -z -M FROM TO` says changed, as path changes the delta is built
 * from: added, modified, deleted. A rename is a deletion of the old path and an addition of the new
 * one (a copy is an addition); both keep the other path, so the preview can say "renamed".
 */

export type PathChangeKind = 'added' | 'modified' | 'deleted';

export interface PathChange {
  kind: PathChangeKind;
  /** Repository-relative, with forward slashes, as git prints it. */
  path: string;
  /** For an addition that is the new side of a rename: the old path. */
  renamedFrom?: string;
  /** For a deletion that is the old side of a rename: the new path. */
  renamedTo?: string;
}

/** Thrown on output that is not `--name-status -z` (a git that printed something else). */
export class NameStatusFormatError extends Error {
  override readonly name = 'NameStatusFormatError';
}

/**
 * Parses `git diff --name-status -z` output: `STATUS\0path\0`, and `R100\0old\0new\0` for renames
 * and copies. Type changes (T) count as modifications; unmerged entries (U) are refused, since a
 * commit has none.
 */
export function parseNameStatus(z: string): PathChange[] {
  const fields = z.split('\0');
  if (fields[fields.length - 1] === '') fields.pop();
  const out: PathChange[] = [];
  let i = 0;
  const next = (status: string): string => {
    const p = fields[i++];
    if (p === undefined || p === '') throw new NameStatusFormatError(`git diff printed the status "${status}" without its path.`);
    return p;
  };
  while (i < fields.length) {
    const status = fields[i++].trim();
    const letter = status.charAt(0);
    switch (letter) {
      case 'A':
        out.push({ kind: 'added', path: next(status) });
        break;
      case 'M':
      case 'T':
        out.push({ kind: 'modified', path: next(status) });
        break;
      case 'D':
        out.push({ kind: 'deleted', path: next(status) });
        break;
      case 'R': {
        const from = next(status);
        const to = next(status);
        out.push({ kind: 'deleted', path: from, renamedTo: to });
        out.push({ kind: 'added', path: to, renamedFrom: from });
        break;
      }
      case 'C': {
        next(status);
        out.push({ kind: 'added', path: next(status) });
        break;
      }
      default:
        throw new NameStatusFormatError(`git diff printed an unexpected status "${status}" (expected A, M, T, D, R or C).`);
    }
  }
  return out;
}
