#!/usr/bin/env node
/**
 * Runs the extension-host tests (test/extension/**\/*.test.ts) inside the real VS Code extension
 * host served by code-server, offline:
 *
 *   npm run test:extension            (= compile + build + this script)
 *   node out/scripts/run-vscode-tests.js [--host floor|latest] [--grep TEXT] [--timeout-min N] [--echo-server]
 *
 * --host picks the VS Code host (scripts/host/paths.ts: floor = VS Code 1.100 on Node 20, latest =
 * the newest code-server on Node 24); the default is CHANGELINE_VSCODE_HOST, else floor.
 *
 * Starts the org emulator, authorizes prod/uat/dev in a throwaway HOME, copies
 * test/fixtures/workspace to a temp folder, starts code-server and opens the workbench in headless
 * Chromium with extensionDevelopmentPath = this project and extensionTestsPath =
 * out/test/extension/index.js. That entry writes a results file; this script prints the spec output and
 * a final "N passed, N failed" line, exits 1 on failure or timeout, and stops everything it started.
 * Logs (code-server's output, VS Code's logs incl. the extension's log channel, results.json) are kept
 * in test-output/vscode-tests/ (test-output/vscode-tests-latest/ on the latest host).
 * Needs `bash scripts/install-test-deps.sh` (code-server + chromium) once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import './host/select-host-arg';
import { copyFolder, launchVsCode, type Launched } from './host/launch';
import { EXTENSION_TESTS_ENTRY, HOST, ROOT, VSCODE_TESTS_OUTPUT, requireBuilt, requireFile } from './host/paths';
import { waitFor } from './host/processes';
import type { TestResults } from '../test/extension/index';

interface Args {
  grep?: string;
  timeoutMin: number;
  echoServer: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { timeoutMin: 10, echoServer: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--host') i++; // applied by ./host/select-host-arg before the paths were read
    else if (k === '--grep') a.grep = argv[++i];
    else if (k === '--timeout-min') a.timeoutMin = Number(argv[++i]);
    else if (k === '--echo-server') a.echoServer = true;
    else throw new Error(`Unknown option ${k} (expected --host floor|latest, --grep TEXT, --timeout-min N, --echo-server)`);
  }
  if (!(a.timeoutMin > 0)) throw new Error('--timeout-min must be a positive number');
  return a;
}

type Results = TestResults;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  requireBuilt();
  requireFile(EXTENSION_TESTS_ENTRY, 'run `npm run compile` first');
  const fixture = path.join(ROOT, 'test', 'fixtures', 'workspace');
  requireFile(fixture, 'the fixture workspace test/fixtures/workspace is needed');
  const logDir = VSCODE_TESTS_OUTPUT;
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });
  const resultsFile = path.join(logDir, 'results.json');

  const started = Date.now();
  let session: Launched | undefined;
  const stop = async () => {
    if (!session) return;
    fs.writeFileSync(path.join(logDir, 'code-server.log'), session.server.output());
    // VS Code's own logs (extension host, the extension's log channel) for post-mortems.
    const logs = path.join(session.server.userDataDir, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(logDir, 'vscode-logs'), { recursive: true });
    const s = session;
    session = undefined;
    await s.stop();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`\n${sig}: stopping…\n`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    session = await launchVsCode({
      emulator: { seed: 1, components: 60, jobStepMs: 20 },
      handOffEmulator: true,
      prepareWorkspace: copyFolder(fixture),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: EXTENSION_TESTS_ENTRY,
      env: { CHANGELINE_TEST_RESULTS: resultsFile, ...(args.grep ? { CHANGELINE_TEST_GREP: args.grep } : {}) },
      echoServer: args.echoServer,
    });
    const s = session;
    const pageErrors: string[] = [];
    s.page?.on('pageerror', (e) => pageErrors.push(e.message));
    process.stdout.write(
      `VS Code ${HOST.vscodeVersion} (code-server ${HOST.codeServerVersion}, the ${HOST.name} host) at ${s.server.origin} (workspace ${s.workspace}); running extension tests…\n`,
    );
    await waitFor('the extension tests to finish', args.timeoutMin * 60_000, () => {
      if (s.server.output().includes('Error: listen EADDRINUSE')) throw new Error('code-server could not listen');
      return fs.existsSync(resultsFile);
    }, 500);
    // The runner writes the file in one call; a short pause guards against reading it half-written.
    await new Promise((r) => setTimeout(r, 200));
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Results;
    process.stdout.write(results.output.trimEnd() + '\n\n');
    for (const f of results.failures.filter((x) => !results.output.includes(x.message))) {
      process.stdout.write(`FAILED ${f.title}: ${f.message}\n${f.stack ?? ''}\n`);
    }
    const total = Math.round((Date.now() - started) / 1000);
    process.stdout.write(
      `extension tests on VS Code ${HOST.vscodeVersion}: ${results.passed} passed, ${results.failed} failed, ${results.pending} pending (${total} s including VS Code start-up)\n`,
    );
    if (results.passed + results.failed === 0) {
      process.stdout.write('No extension test ran: failing the tier.\n');
      return 1;
    }
    return results.failed > 0 ? 1 : 0;
  } catch (e) {
    process.stdout.write(`extension tests: 0 passed, 1 failed (${(e as Error)?.message ?? e})\n`);
    process.stdout.write(`code-server log: ${path.relative(ROOT, path.join(logDir, 'code-server.log'))}\n`);
    return 1;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`run-vscode-tests: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  },
);
