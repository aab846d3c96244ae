/** Helpers for the change request extension-host tests (not a test file itself). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChangeRequest } from '../../src/core/change-requests';
import type { ChangelineApi } from '../../src/extension';
import type { Prompts } from '../../src/prompts';
import type { TreeNode } from '../../src/views/nodes';
import { testEmulator } from './index';
import { changeline, label } from './support';

/** What the commands told the user, and scripted answers to their questions. */
export class ScriptedPrompts {
  readonly said: string[] = [];
  /** Answer to the next warnings with buttons (e.g. 'Install…'); undefined = dismissed. */
  warnAnswer: string | undefined;
  confirmAnswer = true;
  /** Answers to modal questions with several actions, in order (none left: the first action if confirmAnswer, else cancelled). */
  asks: string[] = [];
  /** Labels to pick, in order, for quick picks. */
  picks: string[] = [];
  /** Answers to input boxes, in order (none left = dismissed). */
  inputs: string[] = [];
  /** What each input box's live validation said about an empty answer. */
  emptyInputChecks: Array<string | undefined> = [];
  private saved?: Prompts;

  install(api: ChangelineApi): void {
    const p = api.prompts;
    this.saved = { ...p };
    p.warn = async (m, ...actions) => {
      this.said.push(m);
      return actions.length ? this.warnAnswer : undefined;
    };
    p.info = async (m) => {
      this.said.push(m);
      return undefined;
    };
    p.confirm = async (m) => {
      this.said.push(m);
      return this.confirmAnswer;
    };
    p.ask = async (m, _detail, ...actions) => {
      this.said.push(m);
      const scripted = this.asks.shift();
      if (scripted !== undefined) {
        if (!actions.includes(scripted)) throw new Error(`the question "${m}" does not offer ${scripted} (${actions.join(', ')})`);
        return scripted;
      }
      return this.confirmAnswer ? actions[0] : undefined;
    };
    p.input = async (o) => {
      this.said.push(`input: ${o.title ?? ''} ${o.prompt ?? ''}`);
      const check = await o.validateInput?.('');
      this.emptyInputChecks.push(typeof check === 'string' ? check : (check ?? undefined)?.message);
      return this.inputs.shift();
    };
    /** The scripted label, or undefined (dismissed) when none is scripted; a scripted label not offered fails. */
    const pickLabel = <T extends vscode.QuickPickItem>(items: readonly T[], title?: string): T | undefined => {
      this.said.push(`pick: ${title ?? ''}`);
      const want = this.picks.shift();
      if (want === undefined) return undefined;
      const found = items.find((i) => i.label === want);
      if (!found) throw new Error(`quick pick "${title ?? ''}" does not offer ${want} (${items.map((i) => i.label).join(', ')})`);
      return found;
    };
    p.pick = async (items, o) => pickLabel(items, o.title ?? o.placeHolder);
    p.pickMany = async (items, o) => {
      const one = pickLabel(items, o.title ?? o.placeHolder);
      return one && [one];
    };
  }

  restore(api: ChangelineApi): void {
    if (this.saved) Object.assign(api.prompts, this.saved);
  }

  clear(): void {
    this.said.length = 0;
    this.warnAnswer = undefined;
    this.confirmAnswer = true;
    this.asks = [];
    this.picks = [];
    this.inputs = [];
    this.emptyInputChecks = [];
  }
}

export interface ShownNode {
  node: TreeNode;
  item: vscode.TreeItem;
  label: string;
}

function show(api: ChangelineApi, nodes: TreeNode[] | null | undefined): ShownNode[] {
  return (nodes ?? []).map((node) => {
    const item = api.provider.getTreeItem(node) as vscode.TreeItem;
    return { node, item, label: label(item) };
  });
}

