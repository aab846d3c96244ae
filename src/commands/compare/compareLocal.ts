/**
 * "Diff with Environment…" on a local source file or folder: the components there (SDR's
 * resolver), retrieved from the environment in source format into a temporary folder, each local
 * file set against the org's in the native diff editor (org's version left, local right).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toOrgFileUri } from '../../views/orgFiles';
import type { Ctx } from '../../ctx';
import { withCancellableProgress } from '../progress';
import { openDiffEditor } from '../../views/diffEditor';
import { isText } from './compareDiff';

export interface LocalDiffSummary {
  environment: string;
  /** Paths relative to the package directory, `/`-separated. */
  differing: string[];
  identical: string[];
  /** Local files whose component or file the environment does not have. */
  notInOrg: string[];
  /** Files the environment has (for the components here) that are not local. */
  onlyInOrg: string[];
  /** The diff opened, if any. */
  opened?: { title: string; left: vscode.Uri; right: vscode.Uri };
}

export interface LocalDiffOptions {
  /** For a folder: the relative path to open without asking, or false to open none. */
  open?: string | false;
}

/** The package directory (from sfdx-project.json) holding `file`, else the folder above `main/default`. */
function packageDirOf(file: string): string {
  for (let d = path.dirname(file); path.dirname(d) !== d; d = path.dirname(d)) {
    const project = path.join(d, 'sfdx-project.json');
    if (!fs.existsSync(project)) continue;
    try {
      const dirs = (JSON.parse(fs.readFileSync(project, 'utf8')) as { packageDirectories?: Array<{ path?: string }> }).packageDirectories ?? [];
      for (const p of dirs) {
        const abs = path.resolve(d, p.path ?? '');
        if (file.startsWith(abs + path.sep)) return abs;
      }
    } catch {
      // An unreadable project file: fall back below.
    }
    break;
  }
  const i = file.split(path.sep).lastIndexOf('main');
  return i > 0 ? file.split(path.sep).slice(0, i).join(path.sep) : path.dirname(file);
}

const toPosix = (p: string) => p.split(path.sep).join('/');

