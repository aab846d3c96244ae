/** Debian's Chromium driven by playwright-core, and the URLs that open the VS Code workbench. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, requireFile } from './paths';

export async function launchBrowser(): Promise<Browser> {
  requireFile(CHROMIUM, 'run `bash scripts/install-test-deps.sh` to install chromium (or set CHANGELINE_CHROMIUM)');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: process.env.CHANGELINE_HEADFUL !== '1',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface WorkbenchTarget {
  /** http://127.0.0.1:PORT of the code-server serving the workbench. */
  origin: string;
  /** Absolute folder path on the server. */
  folder: string;
  /** Load the extension from this folder (as `code --extensionDevelopmentPath`). */
  extensionDevelopmentPath?: string;
  /** Run this mocha entry's `run()` in the extension host (as `code --extensionTestsPath`). */
  extensionTestsPath?: string;
}

/**
 * The workbench URL. VS Code's web workbench reads extensionDevelopmentPath/extensionTestsPath from
 * the `payload` parameter; they are vscode-remote URIs whose authority is the address the browser uses.
 */
export function workbenchUrl(t: WorkbenchTarget): string {
  const authority = new URL(t.origin).host;
  const remote = (p: string) => `vscode-remote://${authority}${p}`;
  const payload: Array<[string, string]> = [];
  if (t.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(t.extensionDevelopmentPath)]);
  if (t.extensionTestsPath) payload.push(['extensionTestsPath', remote(t.extensionTestsPath)]);
  const q = new URLSearchParams({ folder: t.folder });
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${t.origin}/?${q.toString()}`;
}

/** Loads the workbench and waits until its shell is on screen. */
export async function openWorkbench(page: Page, url: string, timeoutMs = 90_000): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
}
