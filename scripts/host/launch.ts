/**
 * One launcher for every tier that needs a real VS Code: the extension-host test runner, the e2e
 * tests and the demo. It starts, in order: the org emulator (prod, uat, dev), a private HOME with
 * those orgs authorized under their aliases, a workspace folder, code-server, and optionally
 * headless Chromium on the workbench. `stop()` undoes all of it, in reverse order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../../test/emulator/index';
import { launchBrowser, openWorkbench, workbenchUrl } from './browser';
import { startCodeServer, type CodeServer } from './code-server';
import { startTestEmulator, type EmulatorHandoff, type TestEmulatorOptions, type TestOrg } from './emulator';
import { linkExtension } from './link-extension';
import { HOST, requireHostTools } from './paths';
import { Teardown } from './processes';
import { authorizeInHome, sfEnv } from './sf-home';

export interface LaunchOptions {
  /** Folder for home/, workspace/ and code-server state; a new temp folder (removed on stop) by default. */
  baseDir?: string;
  emulator?: TestEmulatorOptions;
  /**
   * Stop the emulator once the orgs are authorized (the extension-host runner restarts an identical one
   * inside the extension host, so its tests can inject faults). Default false.
   */
  handOffEmulator?: boolean;
  /** Fills the (empty or existing) workspace folder; gets the emulated orgs. */
  prepareWorkspace: (dir: string, orgs: TestOrg[]) => void;
  /** Load the extension from this folder through the workbench URL's payload. */
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  /** Use this extensions folder (e.g. with the packaged extension installed into it). */
  extensionsDir?: string;
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
  port?: number;
  /** Open the workbench in headless Chromium (default true). */
  browser?: boolean;
  echoServer?: boolean;
}

export interface Launched {
  emu?: Emulator;
  handoff: EmulatorHandoff;
  home: string;
  workspace: string;
  baseDir: string;
  server: CodeServer;
  /** Workbench URL (with the payload, when there is one). */
  url: string;
  browser?: Browser;
  page?: Page;
  /** Environment code-server runs with. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface Prepared {
  emu?: Emulator;
  handoff: EmulatorHandoff;
  home: string;
  workspace: string;
  baseDir: string;
  /** Environment for VS Code / its extension host: private HOME, sf settings, test hand-off. */
  env: NodeJS.ProcessEnv;
  teardown: Teardown;
}

/** Emulator, private HOME with the orgs authorized, workspace folder; what every VS Code launch needs first. */
export async function prepareOrgsAndWorkspace(
  opts: Pick<LaunchOptions, 'baseDir' | 'emulator' | 'handOffEmulator' | 'prepareWorkspace' | 'env'> & { testHandOff?: boolean },
): Promise<Prepared> {
  const teardown = new Teardown();
  const tempBase = !opts.baseDir;
  const baseDir = opts.baseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-vscode-'));
  if (tempBase) teardown.add('temp folder', () => fs.rmSync(baseDir, { recursive: true, force: true }));
  try {
    const { emu, handoff } = await startTestEmulator(opts.emulator);
    teardown.add('org emulator', () => emu.stop());
    const home = path.join(baseDir, 'home');
    await authorizeInHome(home, handoff.orgs);
    if (opts.handOffEmulator) await emu.stop();
    const workspace = path.join(baseDir, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    opts.prepareWorkspace(workspace, handoff.orgs);
    // The extension-host tests learn where the emulator is (test/extension/index.ts documents these).
    const testEnv = opts.testHandOff
      ? { CHANGELINE_TEST_EMULATOR: JSON.stringify(handoff), CHANGELINE_TEST_WORKSPACE: workspace }
      : {};
    const env = sfEnv(home, { ...process.env, ...opts.env, ...testEnv });
    return { emu: opts.handOffEmulator ? undefined : emu, handoff, home, workspace, baseDir, env, teardown };
  } catch (e) {
    await teardown.run();
    throw e;
  }
}

export async function launchVsCode(opts: LaunchOptions): Promise<Launched> {
  requireHostTools();
  const prep = await prepareOrgsAndWorkspace({ ...opts, testHandOff: !!opts.extensionTestsPath });
  const { teardown, workspace, env } = prep;
  try {
    const stateDir = path.join(prep.baseDir, 'code-server');
    let extensionsDir = opts.extensionsDir;
    let extensionDevelopmentPath = opts.extensionDevelopmentPath;
    let smokeTestDriver = false;
    if (HOST.payloadNeedsSmokeTestDriver && extensionDevelopmentPath) {
      if (opts.extensionTestsPath) smokeTestDriver = true;
      else {
        // Without tests to run, load the extension as installed, keeping notification toasts on.
        extensionsDir ??= path.join(stateDir, 'extensions');
        linkExtension(extensionsDir, extensionDevelopmentPath);
        extensionDevelopmentPath = undefined;
      }
    }
    const server = await startCodeServer({
      workspace,
      stateDir,
      extensionsDir,
      env,
      port: opts.port,
      echo: opts.echoServer,
      smokeTestDriver,
    });
    teardown.add('code-server', () => server.stop());
    const url = workbenchUrl({
      origin: server.origin,
      folder: workspace,
      extensionDevelopmentPath,
      extensionTestsPath: opts.extensionTestsPath,
    });
    let browser: Browser | undefined;
    let page: Page | undefined;
    if (opts.browser !== false) {
      browser = await launchBrowser();
      teardown.add('browser', () => browser!.close());
      page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await openWorkbench(page, url);
    }
    return {
      emu: prep.emu,
      handoff: prep.handoff,
      home: prep.home,
      workspace,
      baseDir: prep.baseDir,
      server,
      url,
      browser,
      page,
      env,
      stop: () => teardown.run(),
    };
  } catch (e) {
    await teardown.run();
    throw e;
  }
}

/** A workspace preparer that copies a folder (e.g. test/fixtures/workspace). */
export function copyFolder(from: string): (dir: string) => void {
  return (dir) => {
    if (!fs.existsSync(from)) throw new Error(`Fixture folder ${from} does not exist`);
    fs.cpSync(from, dir, { recursive: true });
  };
}
