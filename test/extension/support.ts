/** Helpers shared by the extension-host tests (not a test file itself). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChangelineApi } from '../../src/extension';

export const EXTENSION_ID = 'changeline.changeline';

export async function changeline(): Promise<ChangelineApi> {
  const ext = vscode.extensions.getExtension<ChangelineApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  return ext.isActive ? ext.exports : ext.activate();
}

export function workspaceFolder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests need the fixture workspace open');
  return f.uri;
}

export function pipelineUri(): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), '.changeline', 'pipeline.json');
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Labels and descriptions of the top-level items of the Environments tree, as VS Code gets them. */
export function treeItems(api: ChangelineApi): vscode.TreeItem[] {
  return (api.provider.getChildren() ?? []).map((n) => api.provider.getTreeItem(n) as vscode.TreeItem);
}

export function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/**
 * How long to wait for a webview panel's script to start. In code-server, VS Code web's webview
 * service worker sometimes answers a resource request only after its 30 s timeout, which holds
 * the page's script until then (seen in CI); a wait, not a speed check (the bench measures that).
 */
export const WEBVIEW_BOOT_MS = 90_000;
