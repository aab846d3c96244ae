/**
 * The refs to pick from, through VS Code's Git extension (vscode.git, API 1): its repository for
 * the folder, its branches, remote branches and tags. When the Git extension is absent or disabled
 * (git.enabled false), git on PATH lists them instead, and the log says so.
 */
import * as vscode from 'vscode';
import { sortRefs, type GitRef } from '../../core/git-delta';
import type { Ctx } from '../../ctx';
import { listRefs, repoRoot } from '../../workflows/git-delta/git';

/** The part of the Git extension's API used here (extensions/git/src/api/git.d.ts). */
interface GitApiRef {
  type: number; // 0 head, 1 remote head, 2 tag
  name?: string;
  commit?: string;
  remote?: string;
}
interface GitApiRepository {
  rootUri: vscode.Uri;
  state: { HEAD?: { name?: string }; refs?: GitApiRef[] };
  getRefs?(query?: Record<string, unknown>): Promise<GitApiRef[]>;
}
interface GitApi {
  repositories: GitApiRepository[];
  getRepository(uri: vscode.Uri): GitApiRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitApiRepository | null>;
}
interface GitExtension {
  enabled: boolean;
  getAPI(version: 1): GitApi;
}

export interface ListedRefs {
  root: string;
  refs: GitRef[];
  current?: string;
  /** Who listed them: the Git extension, or git on PATH (and why). */
  via: 'git-extension' | 'git-cli';
  note?: string;
}

const KIND: Record<number, GitRef['kind'] | undefined> = { 0: 'branch', 1: 'remote', 2: 'tag' };

/** The Git extension's API, or why it cannot be used. */
async function gitApi(): Promise<GitApi | string> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return 'the Git extension (vscode.git) is not installed or is disabled';
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (!exports?.enabled) return 'the Git extension is disabled (git.enabled is false)';
  return exports.getAPI(1);
}

async function viaExtension(api: GitApi, folder: vscode.Uri): Promise<ListedRefs | string> {
  const repo = api.getRepository(folder) ?? (api.openRepository ? await api.openRepository(folder) : null);
  if (!repo) return `the Git extension knows no repository at ${folder.fsPath}`;
  const raw = repo.getRefs ? await repo.getRefs({}) : (repo.state.refs ?? []);
  const refs: GitRef[] = [];
  for (const r of raw) {
    const kind = KIND[r.type];
    if (!kind || !r.name || (kind === 'remote' && r.name.endsWith('/HEAD'))) continue;
    refs.push({ name: r.name, kind, ...(r.commit ? { commit: r.commit } : {}) });
  }
  return { root: repo.rootUri.fsPath, refs, current: repo.state.HEAD?.name, via: 'git-extension' };
}

/** The repository's refs at `folder`, through the Git extension when it can, else git on PATH. */
export async function repositoryRefs(ctx: Ctx, folder: vscode.Uri, preferCli = false): Promise<ListedRefs> {
  let why: string;
  if (preferCli) why = 'asked for git on PATH';
  else {
    const api = await gitApi();
    const listed = typeof api === 'string' ? api : await viaExtension(api, folder);
    if (typeof listed !== 'string') return { ...listed, refs: sortRefs(listed.refs, listed.current) };
    why = listed;
  }
  ctx.log.info(`Listing the refs with git on PATH: ${why}.`);
  const root = await repoRoot(folder.fsPath);
  const { refs, current } = await listRefs(root);
  return { root, refs: sortRefs(refs, current), current, via: 'git-cli', note: why };
}
