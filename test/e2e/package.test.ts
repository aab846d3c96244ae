/**
 * The packaged artifact, as a user gets it: `vsce package` builds the .vsix, code-server installs it
 * like any extension, and a workbench WITHOUT the development path shows the environments. This
 * catches a .vscodeignore allow-list that leaves out a file the bundle needs at run time.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { installExtension } from '../../scripts/host/code-server';
import { ROOT, TEST_OUTPUT } from '../../scripts/host/paths';
import { sfEnv } from '../../scripts/host/sf-home';
import { screenshotOnFailure, startE2E, type E2ESession } from './helpers/session';

const run = promisify(execFile);
const VSIX = path.join(TEST_OUTPUT, 'changeline.vsix');

describe('e2e: the packaged extension (.vsix)', function () {
  this.timeout(300_000);
  let extensionsDir: string;
  let s: E2ESession | undefined;
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const installedDir = () => path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);

  before(async () => {
    extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-exts-'));
  });
  afterEach(async function () {
    await screenshotOnFailure(this, s);
  });
  after(async () => {
    await s?.launched.stop();
    fs.rmSync(extensionsDir, { recursive: true, force: true });
  });

  it('packages with vsce, offline, without node_modules', async () => {
    fs.mkdirSync(TEST_OUTPUT, { recursive: true });
    fs.rmSync(VSIX, { force: true });
    const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
    await run(vsce, ['package', '--no-dependencies', '--out', VSIX], { cwd: ROOT, timeout: 180_000 });
    assert.ok(fs.statSync(VSIX).size > 0, 'the .vsix was written');
    const { stdout } = await run(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, timeout: 60_000 });
    const files = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const bundle of ['dist/extension.js', 'dist/salesforce.js', 'dist/zip-digest-worker.js', 'media/changeline.png']) assert.ok(files.includes(bundle), `${bundle} is packed: ${files.join(', ')}`);
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('node_modules/') || f.startsWith('test/')), `no sources, tests or node_modules: ${files.join(', ')}`);
  });

  it('installs into code-server like any extension', async () => {
    const out = await installExtension(VSIX, extensionsDir, sfEnv(os.tmpdir()));
    assert.match(out, /successfully installed/i);
    assert.ok(fs.existsSync(path.join(installedDir(), 'dist', 'extension.js')), 'dist/extension.js is installed');
    assert.ok(fs.existsSync(path.join(installedDir(), 'package.json')), 'package.json is installed');
  });

  it('shows the environments from the installed extension, connected to their orgs', async () => {
    s = await startE2E({ extensionsDir });
    await s.wb.openViewContainer('Changeline', 'Environments');
    const rows = await s.wb.waitForRows('Environments', 'three connected environments', (r) =>
      r.length === 3 && r.every((x) => /· connected$/.test(x.description)),
    );
    assert.deepEqual(rows.map((r) => r.label), ['Dev', 'UAT', 'Production']);
    assert.ok(rows[0].description.startsWith(s.username('dev')), rows[0].description);
    await s.wb.screenshot('packaged-extension');
  });
});
