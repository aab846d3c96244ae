/**
 * Deploy and validation problems as Problems-panel entries, the pure part (no `vscode`): each
 * DeployProblem placed on the workspace file it is about, with its range and the other stack
 * frames as related places; and which earlier entries a new deploy of some files clears. The
 * editor layer (src/commands/deploy/problemsPanel.ts) turns these into vscode.Diagnostics.
 */
import type { DeployProblem } from '../core/deployments/problems';
import type { Range } from '../core/pipeline/types';
import { eachInSlices } from '../core/slices';

export interface FileProblem {
  /** Absolute path of the workspace file. */
  file: string;
  range: Range;
  severity: 'error' | 'warning';
  message: string;
  /** Component the problem is about, e.g. "ApexClass Foo" (the diagnostic's code). */
  component: string;
  related: Array<{ file: string; range: Range; message: string }>;
}

export interface PlacedProblems {
  /** Per absolute file path, in the order the org reported them. */
  byFile: Map<string, FileProblem[]>;
  /** Problems the package holds no file for (shown in the result message instead). */
  unplaced: DeployProblem[];
}

const posix = (p: string): string => p.replace(/\\/g, '/');
const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/**
 * Finds the workspace file for a problem's path. Local-source deploys name the files by their
 * absolute paths already; a package path (relative to the package directory, `main/default/…`
 * or metadata format `classes/Foo.cls`) is matched against the deployed files by its ending.
 */
export function fileResolver(deployedFiles: readonly string[]): (problemPath: string) => string | undefined {
  const known = new Map(deployedFiles.map((f) => [posix(f), f]));
  const bySuffix = new Map<string, string | null>();
  for (const f of deployedFiles) {
    const parts = posix(f).split('/');
    for (let i = parts.length - 1; i >= 1; i--) {
      const suffix = parts.slice(i).join('/');
      // A suffix two files share says nothing: it is dropped (null) rather than guessed.
      bySuffix.set(suffix, bySuffix.has(suffix) && bySuffix.get(suffix) !== f ? null : f);
    }
  }
  return (problemPath) => {
    const p = posix(problemPath);
    if (isAbsolute(problemPath)) return known.get(p) ?? problemPath;
    const rel = p.replace(/^\.\//, '');
    for (let parts = rel.split('/'); parts.length > 0; parts = parts.slice(1)) {
      const hit = bySuffix.get(parts.join('/'));
      if (hit) return hit;
      if (hit === null) return undefined;
    }
    return undefined;
  };
}

/** The problems placed on the workspace files; `deployedFiles` are the absolute paths the deploy sent. */
export function placeProblems(problems: readonly DeployProblem[], deployedFiles: readonly string[]): PlacedProblems {
  const place = placer(deployedFiles);
  for (const p of problems) place.add(p);
  return place.result;
}

/** As placeProblems, in slices that yield to the event loop (10,000 problems do not block the editor). */
export async function placeProblemsInSlices(problems: readonly DeployProblem[], deployedFiles: readonly string[]): Promise<PlacedProblems> {
  const place = placer(deployedFiles);
  await eachInSlices(problems, (p) => place.add(p));
  return place.result;
}

function placer(deployedFiles: readonly string[]): { add(p: DeployProblem): void; result: PlacedProblems } {
  const resolve = fileResolver(deployedFiles);
  const byFile = new Map<string, FileProblem[]>();
  const unplaced: DeployProblem[] = [];
  const add = (p: DeployProblem): void => {
    const file = p.path !== undefined ? resolve(p.path) : undefined;
    if (!file) {
      unplaced.push(p);
      return;
    }
    const related = (p.related ?? []).flatMap((r) => {
      const f = resolve(r.path);
      return f ? [{ file: f, range: r.range, message: r.message }] : [];
    });
    const list = byFile.get(file) ?? [];
    list.push({ file, range: p.range, severity: p.severity, message: p.message, component: `${p.component.type} ${p.component.fullName}`, related });
    byFile.set(file, list);
  };
  return { add, result: { byFile, unplaced } };
}

/** True when `file` is one of `roots` or inside one of them (a deployed folder). */
export function isUnder(file: string, roots: readonly string[]): boolean {
  const f = posix(file);
  return roots.some((r) => {
    const root = posix(r).replace(/\/+$/, '');
    return f === root || f.startsWith(`${root}/`);
  });
}

/** The files with entries from an earlier deploy that a new deploy of `roots` clears. */
export function filesToClear(withEntries: Iterable<string>, roots: readonly string[]): string[] {
  return [...withEntries].filter((f) => isUnder(f, roots));
}
