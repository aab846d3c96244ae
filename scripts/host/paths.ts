/**
 * Where things are: the project root, the VS Code hosts (code-server installs made by
 * scripts/install-test-deps.sh), the browser, and the test output folders. Shared by the test
 * runner, the e2e tests, the benches and the demo.
 *
 * Two hosts; CHANGELINE_VSCODE_HOST picks one for everything started from this process (default floor):
 *   floor   code-server 4.100.3 = VS Code 1.100.3, the machine's Node 20 (the engines.vscode floor)
 *   latest  code-server 4.139.1 = VS Code 1.139.1, Node 24 (the newest code-server on the npm registry)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHostName, type HostName } from './host-name';

export { HOST_NAMES, parseHostName, type HostName } from './host-name';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'changeline') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`Cannot find the changeline project root above ${start}`);
    dir = up;
  }
}

export const ROOT = findRoot(__dirname);

export interface VsCodeHost {
  name: HostName;
  codeServerVersion: string;
  vscodeVersion: string;
  /** Node major the extension host runs. */
  nodeMajor: number;
  /** The code-server executable (for latest, a wrapper that runs it with its own Node). */
  bin: string;
  /** Suffix for this host's output folders ('' for floor, so existing paths stay). */
  suffix: string;
  /**
   * This host's built web workbench reads extensionDevelopmentPath/extensionTestsPath from the URL's
   * payload only with VS Code's smoke-test driver enabled (workbench.js: `payload && (!isBuilt ||
   * enableSmokeTestDriver)`), and that driver also stops notification toasts. So on this host the
   * extension-host runner enables the driver (its tests use no toasts), and the e2e tests load the
   * extension as installed, linked into the extensions folder (scripts/host/launch.ts).
   */
  payloadNeedsSmokeTestDriver: boolean;
}

export const VSCODE_HOSTS: Record<HostName, VsCodeHost> = {
  floor: {
    name: 'floor',
    codeServerVersion: '4.100.3',
    vscodeVersion: '1.100.3',
    nodeMajor: 20,
    bin: path.join(ROOT, '.cache', 'code-server', 'node_modules', '.bin', 'code-server'),
    suffix: '',
    payloadNeedsSmokeTestDriver: false,
  },
  latest: {
    name: 'latest',
    codeServerVersion: '4.139.1',
    vscodeVersion: '1.139.1',
    nodeMajor: 24,
    bin: path.join(ROOT, '.cache', 'code-server-latest', 'bin', 'code-server'),
    suffix: '-latest',
    payloadNeedsSmokeTestDriver: true,
  },
};

/** The host this process uses: CHANGELINE_VSCODE_HOST (floor or latest), floor when unset. */
export const HOST: VsCodeHost = VSCODE_HOSTS[parseHostName(process.env.CHANGELINE_VSCODE_HOST || 'floor')];
export const CODE_SERVER_VERSION = HOST.codeServerVersion;
export const CODE_SERVER_BIN = HOST.bin;
export const CHROMIUM = process.env.CHANGELINE_CHROMIUM ?? '/usr/bin/chromium';
export const TEST_OUTPUT = path.join(ROOT, 'test-output');
export const SCREENSHOTS = path.join(TEST_OUTPUT, `screenshots${HOST.suffix}`);
/** Where the extension-host runner on `host` keeps results, logs and the figures benches read. */
export function vscodeTestsOutput(host: VsCodeHost): string {
  return path.join(TEST_OUTPUT, `vscode-tests${host.suffix}`);
}
export const VSCODE_TESTS_OUTPUT = vscodeTestsOutput(HOST);
/** The mocha entry VS Code's extension host runs (compiled from test/extension/index.ts). */
export const EXTENSION_TESTS_ENTRY = path.join(ROOT, 'out', 'test', 'extension', 'index.js');
/** The extension bundle `npm run build` writes (package.json `main`). */
export const EXTENSION_BUNDLE = path.join(ROOT, 'dist', 'extension.js');
/** Child script that authorizes orgs in a private sf state folder (compiled from scripts/host/authorize-orgs.ts). */
export const AUTHORIZE_SCRIPT = path.join(ROOT, 'out', 'scripts', 'host', 'authorize-orgs.js');

/** Fails with an actionable message when a prerequisite is missing. */
export function requireFile(file: string, remedy: string): void {
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file) || file} is missing: ${remedy}`);
}

export function requireCodeServer(): void {
  requireFile(CODE_SERVER_BIN, `run \`bash scripts/install-test-deps.sh\` to install code-server ${HOST.codeServerVersion} (the ${HOST.name} host)`);
}

export function requireHostTools(): void {
  requireCodeServer();
  requireFile(CHROMIUM, 'run `bash scripts/install-test-deps.sh` to install chromium (or set CHANGELINE_CHROMIUM)');
}

export function requireBuilt(): void {
  requireFile(EXTENSION_BUNDLE, 'run `npm run build` first');
  requireFile(AUTHORIZE_SCRIPT, 'run `npm run compile` first');
}
