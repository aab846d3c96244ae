/**
 * Producing and editing pipeline file text: a first draft from authorized orgs, adding and
 * removing an environment while keeping the user's formatting (jsonc-parser edits).
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions } from 'jsonc-parser';
import type { OrgAuthorization } from '../orgs';
import { PIPELINE_FILE_VERSION, ROLE_RANK, type Environment, type PipelineFile, type Role } from './types';

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

export function serializePipeline(file: PipelineFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

/** Role guessed from an alias or username: prod → production, uat/staging → staging, int/qa → integration. */
export function guessRole(label: string, isSandbox?: boolean): Role {
  const words = label.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const has = (...xs: string[]) => words.some((w) => xs.includes(w));
  if (has('uat', 'staging', 'stage', 'stg', 'preprod', 'partial', 'full')) return 'staging';
  if (has('int', 'integration', 'sit', 'qa', 'test')) return 'integration';
  if (has('prod', 'production', 'prd', 'live')) return 'production';
  if (isSandbox === false && !words.some((w) => w.startsWith('dev'))) return 'production';
  return 'development';
}

function displayName(label: string, role: Role): string {
  if (role === 'production') return 'Production';
  const base = label.split('@')[0].replace(/[._-]+/g, ' ').trim() || label;
  if (base.length <= 3) return base.toLowerCase() === 'dev' ? 'Dev' : base.toUpperCase();
  return base.charAt(0).toUpperCase() + base.slice(1);
}

/**
 * A first pipeline from the chosen orgs: roles guessed, one production at most, each
 * environment's `next` the first environment of the next higher role present.
 */
export function draftPipeline(orgs: readonly OrgAuthorization[]): PipelineFile {
  const used = new Set<string>();
  let production = false;
  const envs: Environment[] = orgs.map((o) => {
    const label = o.aliases[0] ?? o.username;
    let role = guessRole(label, o.isSandbox);
    if (role === 'production') {
      if (production) role = 'staging';
      production = true;
    }
    let name = displayName(label, role);
    for (let i = 2; used.has(name); i++) name = `${displayName(label, role)} ${i}`;
    used.add(name);
    return { name, org: label, role };
  });
  const sorted = [...envs].sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role]);
  for (const e of sorted) {
    const up = sorted.find((x) => ROLE_RANK[x.role] > ROLE_RANK[e.role]);
    if (up) e.next = up.name;
  }
  return { version: PIPELINE_FILE_VERSION, environments: sorted };
}

/** Appends an environment to `environments` (creating the file content when empty). */
export function addEnvironmentToText(text: string, env: Environment): string {
  if (text.trim() === '') return serializePipeline({ version: PIPELINE_FILE_VERSION, environments: [env] });
  const root = parseTree(text);
  if (!root || root.type !== 'object') throw new Error('The pipeline file is not a JSON object; fix it before adding an environment.');
  const list = findNodeAtLocation(root, ['environments']);
  const last = list?.type === 'array' ? list.children?.[list.children.length - 1] : undefined;
  if (last) {
    // Insert after the last entry with its indentation, leaving the rest of the text untouched.
    const lineStart = text.lastIndexOf('\n', last.offset) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, last.offset))![0];
    const body = JSON.stringify(env, null, 2).replace(/\n/g, `\n${indent}`);
    const at = last.offset + last.length;
    return `${text.slice(0, at)},\n${indent}${body}${text.slice(at)}`;
  }
  const edits =
    list && list.type === 'array'
      ? modify(text, ['environments', 0], env, { formattingOptions: FORMAT, isArrayInsertion: true })
      : modify(text, ['environments'], [env], { formattingOptions: FORMAT });
  return applyEdits(text, edits);
}

/**
 * Removes the named environment; environments whose `next` pointed to it now point to its own
 * `next` (or lose `next`), and connections naming it are removed.
 */
export function removeEnvironmentFromText(text: string, name: string): string {
  const root = parseTree(text);
  const list = root && findNodeAtLocation(root, ['environments']);
  if (!list || list.type !== 'array') throw new Error('The pipeline file has no "environments" array.');
  const items = list.children ?? [];
  const index = items.findIndex((n) => findNodeAtLocation(n, ['name'])?.value === name);
  if (index < 0) throw new Error(`There is no environment named "${name}" in the pipeline file.`);
  const removedNext = findNodeAtLocation(items[index], ['next'])?.value as unknown;

  let out = applyEdits(text, modify(text, ['environments', index], undefined, { formattingOptions: FORMAT }));
  // Re-link: after each edit re-parse, since offsets move.
  for (;;) {
    const r = parseTree(out);
    const envs = (r && findNodeAtLocation(r, ['environments'])?.children) ?? [];
    const i = envs.findIndex((n) => findNodeAtLocation(n, ['next'])?.value === name);
    if (i < 0) break;
    const value = typeof removedNext === 'string' && removedNext !== name ? removedNext : undefined;
    out = applyEdits(out, modify(out, ['environments', i, 'next'], value, { formattingOptions: FORMAT }));
  }
  for (;;) {
    const r = parseTree(out);
    const conns = (r && findNodeAtLocation(r, ['connections'])?.children) ?? [];
    const i = conns.findIndex((n) => findNodeAtLocation(n, ['from'])?.value === name || findNodeAtLocation(n, ['to'])?.value === name);
    if (i < 0) break;
    out = applyEdits(out, modify(out, ['connections', i], undefined, { formattingOptions: FORMAT }));
  }
  return out;
}
