/**
 * The git commands a delta needs, run with the `git` on PATH in the repository's folder: the
 * repository's root, a ref's commit, the merge base, a commit's file list, the name-status diff, the
 * files' content at a commit, and the refs to pick from. Failures say what happened and what to do.
 */
import { execFile, spawn } from 'node:child_process';
import type { GitRef } from '../../core/git-delta';

/** A git command that failed or a ref that names no commit. */
export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    message: string,
    readonly kind: 'no-git' | 'not-a-repo' | 'bad-ref' | 'bad-output' | 'failed',
  ) {
    super(message);
  }
}

const MAX_OUTPUT = 512 * 1024 * 1024;

function git(repo: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: repo, maxBuffer: MAX_OUTPUT, encoding: 'utf8', signal, windowsHide: true }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException & { code?: unknown };
      if (e.code === 'ENOENT' && !stderr) return reject(new GitError('git was not found: install git and make sure it is on PATH, then try again.', 'no-git'));
      if (e.name === 'AbortError') return reject(err);
      const said = (stderr || e.message).trim().split('\n')[0];
      if (/not a git repository/i.test(said)) return reject(new GitError(`${repo} is not inside a git repository: open the project's repository folder (or give --repo).`, 'not-a-repo'));
      reject(new GitError(`git ${args[0]} failed in ${repo}: ${said}`, 'failed'));
    });
  });
}

/** The repository's top folder for a folder inside it. */
export async function repoRoot(dir: string): Promise<string> {
  return (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
}

/** The full commit id `ref` names (branch, tag, remote branch, commit or abbreviation). */
export async function commitOf(repo: string, ref: string): Promise<string> {
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch (e) {
    if (e instanceof GitError && e.kind === 'failed') {
      throw new GitError(`"${ref}" is not a branch, tag or commit of the repository at ${repo}. Check the name (git branch -a, git tag); fetch first if it is a remote branch.`, 'bad-ref');
    }
    throw e;
  }
}

/** The best common ancestor of two commits (what `git diff A...B` starts from). */
export async function mergeBaseOf(repo: string, a: string, b: string): Promise<string> {
  try {
    return (await git(repo, ['merge-base', a, b])).trim();
  } catch (e) {
    if (e instanceof GitError && e.kind === 'failed') throw new GitError(`${a.slice(0, 7)} and ${b.slice(0, 7)} have no common ancestor: compare them without --merge-base.`, 'bad-ref');
    throw e;
  }
}

/** Every file of the commit's tree, repository-relative. */
export async function filesAt(repo: string, commit: string, signal?: AbortSignal): Promise<string[]> {
  const out = await git(repo, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit], signal);
  return out.split('\0').filter(Boolean);
}

/** `git diff --name-status -z -M FROM TO` (no external diff, no rename limit surprises). */
export function nameStatus(repo: string, from: string, to: string, signal?: AbortSignal): Promise<string> {
  return git(repo, ['-c', 'diff.renameLimit=20000', 'diff', '--name-status', '-z', '-M', '--no-ext-diff', '--no-color', from, to, '--'], signal);
}

/** The content of files at a commit, by one `git cat-file --batch`; a path the commit lacks is left out. */
export function readAt(repo: string, commit: string, paths: readonly string[], signal?: AbortSignal): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    if (paths.length === 0) return resolve(out);
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repo, signal, windowsHide: true });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new GitError('git was not found: install git and make sure it is on PATH, then try again.', 'no-git') : e),
    );
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitError(`git cat-file failed in ${repo}: ${err.trim() || `exit code ${code}`}`, 'failed'));
      const buf = Buffer.concat(chunks);
      let at = 0;
      for (const p of paths) {
        const nl = buf.indexOf(0x0a, at);
        if (nl < 0) return reject(new GitError(`git cat-file ended early reading ${p} at ${commit.slice(0, 7)}.`, 'failed'));
        const header = buf.subarray(at, nl).toString('utf8');
        at = nl + 1;
        if (/ missing$/.test(header) || / ambiguous$/.test(header)) continue;
        const size = Number(header.split(' ')[2]);
        out.set(p, buf.subarray(at, at + size));
        at += size + 1;
      }
      resolve(out);
    });
    child.stdin.end(paths.map((p) => `${commit}:${p}`).join('\n') + '\n');
  });
}

/** The repository's branches, remote branches and tags, and the current branch. */
export async function listRefs(repo: string): Promise<{ refs: GitRef[]; current?: string }> {
  const out = await git(repo, ['for-each-ref', '--format=%(refname)%09%(objectname)', 'refs/heads', 'refs/remotes', 'refs/tags']);
  const refs: GitRef[] = [];
  for (const line of out.split('\n')) {
    const [full, commit] = line.split('\t');
    if (!full) continue;
    if (full.startsWith('refs/heads/')) refs.push({ name: full.slice(11), kind: 'branch', commit });
    else if (full.startsWith('refs/tags/')) refs.push({ name: full.slice(10), kind: 'tag', commit });
    else if (full.startsWith('refs/remotes/') && !full.endsWith('/HEAD')) refs.push({ name: full.slice(13), kind: 'remote', commit });
  }
  let current: string | undefined;
  try {
    current = (await git(repo, ['symbolic-ref', '--short', '-q', 'HEAD'])).trim() || undefined;
  } catch {
    current = undefined; // detached HEAD
  }
  return { refs, current };
}
