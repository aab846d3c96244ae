/**
 * Mocha entry that VS Code's extension host runs (`extensionTestsPath` → `run()`): it runs every
 * `out/test/extension/**\/*.test.js` with the BDD interface and the spec reporter, INSIDE the real
 * extension host, so tests use the real `vscode` API against the loaded extension.
 *
 * Started by `scripts/run-vscode-tests.ts` (code-server + Chromium, offline) or
 * `scripts/run-vscode-tests-electron.ts` (@vscode/test-electron, needs a VS Code download).
 * Both set this environment for the extension host:
 *
 *   HOME                          a throwaway folder whose sf state (~/.sfdx) holds three emulated orgs,
 *                                 authorized under the aliases `prod`, `uat`, `dev`
 *   SF_USE_GENERIC_UNIX_KEYCHAIN  `true` (tokens in ~/.sfdx/key.json; the product itself never sets it)
 *   SF_DISABLE_LOG_FILE           `true`
 *   CHANGELINE_TEST_EMULATOR      JSON `EmulatorHandoff` (scripts/host/emulator.ts):
 *                                 {portBase, orgNames, seed?, components?, jobStepMs?,
 *                                  orgs:[{alias, instanceUrl, username, accessToken, orgId, isSandbox}]}
 *   CHANGELINE_TEST_WORKSPACE     the opened folder: a fresh copy of test/fixtures/workspace
 *   CHANGELINE_TEST_RESULTS       file this runner writes: {passed, failed, pending, failures[], output}
 *   CHANGELINE_TEST_GREP          optional: only tests whose full title matches (mocha --grep)
 *
 * Before mocha starts, `run()` starts the emulator IN THIS PROCESS on the same ports with the same
 * (deterministic) tokens the authorizations were made against, so tests can inject faults:
 *
 *   import { testEmulator, testOrg } from './index';
 *   testEmulator().org('dev').faults.sessionExpired = true;   // then restore in afterEach
 *   await testEmulator().org('uat').setDown(true);
 *   testOrg('dev').username                                   // admin@dev.changeline.test
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { Emulator } from '../emulator/index';
import type { EmulatorHandoff, TestOrg } from '../../scripts/host/emulator';

/** One emulated org as authorized in HOME; the same shape the runner hands over. */
export type HandoffOrg = TestOrg;
type Handoff = EmulatorHandoff;

export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  failures: Array<{ title: string; message: string; stack?: string }>;
  /** The spec reporter's lines. */
  output: string;
}

let emulator: Emulator | undefined;

function handoff(): Handoff | undefined {
  const raw = process.env.CHANGELINE_TEST_EMULATOR;
  if (!raw) return undefined;
  const h = JSON.parse(raw) as Handoff;
  if (!Number.isInteger(h.portBase) || !Array.isArray(h.orgs)) throw new Error('CHANGELINE_TEST_EMULATOR is not a valid handoff');
  return h;
}

/** The emulator serving the orgs authorized in HOME (started by `run()` before the tests). */
export function testEmulator(): Emulator {
  if (!emulator) throw new Error('No test emulator: run the tests through scripts/run-vscode-tests (CHANGELINE_TEST_EMULATOR unset)');
  return emulator;
}

/** The emulated org authorized under `alias` (`prod`, `uat`, `dev`). */
export function testOrg(alias: string): HandoffOrg {
  const o = handoff()?.orgs.find((x) => x.alias === alias);
  if (!o) throw new Error(`No test org with alias ${alias}`);
  return o;
}

/** Path of the opened test workspace folder. */
export function testWorkspace(): string {
  const w = process.env.CHANGELINE_TEST_WORKSPACE;
  if (!w) throw new Error('CHANGELINE_TEST_WORKSPACE is not set');
  return w;
}

function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

async function startEmulator(h: Handoff): Promise<Emulator> {
  return Emulator.start({
    orgs: h.orgNames,
    portBase: h.portBase,
    seed: h.seed,
    components: h.components,
    settings: h.jobStepMs !== undefined ? { jobStepMs: h.jobStepMs } : undefined,
  });
}

export async function run(): Promise<void> {
  const started = Date.now();
  const resultsFile = process.env.CHANGELINE_TEST_RESULTS;
  const lines: string[] = [];
  const failures: TestResults['failures'] = [];
  const Base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void; useColors: boolean };
  const originalLog = Base.consoleLog;
  let stats = { passes: 0, failures: 0, pending: 0 };
  try {
    const h = handoff();
    if (h) emulator = await startEmulator(h);
    // forbidOnly: an `it.only` left in a test file fails the run instead of silently skipping the rest.
    const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, forbidOnly: true });
    if (process.env.CHANGELINE_TEST_GREP) mocha.grep(process.env.CHANGELINE_TEST_GREP);
    const files = testFiles(__dirname);
    for (const f of files) mocha.addFile(f);
    Base.useColors = false;
    Base.consoleLog = (...args: unknown[]) => {
      const text = format(...args);
      lines.push(text);
      originalLog(...args);
    };
    if (files.length === 0) lines.push(`No test files under ${__dirname}`);
    await new Promise<void>((resolve, reject) => {
      try {
        const runner = mocha.run(() => resolve());
        runner.on('fail', (test, err: Error) => {
          failures.push({ title: test.fullTitle(), message: String(err?.message ?? err), stack: err?.stack });
        });
        runner.on('end', () => {
          stats = { passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 };
        });
      } catch (e) {
        reject(e);
      }
    });
  } catch (e) {
    // A crash before or while loading the tests (syntax error, emulator port taken, ...) is a failure too.
    failures.push({ title: 'extension test runner', message: String((e as Error)?.message ?? e), stack: (e as Error)?.stack });
    stats.failures = Math.max(stats.failures, failures.length);
  } finally {
    Base.consoleLog = originalLog;
    await emulator?.stop().catch(() => undefined);
    emulator = undefined;
  }
  const results: TestResults = {
    passed: stats.passes,
    failed: stats.failures,
    pending: stats.pending,
    durationMs: Date.now() - started,
    failures,
    output: lines.join('\n'),
  };
  if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  if (results.failed > 0) throw new Error(`${results.failed} extension test(s) failed`);
}
