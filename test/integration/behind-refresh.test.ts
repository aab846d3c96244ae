/**
 * Deployments behind, counted again, against the emulator with source tracking in both orgs: when
 * nothing changed the second count uses the last fingerprints without comparing; a deploy made to
 * UAT out of band (SDR, as the sf CLI would) adds one at the next count, a change in Dev that
 * makes its component equal takes it off again, and one that makes another differ adds one.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { CompareStore } from '../../src/workflows/compare/store';
import { deploymentsBehind } from '../../src/workflows/promotion/behind';
import { rowsCache } from '../../src/workflows/promotion/history';
import { readDeploymentLog } from '../../src/workflows/promotion/log';
import { OrgSessions } from '../../src/workflows/sessions';
import { NodeFileStore } from '../../src/workflows/storage';
import type { WorkflowDeps } from '../../src/workflows/types';
import { startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

/** Polls until `check` holds (the state, not a fixed wait). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cls = (name: string, word: string) => `public with sharing class ${name} {\n    public static String greet(String who) {\n        return '${word}, ' + who;\n    }\n}\n`;

describe('deployments behind, counted again after out-of-band changes (source-tracked orgs)', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let pipeline: Pipeline;
  let deps: WorkflowDeps & { store: CompareStore };
  const cleanup: Array<() => void> = [];

  const deployClass = async (org: 'dev' | 'uat', name: string, word: string) => {
    const p = tempProject(`behind-refresh-${org}-`);
    cleanup.push(() => p.remove());
    writeClass(p, name, cls(name, word));
    const r = await salesforce.deploy(env.conns[org]!, { sourcePaths: [p.dir], pollMs: 20 });
    assert.ok(r.success, JSON.stringify(r.failures));
  };
  const count = () => deploymentsBehind(deps, 'Dev', 'UAT', { pipeline });

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'behind-refresh-', sourceTracking: true });
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'behind-refresh-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'behind-refresh-uat', role: 'staging' },
        ],
      }),
    );
    assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
    pipeline = r.pipeline;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'behind-refresh-store-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const store = new CompareStore(new NodeFileStore(dir), SILENT_LOG);
    const envs = pipeline.environments;
    deps = { sessions: new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG, store };
    // The same class in both orgs: UAT's deploy of it is nothing Dev lacks.
    await deployClass('dev', 'Greeter', 'Hello');
    await deployClass('uat', 'Greeter', 'Hello');
  });
  after(async () => {
    for (const c of cleanup) c();
    await env?.stop();
  });

  it('is level at first, and counting again with nothing changed gives the same without comparing', async () => {
    const first = await count();
    assert.equal(first.count, 0, JSON.stringify(first.deployments.map((e) => e.differing)));
    assert.equal(first.history.length, 1);
    assert.notEqual(first.reused, true, 'the first count compares');
    const again = await count();
    assert.equal(again.count, 0);
    assert.equal(again.reused, true, 'nothing changed in either org nor in the history');
  });

  it('counts one more after a deploy made to UAT out of band with SDR, at the next count', async () => {
    await deployClass('uat', 'Hotfix', 'Hi');
    const r = await count();
    assert.equal(r.count, 1);
    assert.notEqual(r.reused, true);
    assert.equal(r.deployments[0].deployment.source, 'out-of-band');
    assert.deepEqual(r.deployments[0].differing, [{ type: 'ApexClass', fullName: 'Hotfix' }]);
    const again = await count();
    assert.equal(again.count, 1);
    assert.equal(again.reused, true);
  });

  it('counts one fewer once a change in Dev makes the component equal to UAT', async () => {
    await deployClass('dev', 'Hotfix', 'Hi');
    const r = await count();
    assert.equal(r.count, 0, JSON.stringify(r.deployments.map((e) => e.differing)));
    assert.notEqual(r.reused, true, "Dev's change log moved: compared again");
  });

  it('counts one more after a change in Dev makes a component differ from UAT, with no new deployment to UAT', async () => {
    await deployClass('dev', 'Greeter', 'Howdy');
    const r = await count();
    assert.equal(r.count, 1);
    assert.notEqual(r.reused, true);
    assert.deepEqual(r.deployments[0].differing, [{ type: 'ApexClass', fullName: 'Greeter' }]);
  });

  it('the deployment log read again shows deploys that were running (and queued behind) as finished, as a full read does', async () => {
    const uat = env.org('uat');
    const conn = env.conns.uat!;
    const before = await readDeploymentLog(deps, 'UAT', { pipeline });
    const project = (name: string) => {
      const p = tempProject(`behind-refresh-${name}-`);
      cleanup.push(() => p.remove());
      writeClass(p, name, cls(name, 'Hey'));
      return p.dir;
    };
    uat.faults.holdDeploysAt = ['InProgress'];
    const ids: string[] = [];
    try {
      ids.push(await salesforce.startDeploy(conn, { sourcePaths: [project('Slow')] }));
      await until('the first deploy to run', async () => (await salesforce.deployStatus(conn, ids[0])).status === 'InProgress');
      // A second deploy, in a later second, waits behind the first: the newest row, with an older one still running.
      const first = (await salesforce.recentDeployRequests(conn)).find((r) => r.id.slice(0, 15) === ids[0].slice(0, 15));
      await until("the org's clock to reach the next second", async () => Date.now() >= Math.floor(Date.parse(first?.createdDate ?? '') / 1000) * 1000 + 1000);
      ids.push(await salesforce.startDeploy(conn, { sourcePaths: [project('Queued')] }));
      const running = await readDeploymentLog(deps, 'UAT', { pipeline });
      assert.deepEqual(running.deployments.slice(0, 2).map((d) => d.id.slice(0, 15)), [ids[1], ids[0]].map((i) => i.slice(0, 15)), 'the new deploys first');
      assert.equal(running.deployments[1].status, 'InProgress');
      assert.equal(running.total, before.total + 2);
    } finally {
      uat.faults.holdDeploysAt = [];
    }
    for (const id of ids) await until('the deploys to end', async () => (await salesforce.deployStatus(conn, id)).status === 'Succeeded');
    const after = await readDeploymentLog(deps, 'UAT', { pipeline });
    assert.deepEqual(after.deployments.slice(0, 2).map((d) => d.status), ['Succeeded', 'Succeeded'], 'read again: both finished');
    assert.equal(after.total, before.total + 2);
    const rows = (l: typeof after) => l.deployments.map((d) => `${d.id}:${d.status}:${d.source}`);
    rowsCache.clear();
    assert.deepEqual(rows(after), rows(await readDeploymentLog(deps, 'UAT', { pipeline })), 'the same as reading the whole history from the org');
  });
});
