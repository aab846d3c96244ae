/** Create Pipeline File from Authorized Orgs, Open Pipeline File, and writing the file safely. */
import * as vscode from 'vscode';
import { draftPipeline, guessRole, serializePipeline } from '../../core/pipeline';
import type { OrgAuthorization } from '../../core/orgs';
import type { Ctx } from '../../ctx';

export interface CreatePipelineOptions {
  /** Aliases or usernames to include, skipping the quick pick. */
  orgs?: string[];
  /** Overwrite an existing file without asking. */
  overwrite?: boolean;
  /** Open the file in an editor afterwards (default true). */
  open?: boolean;
}

export function requirePipelineUri(ctx: Ctx): vscode.Uri {
  const uri = ctx.model.pipelineUri();
  if (!uri) throw new Error('Open a folder first: the pipeline file lives in the workspace folder.');
  return uri;
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Writes the pipeline file (refusing to clobber unsaved edits) and reloads the model. */
export async function writePipelineText(ctx: Ctx, uri: vscode.Uri, text: string): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) throw new Error('The pipeline file has unsaved changes. Save or revert them first.');
  const parent = vscode.Uri.joinPath(uri, '..');
  await vscode.workspace.fs.createDirectory(parent);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  ctx.log.info(`Wrote ${vscode.workspace.asRelativePath(uri)}.`);
  await ctx.model.reload();
}

/** Reads the pipeline file text ('' when it does not exist). */
export async function readPipelineText(uri: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return '';
    throw e;
  }
}

function orgLabel(o: OrgAuthorization): string {
  return o.aliases[0] ?? o.username;
}

export async function createPipeline(ctx: Ctx, options: CreatePipelineOptions = {}): Promise<vscode.Uri | undefined> {
  const uri = requirePipelineUri(ctx);
  const auths = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Changeline: listing authorized orgs' },
    () => ctx.model.loadAuthorizations(true),
  );
  if (auths.length === 0) {
    const pick = await ctx.prompts.warn('No authorized org found. Add an environment to authorize one.', 'Add Environment…');
    if (pick) await vscode.commands.executeCommand('changeline.addEnvironment');
    return undefined;
  }

  let chosen: OrgAuthorization[];
  if (options.orgs) {
    chosen = options.orgs.map((o) => {
      const a = auths.find((x) => x.aliases.includes(o) || x.username.toLowerCase() === o.toLowerCase());
      if (!a) throw new Error(`"${o}" is not an authorized org.`);
      return a;
    });
  } else {
    const items = auths.map((a) => ({
      label: orgLabel(a),
      description: a.username,
      detail: `${a.isSandbox === false ? 'Production' : a.isSandbox ? 'Sandbox' : 'Org'} · role: ${guessRole(orgLabel(a), a.isSandbox)} · ${a.instanceUrl}`,
      picked: !a.isScratch && !a.isDevHub,
      auth: a,
    }));
    const picked = await ctx.prompts.pickMany(items, {
      title: 'Create Pipeline File',
      placeHolder: 'Choose the orgs of the pipeline (roles are guessed from the names; edit the file to change them)',
      ignoreFocusOut: true,
    });
    if (!picked || picked.length === 0) return undefined;
    chosen = picked.map((p) => p.auth);
  }

  if ((await exists(uri)) && !options.overwrite) {
    const answer = await ctx.prompts.confirm(
      `${vscode.workspace.asRelativePath(uri)} already exists. Replace it?`,
      'Replace',
      'The current pipeline file will be overwritten.',
    );
    if (!answer) return undefined;
  }

  await writePipelineText(ctx, uri, serializePipeline(draftPipeline(chosen)));
  if (options.open !== false) await vscode.window.showTextDocument(uri);
  return uri;
}

export async function openPipeline(ctx: Ctx, position?: { line: number; character: number }): Promise<void> {
  const uri = requirePipelineUri(ctx);
  if (!(await exists(uri))) {
    const pick = await ctx.prompts.info('There is no pipeline file yet.', 'Create Pipeline File');
    if (pick) await vscode.commands.executeCommand('changeline.createPipeline');
    return;
  }
  const editor = await vscode.window.showTextDocument(uri);
  if (position && typeof position.line === 'number') {
    const pos = new vscode.Position(position.line, position.character ?? 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
