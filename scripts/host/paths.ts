/**
 * Where things are: the project root, the code-server install (scripts/install-test-deps.sh),
 * the browser, and the test output folders. Shared by the test runner, the e2e tests and the demo.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_BIN = path.join(ROOT, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.CHANGELINE_CHROMIUM ?? '/usr/bin/chromium';
export const TEST_OUTPUT = path.join(ROOT, 'test-output');
export const SCREENSHOTS = path.join(TEST_OUTPUT, 'screenshots');
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

export function requireHostTools(): void {
  requireFile(CODE_SERVER_BIN, 'run `bash scripts/install-test-deps.sh` to install code-server');
  requireFile(CHROMIUM, 'run `bash scripts/install-test-deps.sh` to install chromium (or set CHANGELINE_CHROMIUM)');
}

export function requireBuilt(): void {
  requireFile(EXTENSION_BUNDLE, 'run `npm run build` first');
  requireFile(AUTHORIZE_SCRIPT, 'run `npm run compile` first');
}
