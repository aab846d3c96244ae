/**
 * Deploy Git Differences…: pick two refs of the workspace's repository (listed through the Git
 * extension), two-dot or merge base, and a development environment; the delta's manifests open as a
 * read-only document; then validate or deploy it under progress with Cancel (deletions after the
 * deploy). Thin: the delta and the deploy are workflows (src/workflows/git-delta).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { deltaCounts, deltaTitle, previewText, type GitDelta, type GitRef } from '../../core/git-delta';
import { CancelledError, type Ctx } from '../../ctx';
import { computeGitDelta } from '../../workflows/git-delta/delta';
import { deployGitDelta } from '../../workflows/git-delta/deploy';
import { withCancellableProgress } from '../progress';
import { targetEnvironment } from '../deploy/deploySource';
import { followUnderProgress, type DeploySummary } from '../deploy/follow';
import { repositoryRefs, type ListedRefs } from './gitRefs';
import { showReadOnly } from './preview';

/** Plain arguments (tests, other commands) instead of asking. */
export interface GitDeltaArgs {
  from?: string;
  to?: string;
  mergeBase?: boolean;
  environment?: string;
  /** What to do after the manifest is shown; asked when absent. */
  action?: 'validate' | 'deploy';
  /** A folder of the repository (default: the first workspace folder). */
  folder?: string;
  /** List the refs with git on PATH even when the Git extension is there. */
  refsVia?: 'cli';
}

/** What the command resolves with (read by the tests). */
export interface GitDeltaRun {
  delta: GitDelta;
  refsVia: ListedRefs['via'];
  /** Why git on PATH listed the refs (the Git extension absent, disabled, or without the repository). */
  refsNote?: string;
  preview: vscode.TextDocument;
  summary?: DeploySummary;
}

const TITLE = 'Deploy Git Differences';
const ICON: Record<GitRef['kind'], string> = { branch: '$(git-branch)', remote: '$(cloud)', tag: '$(tag)' };

async function pickRef(ctx: Ctx, listed: ListedRefs, step: string, placeHolder: string, exclude?: string): Promise<string> {
  const OTHER = '$(edit) Another commit or ref…';
  const items: vscode.QuickPickItem[] = listed.refs
    .filter((r) => r.name !== exclude)
    .map((r) => ({
      label: `${ICON[r.kind]} ${r.name}`,
      description: [r.name === listed.current && r.kind === 'branch' ? 'current branch' : r.kind === 'branch' ? 'branch' : r.kind === 'tag' ? 'tag' : 'remote branch', r.commit?.slice(0, 7)].filter(Boolean).join(' · '),
    }));
  items.push({ label: OTHER, description: 'a commit id, HEAD~3, …' });
  const pick = await ctx.prompts.pick(items, { title: `${TITLE} (${step})`, placeHolder, matchOnDescription: true, ignoreFocusOut: true });
  if (!pick) throw new CancelledError(TITLE);
  if (pick.label !== OTHER) return pick.label.replace(/^\$\([\w-]+\) /, '');
  const typed = await ctx.prompts.input({ title: `${TITLE} (${step})`, prompt: 'A commit id or any ref git understands (HEAD~3, origin/main, v1.2)', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Type a commit or ref.') });
  if (!typed?.trim()) throw new CancelledError(TITLE);
  return typed.trim();
}

function folderOf(args: GitDeltaArgs): vscode.Uri {
  if (args.folder) return vscode.Uri.file(args.folder);
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first || first.uri.scheme !== 'file') throw new Error('Open the folder of the project’s git repository to deploy its differences.');
  return first.uri;
}

export async function deployGitDifferences(ctx: Ctx, given?: unknown): Promise<GitDeltaRun | undefined> {
  const args: GitDeltaArgs = typeof given === 'object' && given !== null && !(given instanceof vscode.Uri) ? (given as GitDeltaArgs) : {};
  if (ctx.model.status.kind !== 'ok') throw new Error('The pipeline file is missing or has errors: fix it (see the Problems panel) before deploying.');
  const listed = await repositoryRefs(ctx, folderOf(args), args.refsVia === 'cli');
  if (listed.refs.length === 0 && (!args.from || !args.to)) throw new Error(`The repository at ${listed.root} has no branches or tags yet: commit first, then deploy its differences.`);
  const from = args.from ?? (await pickRef(ctx, listed, '1/4: from', 'The older ref: what the environment has now (e.g. main, the last release tag)'));
  const to = args.to ?? (await pickRef(ctx, listed, '2/4: to', `The newer ref: what to bring to the environment (compared with ${from})`, from));
  let mergeBase = args.mergeBase;
  if (mergeBase === undefined) {
    const two = { label: `Changes from ${from} to ${to}`, description: 'two-dot', detail: `Everything ${to} differs by from ${from}, including what ${from} gained since they parted (deleted)` };
    const three = { label: `Changes on ${to} since it left ${from}`, description: 'merge base, three-dot', detail: `From the merge base of ${from} and ${to}: what ${from} gained since is left alone` };
    const pick = await ctx.prompts.pick([three, two], { title: `${TITLE} (3/4: compare)`, ignoreFocusOut: true });
    if (!pick) throw new CancelledError(TITLE);
    mergeBase = pick === three;
  }
  const env = await targetEnvironment(ctx, args.environment, 'Deploy', `${to}'s differences`);
  const delta = await withCancellableProgress(`Git differences ${from} → ${to}`, ({ signal, onProgress }) => computeGitDelta(ctx, { repo: listed.root, from, to, mergeBase }, { signal, onProgress }), {
    cancelledAs: TITLE,
  });
  const preview = await showReadOnly(ctx, `git-delta ${from}..${to}`, previewText(delta));
  ctx.log.info(`Git differences ${deltaTitle(delta)}: ${deltaCounts(delta)} (refs listed through ${listed.via === 'git-extension' ? 'the Git extension' : 'git on PATH'}).`);
  if (delta.plan.deploy.length === 0 && delta.plan.destroy.length === 0) {
    void ctx.prompts.info(`${from} and ${to} differ by no metadata: nothing to deploy to ${env}.`);
    return { delta, refsVia: listed.via, ...(listed.note ? { refsNote: listed.note } : {}), preview };
  }
  let action = args.action;
  if (!action) {
    const validate = { label: `Validate in ${env}`, detail: 'Run the deploy and the tests, then roll back: nothing changes in the org' };
    const deploy = { label: `Deploy to ${env}`, detail: `${deltaCounts(delta)} (deletions after the deploy)` };
    const pick = await ctx.prompts.pick([validate, deploy], { title: `${TITLE} (4/4): ${deltaTitle(delta)}`, placeHolder: `${deltaCounts(delta)}: see the manifest in the editor`, ignoreFocusOut: true });
    if (!pick) throw new CancelledError(TITLE);
    action = pick === validate ? 'validate' : 'deploy';
  }
  const checkOnly = action === 'validate';
  // Problems go on the repository's files (as they are at TO; the working tree may differ).
  const sourcePaths = [...new Set(delta.plan.deploy.flatMap((c) => c.files))].map((f) => path.join(delta.repo, ...f.split('/')));
  const summary = await followUnderProgress(ctx, {
    title: `${from} → ${to} → ${env}`,
    targetEnv: env,
    sourcePaths,
    checkOnly,
    run: (opts) => deployGitDelta(ctx, { delta, targetEnv: env, checkOnly }, opts),
  });
  return { delta, refsVia: listed.via, ...(listed.note ? { refsNote: listed.note } : {}), preview, ...(summary ? { summary } : {}) };
}
