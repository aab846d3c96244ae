/**
 * The compare workflow with no editor present: plain Node, the real Salesforce layer (sessions
 * opened from sf aliases, @salesforce/core + SDR) against two emulated orgs, state in a folder
 * on disk. This is what the `changeline` CLI runs, and what the editor's Compare command runs
 * under its progress notification.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancelledError } from '../../src/core/cancelled';
import { SILENT_LOG } from '../../src/core/log-sink';
import type { Environment } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { compareEnvironments } from '../../src/workflows/compare/run';
import { CompareStore } from '../../src/workflows/compare/store';
import { OrgSessions } from '../../src/workflows/sessions';
import { NodeFileStore } from '../../src/workflows/storage';
import { seedDifferences } from '../emulator/seed';
import { startEmulator, rejection, type StartedEmulator } from './helpers/emulator';

const SEED = 11;
const COMPONENTS = 120;

describe('compare workflow in plain Node (no editor)', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let dir: string;
  const expected = seedDifferences(SEED, COMPONENTS, 1);
  const environments: Environment[] = [
    { name: 'UAT', org: 'wf-uat', role: 'staging' },
    { name: 'Dev', org: 'wf-dev', role: 'development', next: 'UAT' },
  ];
  const deps = () => {
    const sessions = new OrgSessions({ environment: (name) => environments.find((e) => e.name === name) }, async () => salesforce);
    return { sessions, salesforce: async () => salesforce, log: SILENT_LOG, store: new CompareStore(new NodeFileStore(dir), SILENT_LOG) };
  };
  const request = { sourceEnv: 'UAT', targetEnv: 'Dev', scope: {}, scopeLabel: 'All metadata types' };

  before(async () => {
    env = await startEmulator({ orgs: ['uat', 'dev'], seed: SEED, components: COMPONENTS, aliasPrefix: 'wf-' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-workflow-'));
  });
  after(async () => {
    await env?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compares two environments, reports progress, and saves the cache and the result on disk', async () => {
    const messages: string[] = [];
    const { result, view } = await compareEnvironments(deps(), request, { onProgress: (p) => messages.push(p.message) });
    const changed = result.items.filter((i) => i.status === 'different').map((i) => `${i.type}:${i.fullName}`).sort();
    assert.deepEqual(changed, expected.changed.map((c) => `${c.type}:${c.fullName}`).sort());
    assert.equal(result.items.filter((i) => i.status === 'only-in-source').length, expected.onlyInBase.length);
    assert.equal(result.fromCacheCount, 0);
    assert.equal(messages[0], 'Connecting…');
    assert.ok(messages.some((m) => /^Retrieving \d+\/\d+ components…/.test(m)), messages.slice(-3).join('\n'));
    const files = fs.readdirSync(dir).sort();
    assert.ok(files.includes('result-UAT--Dev.json'), files.join());
    assert.equal(files.filter((f) => f.startsWith('cache-')).length, 2, files.join());
    assert.equal(view.items.length, result.items.length);
  });

  it('a second run in a new process state reads the cache from disk and retrieves nothing unchanged', async () => {
    const d = deps();
    const { result } = await compareEnvironments(d, request);
    assert.equal(result.retrievedCount, 0, 'every component came from the saved cache');
    assert.ok(result.fromCacheCount > 0);
    assert.deepEqual((await d.store.loadResult('UAT', 'Dev'))?.items.length, result.items.length);
  });

  it('a cancelled run ends in CancelledError and leaves the saved result as it was', async () => {
    const before = fs.readFileSync(path.join(dir, 'result-UAT--Dev.json'), 'utf8');
    const abort = new AbortController();
    const run = compareEnvironments(deps(), { ...request, full: true }, { signal: abort.signal, onProgress: (p) => p.message.startsWith('Retrieving') && abort.abort() });
    const err = await rejection(run);
    assert.ok(err instanceof CancelledError, `${err.name}: ${err.message}`);
    assert.equal(err.message, 'Compare cancelled.');
    assert.equal(fs.readFileSync(path.join(dir, 'result-UAT--Dev.json'), 'utf8'), before);
  });

  it('an environment missing from the pipeline is named in the error', async () => {
    const err = await rejection(compareEnvironments(deps(), { ...request, targetEnv: 'Prod' }));
    assert.match(err.message, /no environment named "Prod"/);
  });
});
