/**
 * Back-deploy end to end in plain Node (the workflows the editor and the CLI call), against the
 * emulator. Three deployments reach UAT; the deployments-behind reader finds Dev behind by two of
 * them (the second reached Dev too): the back-deploy brings exactly the net differences (a new
 * class, a class changed twice in UAT, a class UAT deleted) in ONE deployment, recorded in Dev's
 * org, and the behind count drops to 0. A component changed in Dev after that sync is flagged as work in progress
 * and deselected. Then the back-promotion pipeline over Production → UAT → Dev/Dev2, where the
 * UAT → Dev step fails (Dev lacks the object of a field): it stops there and says so; Dev2 is not run.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OrgDeployment } from '../../src/core/promotion/history';
import { SILENT_LOG } from '../../src/core/log-sink';
import type { DeployResult } from '../../src/core/metadata-types';
import { parsePipeline, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { planBackDeploy } from '../../src/workflows/back-deploy/plan';
import { CompareStore } from '../../src/workflows/compare/store';
import { deploymentsBehind } from '../../src/workflows/promotion/behind';
import { NodeFileStore } from '../../src/workflows/storage';
import { missingFromHistory } from '../../src/workflows/back-deploy/missing';
import { runBackPromotion } from '../../src/workflows/back-deploy/promote';
import { runBackDeploy } from '../../src/workflows/back-deploy/run';
import { findLatestDeployment, revertRecord } from '../../src/workflows/promotion/revert';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass, type TempProject } from './helpers/project';

const cls = (name: string, v: number) => `public with sharing class ${name} {\n    public static Integer version() {\n        return ${v};\n    }\n}\n`;

/** A deployment as the history reader gives it, from the deploy's own result. */
function asDeployment(r: DeployResult, message: string): OrgDeployment {
  assert.ok(r.success, JSON.stringify(r.failures));
  return {
    id: r.id,
    status: r.status,
    checkOnly: false,
    startDate: r.createdDate,
    completedDate: r.completedDate,
    source: 'out-of-band',
    message,
    components: r.successes.filter((c) => c.type && c.fullName && c.fullName !== 'package.xml').map((c) => ({ type: c.type, fullName: c.fullName, state: c.state })),
  };
}

