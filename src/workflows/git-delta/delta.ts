/**
 * The git delta between two refs: which components were added or changed (the package) and which
 * were deleted (destructive changes), by SDR's resolver over each commit's file list and
 * `git diff --name-status -M`; written out as sfdx-git-delta lays it out (package/package.xml,
 * destructiveChanges/destructiveChanges.xml, the package's source files as they are at TO).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancelledError } from '../../core/cancelled';
import { destructiveXmlOf, packageXmlOf, parseNameStatus, planDelta, refProblem, type GitDelta } from '../../core/git-delta';
import type { SalesforceApi } from '../../salesforce-loader';
import type { RunOptions } from '../types';
import { commitOf, filesAt, GitError, mergeBaseOf, nameStatus, readAt, repoRoot } from './git';

export interface GitDeltaRequest {
  /** A folder inside the repository. */
  repo: string;
  from: string;
  to: string;
  /** Take the delta from the merge base of FROM and TO (what `git diff FROM...TO` shows). */
  mergeBase?: boolean;
}

function sourceApiVersion(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const v = (JSON.parse(text) as { sourceApiVersion?: unknown }).sourceApiVersion;
    return typeof v === 'string' && /^\d+\.0$/.test(v) ? v : undefined;
  } catch {
    return undefined; // A broken sfdx-project.json leaves the version out of the manifests; the deploy uses the org's.
  }
}

/** Computes the delta (reads git only; nothing is written or deployed). */
export async function computeGitDelta(deps: { salesforce(): Promise<SalesforceApi> }, req: GitDeltaRequest, opts: RunOptions = {}): Promise<GitDelta> {
  for (const [ref, flag] of [
    [req.from, 'from'],
    [req.to, 'to'],
  ] as const) {
    const problem = refProblem(ref, flag);
    if (problem) throw new GitError(problem, 'bad-ref');
  }
  const step = (message: string): void => {
    if (opts.signal?.aborted) throw new CancelledError('Git delta');
    opts.onProgress?.({ message });
  };
  step('Reading the repository…');
  const root = await repoRoot(req.repo);
  const [fromCommit, toCommit] = await Promise.all([commitOf(root, req.from), commitOf(root, req.to)]);
  const base = req.mergeBase ? await mergeBaseOf(root, fromCommit, toCommit) : fromCommit;
  step(`Comparing ${req.from} and ${req.to}…`);
  const [diff, toPaths, fromPaths] = await Promise.all([nameStatus(root, base, toCommit, opts.signal), filesAt(root, toCommit, opts.signal), filesAt(root, base, opts.signal)]);
  const changes = parseNameStatus(diff);
  step(`Resolving ${changes.length} changed files to components…`);
  const sf = await deps.salesforce();
  const plan = planDelta(changes, sf.gitDeltaSides({ root, toPaths, fromPaths }));
  const project = (await readAt(root, toCommit, ['sfdx-project.json'], opts.signal)).get('sfdx-project.json');
  const apiVersion = sourceApiVersion(project?.toString('utf8'));
  return {
    repo: root,
    from: { ref: req.from, commit: fromCommit },
    to: { ref: req.to, commit: toCommit },
    ...(req.mergeBase ? { mergeBase: base } : {}),
    ...(apiVersion ? { apiVersion } : {}),
    plan,
  };
}

export interface WrittenDelta {
  packageXml: string;
  destructiveXml: string;
  /** The source files written, absolute. */
  sourceFiles: string[];
  /** The top folders of the written source (what a deploy of the delta reads). */
  sourceRoots: string[];
}

/**
 * Writes the delta into `outDir` (created if absent; refused when it holds anything, so nothing is
 * overwritten): package/package.xml, destructiveChanges/destructiveChanges.xml (with its empty
 * package.xml), and the package's files as they are at TO, under their repository paths.
 */
export async function writeGitDelta(delta: GitDelta, outDir: string, opts: RunOptions = {}): Promise<WrittenDelta> {
  const out = path.resolve(outDir);
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw new GitError(`${out} is a file: give a new or empty folder for the delta.`, 'bad-output');
    if (fs.readdirSync(out).length) throw new GitError(`${out} is not empty: give a new or empty folder for the delta (nothing was written).`, 'bad-output');
  }
  const files = [...new Set(delta.plan.deploy.flatMap((c) => c.files))].sort();
  opts.onProgress?.({ message: `Reading ${files.length} files at ${delta.to.ref}…` });
  const blobs = await readAt(delta.repo, delta.to.commit, files, opts.signal);
  if (opts.signal?.aborted) throw new CancelledError('Git delta');
  const packageXml = packageXmlOf(delta);
  const destructiveXml = destructiveXmlOf(delta);
  const write = (rel: string, data: string | Buffer): string => {
    const target = path.join(out, ...rel.split('/'));
    if (!target.startsWith(out + path.sep)) throw new GitError(`The repository names a file outside the output folder (${rel}); nothing more was written.`, 'failed');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
    return target;
  };
  write('package/package.xml', packageXml);
  write('destructiveChanges/destructiveChanges.xml', destructiveXml);
  write('destructiveChanges/package.xml', destructiveXmlOf({ ...delta, plan: { ...delta.plan, destroy: [] } }));
  const sourceFiles: string[] = [];
  for (const f of files) {
    const data = blobs.get(f);
    if (data) sourceFiles.push(write(f, data));
  }
  const roots = new Set(files.map((f) => f.split('/')[0]));
  return { packageXml, destructiveXml, sourceFiles, sourceRoots: [...roots].sort().map((r) => path.join(out, r)) };
}
