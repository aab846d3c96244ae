/** code-server (VS Code's server build; the host paths.ts picks) on loopback with throwaway state. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CODE_SERVER_BIN, requireCodeServer } from './paths';
import { canListen, freePort, httpStatus, startGroup, waitFor, type Started } from './processes';

export interface CodeServerOptions {
  /** Folder opened by default (the workbench URL can name another one). */
  workspace: string;
  /** Parent of user-data/ and extensions/ unless those are given. */
  stateDir: string;
  userDataDir?: string;
  extensionsDir?: string;
  env: NodeJS.ProcessEnv;
  port?: number;
  /** Copy the server's output to stderr (debugging). */
  echo?: boolean;
  /**
   * VS Code's --enable-smoke-test-driver (through code-server's --vscode-option; only code-server
   * versions that have that option, see VsCodeHost.payloadNeedsSmokeTestDriver).
   */
  smokeTestDriver?: boolean;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  extensionsDir: string;
  userDataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  requireCodeServer();
  const port = opts.port ?? (await freePort());
  if (opts.port !== undefined && !(await canListen(port))) {
    throw new Error(`Port ${port} on 127.0.0.1 is already in use: stop what uses it or choose another port (--port N)`);
  }
  const userDataDir = opts.userDataDir ?? path.join(opts.stateDir, 'user-data');
  const extensionsDir = opts.extensionsDir ?? path.join(opts.stateDir, 'extensions');
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir);
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    opts.workspace,
  ];
  const proc: Started = startGroup(CODE_SERVER_BIN, args, { env: opts.env, cwd: opts.workspace, echo: opts.echo });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitFor('code-server to serve ' + origin, 60_000, async () => {
      if (proc.child.exitCode !== null) throw new Error(`code-server exited (${proc.child.exitCode}): ${proc.output().slice(-2000)}`);
      return (await httpStatus(`${origin}/healthz`)) === 200;
    });
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return { port, origin, extensionsDir, userDataDir, output: proc.output, stop: () => proc.stop() };
}

/**
 * Quiet workbench: no welcome page, no tips, no release notes, no extension recommendations; on newer
 * VS Code (the latest host) no AI chat side bar taking a third of the window either. Settings a host
 * does not know are ignored by it.
 */
function writeUserSettings(userDataDir: string): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'update.showReleaseNotes': false,
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    'window.commandCenter': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

/** `code-server --install-extension <vsix>` into `extensionsDir`, as a user would install the packaged extension. */
export async function installExtension(vsix: string, extensionsDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  requireCodeServer();
  const { stdout, stderr } = await promisify(execFile)(
    CODE_SERVER_BIN,
    ['--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
    { env, timeout: 120_000 },
  );
  return `${stdout}${stderr}`;
}