describe('back-deploy and the back-promotion pipeline (emulated orgs)', function () {
  this.timeout(240_000);
  let env: StartedEmulator;
  const cleanup: Array<() => void> = [];

  const depsFor = (pipeline: Pipeline): WorkflowDeps => ({
    sessions: new OrgSessions({ environment: (n) => pipeline.environments.find((e) => e.name === n) }, async () => salesforce),
    salesforce: async () => salesforce,
    log: SILENT_LOG,
  });
  const project = (files: Record<string, number>): TempProject => {
    const p = tempProject('bd-src-');
    cleanup.push(() => p.remove());
    for (const [n, v] of Object.entries(files)) writeClass(p, n, cls(n, v));
    return p;
  };
  const deploy = async (conn: salesforce.OrgConnection, files: Record<string, number>) => salesforce.deploy(conn, { sourcePaths: [project(files).dir], pollMs: 20 });
  const deployRemoving = async (conn: salesforce.OrgConnection, files: Record<string, number>, names: string[]) =>
    salesforce.deploy(conn, { sourcePaths: [project(files).dir], destructive: { post: names.map((fullName) => ({ type: 'ApexClass', fullName })) }, pollMs: 20 });
  /** A fresh compare cache in a folder removed after the tests. */
  const compareStore = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-cache-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return new CompareStore(new NodeFileStore(dir), SILENT_LOG);
  };
  const classes = async (conn: salesforce.OrgConnection) => (await salesforce.listComponents(conn, ['ApexClass'])).map((c) => c.fullName).sort();

  before(async () => {
    env = await startEmulator({ orgs: ['prod', 'uat', 'dev', 'dev2'], aliasPrefix: 'bd-' });
    for (const o of ['uat', 'dev', 'dev2']) await salesforce.installTracking(env.conns[o]!, { pollMs: 20 });
  });
  after(async () => {
    for (const c of cleanup) c();
    await env?.stop();
  });

  describe('back-deploy UAT → Dev', () => {
    let pipeline: Pipeline;
    let deps: WorkflowDeps;
    const uatDeployments: OrgDeployment[] = [];
    let levelAt = '';
    /** The deployments-behind reader (Changeline's history of UAT, compared in both orgs), since both were level. */
    const behind = () => deploymentsBehind({ ...deps, store: compareStore() }, 'Dev', 'UAT', { pipeline, since: levelAt });

    before(async () => {
      const r = parsePipeline(
        JSON.stringify({
          version: 1,
          environments: [
            { name: 'Dev', org: 'bd-dev', role: 'development', next: 'UAT' },
            { name: 'UAT', org: 'bd-uat', role: 'staging' },
          ],
        }),
      );
      assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
      pipeline = r.pipeline;
      deps = depsFor(pipeline);
      // Both start level.
      for (const o of ['uat', 'dev']) assert.ok((await deploy(env.conns[o]!, { Greeter: 1, Old: 1, Wip: 1 })).success);
      levelAt = new Date().toISOString();
      // Three deployments to UAT; the second one reached Dev as well.
      uatDeployments.push(asDeployment(await deploy(env.conns.uat!, { Greeter: 2, Alpha: 1 }), 'Greeter 2 and Alpha'));
      uatDeployments.push(asDeployment(await deploy(env.conns.uat!, { Beta: 1 }), 'Beta'));
      assert.ok((await deploy(env.conns.dev!, { Beta: 1 })).success);
      uatDeployments.push(asDeployment(await deployRemoving(env.conns.uat!, { Greeter: 3 }, ['Old']), 'Greeter 3, Old removed'));
    });

    it('brings exactly the net differences down in one deployment recorded in Dev, and the behind count drops to 0', async () => {
      const lacking = await behind();
      assert.equal(lacking.count, 2, `Dev is behind by two: ${JSON.stringify(lacking.deployments.map((e) => e.deployment.id))}`);
      assert.deepEqual(lacking.deployments.map((e) => e.deployment.id), [uatDeployments[0].id, uatDeployments[2].id], 'the Beta deployment, already in Dev, is not behind');
      const plan = await planBackDeploy(deps, { lower: 'Dev', upper: 'UAT', deployments: lacking.deployments.map((e) => e.deployment) });
      const items = plan.net.items.map((i) => `${i.kind} ${i.component.fullName}${i.selected ? '' : ' (not selected)'}`);
      assert.deepEqual(items, ['new Alpha', 'changed Greeter', 'deleted Old'], plan.summary);
      assert.ok(!plan.net.items.some((i) => i.component.fullName === 'Beta'));
      assert.deepEqual(plan.net.items.find((i) => i.component.fullName === 'Greeter')?.deploymentIds, [uatDeployments[0].id, uatDeployments[2].id], 'the class UAT changed twice comes once, from both deployments');

      const before = (await salesforce.recentDeployRequests(env.conns.dev!)).length;
      const done = await runBackDeploy(deps, { plan, pipeline }, { pollMs: 20 });
      assert.equal(done.outcome.result.success, true, JSON.stringify(done.outcome.problems));
      assert.equal(done.record.status, 'Deployed');
      assert.equal(done.record.sourceEnvironment, 'UAT');
      assert.equal(done.record.targetEnvironment, 'Dev');
      assert.deepEqual(done.record.backDeploy?.deployments.map((d) => d.id), [uatDeployments[0].id, uatDeployments[2].id]);
      assert.deepEqual(done.record.backDeploy?.deletions, [{ type: 'ApexClass', fullName: 'Old' }]);
      const after = await salesforce.recentDeployRequests(env.conns.dev!);
      assert.equal(after.filter((d) => !d.checkOnly).length - before, 1, 'one deployment reached Dev');

      assert.deepEqual(await classes(env.conns.dev!), ['Alpha', 'Beta', 'Greeter', 'Wip'], 'Alpha came, Old went');
      const again = await planBackDeploy(deps, { lower: 'Dev', upper: 'UAT', deployments: uatDeployments });
      assert.deepEqual(again.net.items, [], again.summary);
      assert.equal(again.lastSync?.record, done.record.number, "the back-deploy is Dev's last sync");
      assert.equal((await behind()).count, 0, 'Dev is level with UAT');
    });

    it('flags a component changed in Dev since its last sync as work in progress and leaves it out unless included', async () => {
      const wipChange = await deploy(env.conns.dev!, { Wip: 5 });
      assert.ok(wipChange.success);
      const fourth = asDeployment(await deploy(env.conns.uat!, { Wip: 2, Gamma: 1 }), 'Wip 2 and Gamma');
      const plan = await planBackDeploy(deps, { lower: 'Dev', upper: 'UAT', deployments: [fourth] });
      const wip = plan.net.items.find((i) => i.component.fullName === 'Wip');
      assert.ok(wip?.workInProgress, plan.summary);
      assert.match(wip.workInProgress, /Changed in Dev .* after its last sync/);
      assert.equal(wip.selected, false);
      assert.match(plan.summary, /1 in progress in Dev not selected/);
      const included = await planBackDeploy(deps, { lower: 'Dev', upper: 'UAT', deployments: [fourth], includeWip: true, exclude: ['ApexClass:Gamma'] });
      assert.deepEqual(
        included.net.items.map((i) => [i.component.fullName, i.selected]),
        [
          ['Gamma', false],
          ['Wip', true],
        ],
      );

      const done = await runBackDeploy(deps, { plan, pipeline }, { pollMs: 20 });
      assert.equal(done.outcome.result.success, true);
      assert.deepEqual(done.record.components, [{ type: 'ApexClass', fullName: 'Gamma' }]);
      assert.deepEqual(done.record.backDeploy?.deselected, [{ type: 'ApexClass', fullName: 'Wip' }]);
      const copy = await salesforce.retrieveCopy(env.conns.dev!, [{ type: 'ApexClass', fullName: 'Wip' }]);
      cleanup.push(() => fs.rmSync(copy.root, { recursive: true, force: true }));
      const wipFile = copy.files.map((f) => f.filePath).find((f) => f.endsWith('Wip.cls'))!;
      assert.match(fs.readFileSync(wipFile, 'utf8'), /return 5;/, "Dev's work in progress is untouched");
    });
    it('brings a deletion alone down as a package of destructive changes only', async () => {
      assert.ok((await deploy(env.conns.uat!, { Doomed: 1 })).success);
      assert.ok((await deploy(env.conns.dev!, { Doomed: 1 })).success);
      const gone = asDeployment(await deployRemoving(env.conns.uat!, { Keep: 1 }, ['Doomed']), 'Doomed removed');
      const onlyDeletion = { ...gone, components: gone.components!.filter((c) => c.state === 'Deleted') };
      // Doomed reached Dev after its last sync, so it counts as work in progress there: included on purpose.
      const plan = await planBackDeploy(deps, { lower: 'Dev', upper: 'UAT', deployments: [onlyDeletion], includeWip: true });
      assert.deepEqual(plan.net.items.map((i) => `${i.kind} ${i.component.fullName} ${i.selected}`), ['deleted Doomed true'], plan.summary);
      const done = await runBackDeploy(deps, { plan, pipeline }, { pollMs: 20 });
      assert.equal(done.outcome.result.success, true, JSON.stringify(done.outcome.result.failures));
      assert.ok(!(await classes(env.conns.dev!)).includes('Doomed'), 'Doomed is gone from Dev');
    });

    it('is revertable like any deployment: reverting the latest back-deploy brings back what it deleted', async () => {
      const { env: holder, record } = await findLatestDeployment(deps, 'Dev', pipeline);
      assert.ok(record?.backDeploy, `the latest deployment to Dev is the back-deploy (${record?.number})`);
      const dev = await deps.sessions.get('Dev');
      await salesforce.grantReleaseManager(dev.handle, [dev.userId]);
      const reverted = await revertRecord(deps, { env: holder, ref: record!.id!, pipeline }, { pollMs: 20 });
      assert.equal(reverted.outcome.result.success, true, JSON.stringify(reverted.outcome.result.failures));
      assert.equal(reverted.record.status, 'Reverted');
      assert.ok((await classes(env.conns.dev!)).includes('Doomed'), 'Doomed is back in Dev');
    });
  });

  describe('back-promotion Production → UAT → Dev, Dev2', () => {
    it('runs one back-deploy per step in reverse order and stops at the first failure, saying where', async () => {
      const r = parsePipeline(
        JSON.stringify({
          version: 1,
          environments: [
            { name: 'Dev', org: 'bd-dev', role: 'development', next: 'UAT' },
            { name: 'Dev2', org: 'bd-dev2', role: 'development', next: 'UAT' },
            { name: 'UAT', org: 'bd-uat', role: 'staging', next: 'Production' },
            { name: 'Production', org: 'bd-prod', role: 'production' },
          ],
        }),
      );
      assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
      const pipeline = r.pipeline;
      const deps = depsFor(pipeline);
      // The object exists in Production and UAT, not in Dev: a field on it cannot reach Dev.
      const obj = tempProject('bd-obj-');
      cleanup.push(() => obj.remove());
      obj.write(
        'objects/Invoice__c/Invoice__c.object-meta.xml',
        `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Invoice</label>\n    <pluralLabel>Invoices</pluralLabel>\n    <nameField><label>Invoice Name</label><type>Text</type></nameField>\n    <deploymentStatus>Deployed</deploymentStatus>\n    <sharingModel>ReadWrite</sharingModel>\n</CustomObject>\n`,
      );
      assert.ok((await salesforce.deploy(env.conns.prod!, { sourcePaths: [obj.dir], pollMs: 20 })).success);
      // UAT has had the object since before its deployment history (older than what the org keeps).
      env.org('uat').store.loadComponents([env.org('prod').store.getComponent('CustomObject', 'Invoice__c')!]);
      const field = tempProject('bd-field-');
      cleanup.push(() => field.remove());
      field.write(
        'objects/Invoice__c/fields/Total__c.field-meta.xml',
        `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fullName>Total__c</fullName>\n    <label>Total</label>\n    <precision>18</precision>\n    <scale>2</scale>\n    <type>Number</type>\n</CustomField>\n`,
      );
      writeClass(field, 'Hotfix', cls('Hotfix', 1));
      assert.ok((await salesforce.deploy(env.conns.prod!, { sourcePaths: [field.dir], pollMs: 20 })).success);

      const seen: string[] = [];
      const result = await runBackPromotion(
        deps,
        // The deployments each environment lacks, from the deployments-behind reader over the upper one's history.
        { pipeline, missing: missingFromHistory({ ...deps, compareStore: compareStore() }, pipeline) },
        { pollMs: 20, onStep: (run) => seen.push(run.steps.map((s) => s.status).join(',')) },
      );
      assert.equal(result.run.state, 'failed', `${result.summary} ${JSON.stringify(result.run.steps)}`);
      assert.deepEqual(
        result.run.steps.map((s) => `${s.from}→${s.to} ${s.status}`),
        ['Production→UAT done', 'UAT→Dev failed', 'UAT→Dev2 not-run'],
        result.summary,
      );
      assert.match(result.summary, /^Back-promotion stopped at UAT → Dev: .*Invoice__c/);
      assert.match(result.summary, /Done: Production → UAT\. Not run: UAT → Dev2\./);
      assert.ok(seen.includes('done,running,pending'), 'the run is reported step by step');
      assert.ok((await classes(env.conns.uat!)).includes('Hotfix'), 'the hotfix reached UAT');
      assert.ok(!(await classes(env.conns.dev2!)).includes('Hotfix'), 'Dev2 was not touched');
      const devRecords = await salesforce.listDeployments(env.conns.dev!, { statuses: ['Failed'] });
      assert.ok(devRecords.items.some((d) => d.backDeploy && d.sourceEnvironment === 'UAT'), 'the failed back-deploy is recorded in Dev');
    });
  });
});
