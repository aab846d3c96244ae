/**
 * Compare commands (issue 5): compare two environments or a change request's components, diff a
 * local file with an environment, export a result as CSV; and what the compare panel's buttons do.
 * Every command also takes plain arguments (tests, other commands) instead of asking.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareResultToCsv } from '../../core/compare/csv';
import { componentKey, metadataTypeNames, type ComponentRef } from '../../core/metadata-types';
import type { ComponentRefMsg } from '../../shared/compareProtocol';
import type { CompareActions, ComparePanel } from '../../webviews/compare/panel';
import { CancelledError, type Ctx } from '../../ctx';
import { openCompareDiff } from './compareDiff';
import { diffLocalWithEnvironment, type LocalDiffOptions } from './compareLocal';
import { runCompare } from './compareRun';
import { COMMANDS } from '../../shared/ids';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * `followUp`: a later step of one command's questions. It stays open when the focus leaves it for a
 * moment (the editor or a panel taking the focus back as the previous step closes would otherwise
 * close it, read as "cancelled"); Escape still cancels.
 */
async function pickEnvironment(ctx: Ctx, title: string, exclude?: string, preferred?: string, followUp = false): Promise<string> {
  const envs = ctx.model.environments().filter((e) => e.name !== exclude);
  if (envs.length === 0) {
    throw new Error(
      exclude
        ? `The pipeline has no environment besides ${exclude} to compare with. Add one with "Add Environment…".`
        : 'The pipeline has no environments yet. Create the pipeline file ("Create Pipeline File from Authorized Orgs") or add environments first.',
    );
  }
  const items = envs.map((e) => ({ label: e.name, description: `${e.org} · ${e.role}`, picked: e.name === preferred }));
  items.sort((a, b) => (a.label === preferred ? -1 : b.label === preferred ? 1 : 0));
  const pick = await ctx.prompts.pick(items, { title, placeHolder: 'Environment', ignoreFocusOut: followUp });
  if (!pick) throw new CancelledError('Compare');
  return pick.label;
}

function checkEnvironment(ctx: Ctx, name: string): string {
  if (!ctx.model.environment(name)) throw new Error(`There is no environment named "${name}" in the pipeline.`);
  return name;
}

async function pickTypes(ctx: Ctx, sourceEnv: string): Promise<string[] | undefined> {
  const all = { label: 'All metadata types', description: 'every type the org has' };
  const some = { label: 'Choose metadata types…' };
  const scope = await ctx.prompts.pick([all, some], { title: `Compare which metadata of ${sourceEnv}?`, ignoreFocusOut: true });
  if (!scope) throw new CancelledError('Compare');
  if (scope === all) return undefined;
  const session = await ctx.sessions.get(sourceEnv);
  const sf = await ctx.salesforce();
  const types = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the metadata types of ${sourceEnv}…` }, () =>
    sf.describeTypes(session.handle),
  );
  const picks = await ctx.prompts.pickMany(
    metadataTypeNames(types).map((label) => ({ label })),
    { title: 'Metadata types to compare', ignoreFocusOut: true },
  );
  if (!picks || picks.length === 0) throw new CancelledError('Compare');
  return picks.map((p) => p.label);
}

/**
 * Compare Environments…: from the palette (asks for both), a tree node `{name}` (the source; the
 * target defaults to its `next`), or `{source, target, types?, full?}`. Resolves with the result.
 */
export async function compareEnvironments(ctx: Ctx, arg?: unknown): Promise<unknown> {
  let sourceEnv: string;
  let targetEnv: string;
  let types: string[] | undefined;
  let full = false;
  if (isRecord(arg) && typeof arg.source === 'string' && typeof arg.target === 'string') {
    sourceEnv = checkEnvironment(ctx, arg.source);
    targetEnv = checkEnvironment(ctx, arg.target);
    if (arg.types !== undefined) {
      if (!Array.isArray(arg.types) || !arg.types.every((t) => typeof t === 'string' && t)) throw new Error('types must be a list of metadata type names.');
      types = arg.types as string[];
    }
    full = arg.full === true;
  } else {
    sourceEnv = isRecord(arg) && typeof arg.name === 'string' ? checkEnvironment(ctx, arg.name) : await pickEnvironment(ctx, 'Compare: source environment');
    const next = ctx.model.environment(sourceEnv)?.next;
    targetEnv = await pickEnvironment(ctx, `Compare ${sourceEnv} with…`, sourceEnv, next, true);
    types = await pickTypes(ctx, sourceEnv);
  }
  const scopeLabel = types ? `${types.length} metadata type${types.length === 1 ? '' : 's'}: ${types.join(', ')}` : 'All metadata types';
  return runCompare(ctx, { sourceEnv, targetEnv, scope: { types }, scopeLabel, full });
}

/** Compare Across Environments…: a change request's components, in its environment and another. */
export async function compareChangeRequest(ctx: Ctx, arg?: unknown): Promise<unknown> {
  if (!isRecord(arg) || typeof arg.environment !== 'string' || typeof arg.id !== 'string') {
    throw new Error('Open this from a change request in the Environments view.');
  }
  const sourceEnv = checkEnvironment(ctx, arg.environment);
  const targetEnv =
    typeof arg.target === 'string'
      ? checkEnvironment(ctx, arg.target)
      : await pickEnvironment(ctx, `Compare the change request's components of ${sourceEnv} with…`, sourceEnv, ctx.model.environment(sourceEnv)?.next);
  const session = await ctx.sessions.get(sourceEnv);
  const sf = await ctx.salesforce();
  const cr = await sf.getChangeRequest(session.handle, arg.id);
  const seen = new Set<string>();
  const components: ComponentRef[] = [];
  for (const c of [...cr.customizations, ...cr.proposedCustomizations]) {
    const key = componentKey(c);
    if (!seen.has(key)) components.push({ type: c.type, fullName: c.fullName });
    seen.add(key);
  }
  if (components.length === 0) throw new Error(`${cr.number ?? cr.name} lists no customizations to compare. Add some to the change request first.`);
  return runCompare(ctx, { sourceEnv, targetEnv, scope: { components }, scopeLabel: `Change request ${cr.number ?? cr.name} (${components.length} components)` });
}

