#!/usr/bin/env node
/**
 * The same extension-host tests (out/test/extension/index.js) in desktop VS Code through
 * @vscode/test-electron, for machines that can download VS Code (this project's CI cannot: it uses
 * scripts/run-vscode-tests.ts with code-server). Same preparation: emulated orgs authorized in a private
 * HOME, a copy of test/fixtures/workspace, the CHANGELINE_TEST_* variables for the extension host.
 *
 *   npm run test:electron   [-- --grep TEXT] [--vscode-version 1.100.3]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFolder, prepareOrgsAndWorkspace } from './host/launch';
import { EXTENSION_TESTS_ENTRY, ROOT, TEST_OUTPUT, requireBuilt, requireFile } from './host/paths';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let grep: string | undefined;
  let version = '1.100.3';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--grep') grep = argv[++i];
    else if (argv[i] === '--vscode-version') version = argv[++i];
    else throw new Error(`Unknown option ${argv[i]} (expected --grep TEXT, --vscode-version V)`);
  }
  requireBuilt();
  requireFile(EXTENSION_TESTS_ENTRY, 'run `npm run compile` first');
  const fixture = path.join(ROOT, 'test', 'fixtures', 'workspace');
  const resultsDir = path.join(TEST_OUTPUT, 'vscode-tests-electron');
  fs.mkdirSync(resultsDir, { recursive: true });
  const resultsFile = path.join(resultsDir, 'results.json');
  fs.rmSync(resultsFile, { force: true });
  const { runTests } = await import('@vscode/test-electron');
  const prep = await prepareOrgsAndWorkspace({
    emulator: { seed: 1, components: 60, jobStepMs: 20 },
    handOffEmulator: true,
    prepareWorkspace: copyFolder(fixture),
    env: { CHANGELINE_TEST_RESULTS: resultsFile, ...(grep ? { CHANGELINE_TEST_GREP: grep } : {}) },
    testHandOff: true,
  });
  try {
    const extensionTestsEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(prep.env)) {
      if (v !== undefined && (k === 'HOME' || k.startsWith('SF_') || k.startsWith('CHANGELINE_'))) extensionTestsEnv[k] = v;
    }
    const code = await runTests({
      version,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: EXTENSION_TESTS_ENTRY,
      extensionTestsEnv,
      launchArgs: [prep.workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(prep.baseDir, 'user-data')],
    });
    return code;
  } catch (e) {
    process.stderr.write(`run-vscode-tests-electron: ${(e as Error)?.message ?? e}\n`);
    return 1;
  } finally {
    await prep.teardown.run();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`run-vscode-tests-electron: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  },
);