/** Every row under an environment once its change requests are loaded (the Deployments row last). */
export async function allEnvChildren(api: ChangelineApi, env: string): Promise<ShownNode[]> {
  await api.changeRequests.whenLoaded(env);
  api.provider.getChildren();
  const node = api.provider.nodeFor(env);
  if (!node) throw new Error(`environment ${env} is not in the tree`);
  return show(api, api.provider.getChildren(node) as TreeNode[]);
}

/** The change request rows under an environment once they are loaded (without the Queue, Deployment Log and Deployments rows). */
export async function envChildren(api: ChangelineApi, env: string): Promise<ShownNode[]> {
  return (await allEnvChildren(api, env)).filter((r) => !['deployments', 'deploymentLog', 'deploymentQueue'].includes(r.item.contextValue ?? ''));
}

/** The rows of one status group (e.g. 'Draft'), all pages expanded. */
export async function groupRows(api: ChangelineApi, env: string, status: string): Promise<ShownNode[]> {
  const group = (await envChildren(api, env)).find((r) => r.label.startsWith(`${status} (`));
  if (!group) return [];
  const rows: ShownNode[] = [];
  let next: ShownNode | undefined = group;
  while (next) {
    const kids = show(api, api.provider.getChildren(next.node) as TreeNode[]);
    next = kids.find((k) => k.item.contextValue === 'crShowMore');
    rows.push(...kids.filter((k) => k !== next));
  }
  return rows;
}

/**
 * Removes Changeline's tracking objects from an emulated org (as if never installed); the
 * returned function puts the removed components back.
 */
export function removeTracking(org: string): () => void {
  const store = testEmulator().org(org).store;
  const removed = store.allComponents().filter((c) => c.fullName.startsWith('Changeline_'));
  store.commitMetadata([], removed.map((c) => ({ type: c.type, fullName: c.fullName })), 'test');
  return () => {
    const now = store.allComponents().filter((c) => c.fullName.startsWith('Changeline_'));
    store.commitMetadata([], now.map((c) => ({ type: c.type, fullName: c.fullName })), 'test');
    store.loadComponents(removed);
  };
}

/** A name no other test run made. */
export function stamp(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** Runs a Changeline command (`changeline.<command>`) as the palette or a menu would. */
export const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T | undefined>(`changeline.${command}`, ...args);

/** Installs (or upgrades) change tracking in the environment's org unless it is current. */
export async function ensureTracking(api: ChangelineApi, env: string): Promise<void> {
  const sf = await api.salesforce();
  const s = await sf.trackingStatus((await api.sessions.get(env)).handle);
  if (s.installed && !s.upgradeAvailable) return;
  const r = await run<{ success: boolean }>('installTracking', env);
  assert.ok(r?.success, `installing tracking in ${env} failed`);
}

/** Creates a Feature CR through New Change Request (arguments, no prompts). */
export async function create(env: string, name: string, extra: Record<string, unknown> = {}): Promise<ChangeRequest> {
  const cr = await run<ChangeRequest>('newChangeRequest', { environment: env, name, changeType: 'Feature', ...extra });
  assert.ok(cr?.id, `creating "${name}" in ${env} failed`);
  return cr;
}

/**
 * The hooks every change request suite shares (call inside `describe`): the extension with its
 * authorizations, scripted prompts, tracking installed in `envs`; after each test the filter is
 * cleared and editors closed. `suite.api` is set once the `before` hook ran.
 */
export function changeRequestSuite(envs: readonly string[]): { readonly api: ChangelineApi; prompts: ScriptedPrompts } {
  const prompts = new ScriptedPrompts();
  let api: ChangelineApi | undefined;
  before(async () => {
    api = await changeline();
    await api.model.loadAuthorizations();
    prompts.install(api);
    for (const env of envs) await ensureTracking(api, env);
  });
  afterEach(async () => {
    prompts.clear();
    await run('clearChangeRequestFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => {
    if (api) prompts.restore(api);
  });
  return {
    prompts,
    get api(): ChangelineApi {
      assert.ok(api, 'the suite has not started');
      return api;
    },
  };
}