/**
 * Diff with Environment…: `uri` from the explorer or the editor title (else the active editor),
 * `environment` (else asked). The explorer passes the selection as the second argument.
 */
export async function diffWithEnvironment(ctx: Ctx, uri?: unknown, environment?: unknown, opts?: unknown): Promise<unknown> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!target) throw new Error('Open a source file, or right-click one in the Explorer, to diff it with an environment.');
  const env = typeof environment === 'string' ? checkEnvironment(ctx, environment) : await pickEnvironment(ctx, `Diff ${path.basename(target.fsPath)} with…`);
  return diffLocalWithEnvironment(ctx, target, env, isRecord(opts) ? (opts as LocalDiffOptions) : {});
}

/** Export Compare Result as CSV…: the focused (or last) compare panel; `{file}` writes without asking. */
export async function exportCompareCsv(ctx: Ctx, arg?: unknown): Promise<unknown> {
  const panel = ctx.compare.panels.active();
  if (!panel?.view) throw new Error('There is no compare result to export. Run "Compare Environments…" first.');
  return exportPanelCsv(ctx, panel, isRecord(arg) && typeof arg.file === 'string' ? arg.file : undefined);
}

async function exportPanelCsv(ctx: Ctx, panel: ComparePanel, file?: string): Promise<string | undefined> {
  const view = panel.view!;
  let uri: vscode.Uri | undefined = file ? vscode.Uri.file(file) : undefined;
  if (!uri) {
    const name = `compare-${view.sourceEnv}-${view.targetEnv}-${view.startedAt.slice(0, 10)}.csv`.replace(/[^A-Za-z0-9_.-]/g, '_');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    uri = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { CSV: ['csv'] }, title: 'Export Compare Result' });
    if (!uri) return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(compareResultToCsv(view)));
  ctx.log.info(`Exported ${view.items.length} compare rows to ${uri.fsPath}.`);
  if (!file) void ctx.prompts.info(`Exported ${view.items.length.toLocaleString('en-US')} rows to ${path.basename(uri.fsPath)}.`);
  return uri.fsPath;
}

/** What the compare panel's buttons do; each runs like a command (errors shown once). */
export function compareActions(ctx: Ctx, guard: <R>(title: string, fn: () => Promise<R>) => Promise<R | undefined>): CompareActions {
  return {
    refresh: (panel, full) =>
      guard(full ? 'Full Refresh' : 'Refresh', () => {
        const view = panel.view;
        return runCompare(ctx, {
          sourceEnv: panel.sourceEnv,
          targetEnv: panel.targetEnv,
          scope: view?.request ?? {},
          scopeLabel: view?.scope ?? 'All metadata types',
          full,
        });
      }),
    openDiff: (panel, ref, filePath) =>
      guard('Open Diff', async () => {
        if (!panel.view) throw new Error('This compare has no result: refresh it first.');
        return openCompareDiff(ctx, panel.view, ref, filePath);
      }),
    exportCsv: (panel) =>
      guard(COMMANDS.exportCompareCsv.title.replace(/…$/, ''), async () => {
        if (!panel.view) throw new Error('This compare has no result to export: refresh it first.');
        return exportPanelCsv(ctx, panel);
      }),
    createChangeRequest: (panel, refs: ComponentRefMsg[]) =>
      guard('Create Change Request', () => {
        // Components the source environment lacks (only in the target) are proposed, not existing.
        const absent = new Set(panel.view?.items.filter((i) => i.status === 'only-in-target').map((i) => componentKey(i)));
        const key = (r: ComponentRefMsg) => componentKey(r);
        return Promise.resolve(
          vscode.commands.executeCommand(COMMANDS.newChangeRequest.id, {
            environment: panel.sourceEnv,
            customizations: refs.filter((r) => !absent.has(key(r))),
            proposedCustomizations: refs.filter((r) => absent.has(key(r))),
          }),
        );
      }),
    loadSaved: (sourceEnv, targetEnv) => ctx.compare.store.loadResult(sourceEnv, targetEnv),
  };
}