export async function diffLocalWithEnvironment(ctx: Ctx, target: vscode.Uri, environment: string, opts: LocalDiffOptions = {}): Promise<LocalDiffSummary> {
  if (target.scheme !== 'file') throw new Error(`Diff with Environment works on files of the project on disk (this is ${target.scheme}:).`);
  const fsPath = target.fsPath;
  const isFolder = fs.statSync(fsPath).isDirectory();
  const sf = await ctx.salesforce();
  const local = sf.componentsAt([fsPath]);
  const name = path.basename(fsPath);
  if (local.length === 0) {
    throw new Error(`${name} is not Salesforce metadata: Diff with Environment works on source files of a Salesforce DX project (classes, triggers, lwc, objects…).`);
  }
  const copy = await withCancellableProgress(
    `Retrieving ${local.length === 1 ? `${local[0].type} ${local[0].fullName}` : `${local.length} components`} from ${environment}`,
    async ({ signal }) => {
      const session = await ctx.sessions.get(environment);
      return sf.retrieveCopy(session.handle, local.map((c) => ({ type: c.type, fullName: c.fullName })), { signal });
    },
    { cancelledAs: 'Diff with Environment' },
  );
  const summary: LocalDiffSummary = { environment, differing: [], identical: [], notInOrg: [], onlyInOrg: [] };
  const orgContent = new Map<string, Buffer>();
  try {
    const localRel = new Map<string, string>();
    for (const c of local) for (const f of c.files) localRel.set(toPosix(path.relative(packageDirOf(f), f)), f);
    const orgRel = new Map<string, string>();
    for (const f of copy.files) orgRel.set(toPosix(path.relative(copy.packageDir, f.filePath)), f.filePath);
    for (const [rel, file] of localRel) {
      const orgFile = orgRel.get(rel) ?? [...orgRel.entries()].find(([r]) => path.posix.basename(r) === path.posix.basename(rel) && !localRel.has(r))?.[1];
      if (!orgFile || !fs.existsSync(orgFile)) {
        summary.notInOrg.push(rel);
        continue;
      }
      const theirs = fs.readFileSync(orgFile);
      orgContent.set(rel, theirs);
      orgRel.delete(toPosix(path.relative(copy.packageDir, orgFile)));
      (sf.sameFile(rel, fs.readFileSync(file), theirs) ? summary.identical : summary.differing).push(rel);
    }
    if (isFolder) summary.onlyInOrg.push(...orgRel.keys());
  } finally {
    fs.rmSync(copy.root, { recursive: true, force: true });
  }
  for (const list of [summary.differing, summary.identical, summary.notInOrg, summary.onlyInOrg]) list.sort();

  const localFiles = new Map<string, string>();
  for (const c of local) for (const f of c.files) localFiles.set(toPosix(path.relative(packageDirOf(f), f)), f);
  let chosen: string | undefined;
  if (!isFolder) {
    chosen = toPosix(path.relative(packageDirOf(fsPath), fsPath));
    if (summary.notInOrg.includes(chosen)) {
      void ctx.prompts.warn(`${environment} does not have ${name} (${local.map((c) => `${c.type} ${c.fullName}`).join(', ')}).`);
      return summary;
    }
  } else if (opts.open !== undefined) {
    chosen = opts.open === false ? undefined : opts.open;
  } else {
    chosen = await pickFile(ctx, summary, name);
  }
  if (!chosen) return summary;
  const theirs = orgContent.get(chosen);
  const mine = localFiles.get(chosen);
  if (!theirs || !mine) throw new Error(`${chosen} is not a file both the folder and ${environment} have.`);
  if (!isText(theirs)) {
    void ctx.prompts.info(`${path.posix.basename(chosen)} is a binary file: it ${summary.identical.includes(chosen) ? 'is the same' : 'differs'} in ${environment}, and cannot be shown as text.`);
    return summary;
  }
  const left = toOrgFileUri(environment, chosen);
  ctx.compare.orgFiles.set(left, theirs);
  const right = vscode.Uri.file(mine);
  const title = `${path.posix.basename(chosen)} (${environment} ↔ local)`;
  await openDiffEditor(left, right, title);
  summary.opened = { title, left, right };
  return summary;
}

async function pickFile(ctx: Ctx, summary: LocalDiffSummary, folder: string): Promise<string | undefined> {
  const counts = `${summary.differing.length} differ, ${summary.identical.length} identical, ${summary.notInOrg.length} not in ${summary.environment}, ${summary.onlyInOrg.length} only in ${summary.environment}`;
  if (summary.differing.length === 0) {
    void ctx.prompts.info(`${folder} and ${summary.environment}: no file differs (${counts}).`);
    return undefined;
  }
  const items: Array<vscode.QuickPickItem & { rel?: string }> = [
    ...summary.differing.map((rel) => ({ label: path.posix.basename(rel), description: rel, rel })),
    ...(summary.notInOrg.length ? [{ label: `Not in ${summary.environment}`, kind: vscode.QuickPickItemKind.Separator }] : []),
    ...summary.notInOrg.map((rel) => ({ label: path.posix.basename(rel), description: rel, detail: `Not in ${summary.environment}` })),
    ...(summary.onlyInOrg.length ? [{ label: `Only in ${summary.environment}`, kind: vscode.QuickPickItemKind.Separator }] : []),
    ...summary.onlyInOrg.map((rel) => ({ label: path.posix.basename(rel), description: rel, detail: `Only in ${summary.environment}` })),
  ];
  const pick = await ctx.prompts.pick(items, { title: `${folder} ↔ ${summary.environment}: ${counts}`, placeHolder: 'Pick a differing file to open its diff' });
  return pick?.rel;
}
