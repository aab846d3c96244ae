/**
 * The emulator's Metadata API over time and on seeded orgs: persistence across a restart, a deploy
 * cut off by a restart, and what seeded sibling orgs list and deploy.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { Emulator } from '../emulator';
import { getDeployResult } from '../emulator/metadata/service';
import { seedDifferences } from '../emulator/seed';
import { rawConnection } from './helpers/raw-connection';
import { poll, project, deploySource, failures, WIDGET, GREETER } from './helpers/metadata-deploy';

describe('emulator Metadata API persistence', function () {
  this.timeout(60000);
  it('keeps deployed metadata and deploy history across a restart with a data dir', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-data-'));
    let emu = await Emulator.start({ orgs: ['dev'], dataDir, settings: { jobStepMs: 20 } });
    const res = await deploySource(await rawConnection(emu.org('dev')), { ...GREETER, ...WIDGET });
    assert.equal(res.response.status, 'Succeeded');
    await emu.stop();
    emu = await Emulator.start({ orgs: ['dev'], dataDir, settings: { jobStepMs: 20 } });
    try {
      const conn = await rawConnection(emu.org('dev'));
      const names = (await conn.metadata.list([{ type: 'ApexClass' }, { type: 'CustomField' }])).map((p) => `${p.type}:${p.fullName}`).sort();
      assert.deepEqual(names, ['ApexClass:Greeter', 'CustomField:Widget__c.Size__c']);
      const after = getDeployResult(emu.org('dev'), res.response.id);
      assert.equal(after?.status, 'Succeeded');
      assert.equal(after?.numberComponentsDeployed, res.response.numberComponentsDeployed);
    } finally {
      await emu.stop();
    }
  });
});

describe('emulator Metadata API interrupted deploy', function () {
  this.timeout(60000);
  it('reports a deploy cut off by a restart as Failed, with nothing committed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-data-'));
    let emu = await Emulator.start({ orgs: ['dev'], dataDir, settings: { jobStepMs: 10000 } });
    const cs = ComponentSet.fromSource(project(GREETER));
    cs.sourceApiVersion = '62.0';
    const op = await cs.deploy({ usernameOrConnection: await rawConnection(emu.org('dev')) });
    await emu.stop();
    emu = await Emulator.start({ orgs: ['dev'], dataDir, settings: { jobStepMs: 20 } });
    try {
      const status = await (await rawConnection(emu.org('dev'))).metadata.checkDeployStatus(op.id!, true);
      assert.equal(status.status, 'Failed');
      assert.match(String(status.errorMessage), /interrupted/);
      assert.equal(emu.org('dev').store.getComponent('ApexClass', 'Greeter'), undefined);
    } finally {
      await emu.stop();
    }
  });
});

describe('emulator Metadata API on seeded orgs', function () {
  this.timeout(120000);
  let emu: Emulator;
  before(async () => {
    emu = await Emulator.start({ orgs: ['prod', 'dev'], seed: 11, components: 250, settings: { jobStepMs: 20 } });
  });
  after(async () => emu?.stop());

  it('lists what seedDifferences promises: the sibling lacks onlyInBase and has onlyInSibling', async () => {
    const d = seedDifferences(11, 250, 1);
    const devConn = await rawConnection(emu.org('dev'));
    const prodConn = await rawConnection(emu.org('prod'));
    const gone = d.onlyInBase[0];
    const added = d.onlyInSibling[0];
    const names = async (conn: Connection, type: string) => {
      const q = type === 'Report' || type === 'EmailTemplate' ? [{ type, folder: type === 'Report' ? 'Sales_Reports' : 'Sales_Templates' }] : [{ type }];
      return (await conn.metadata.list(q)).map((p) => p.fullName);
    };
    assert.ok((await names(prodConn, gone.type)).includes(gone.fullName));
    assert.ok(!(await names(devConn, gone.type)).includes(gone.fullName));
    assert.ok((await names(devConn, added.type)).includes(added.fullName));
    assert.ok(!(await names(prodConn, added.type)).includes(added.fullName));
  });

  it('lists folders and the content of one folder for foldered types', async () => {
    const conn = await rawConnection(emu.org('prod'));
    const folders = await conn.metadata.list([{ type: 'ReportFolder' }, { type: 'EmailFolder' }]);
    assert.deepEqual(folders.map((f) => `${f.type}:${f.fullName}`).sort(), ['EmailFolder:Sales_Templates', 'ReportFolder:Sales_Reports']);
    const reports = await conn.metadata.list([{ type: 'Report', folder: 'Sales_Reports' }]);
    assert.ok(reports.length > 0);
    for (const r of reports) {
      assert.match(r.fullName, /^Sales_Reports\//);
      assert.equal(r.fileName, `reports/${r.fullName}.report`);
    }
    assert.deepEqual(await conn.metadata.list([{ type: 'Report', folder: 'No_Such_Folder' }]), []);
  });

  it('retrieves a sibling into a project and deploys it to production, running the seeded tests with visible progress', async () => {
    const dev = emu.org('dev');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-seeded-'));
    fs.writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    fs.mkdirSync(path.join(dir, 'force-app'));
    const wanted = dev.store
      .types()
      .filter((t) => t !== 'EmailFolder')
      .flatMap((t) => (['EmailTemplate', 'Report', 'Dashboard'].includes(t) ? dev.store.listComponents(t).map((c) => ({ type: t, fullName: c.fullName })) : [{ type: t, fullName: '*' }]));
    const cwd = process.cwd();
    process.chdir(dir); // SDR writes CustomLabels through the project
    try {
      const cs = new ComponentSet(wanted);
      cs.sourceApiVersion = '62.0';
      const ret = await (await cs.retrieve({ usernameOrConnection: await rawConnection(dev), output: path.join(dir, 'force-app'), merge: true })).pollStatus(poll);
      assert.equal(ret.response.status, 'Succeeded');
      assert.equal(ret.getFileResponses().filter((f) => f.state === 'Failed').length, 0);
      const up = ComponentSet.fromSource(path.join(dir, 'force-app'));
      up.sourceApiVersion = '62.0';
      // Steps well apart from the 20 ms polls, so a loaded machine still sees the halfway point.
      emu.org('prod').settings.jobStepMs = 300;
      const op = await up.deploy({ usernameOrConnection: await rawConnection(emu.org('prod')), apiOptions: { testLevel: 'RunLocalTests' } });
      const seen: string[] = [];
      op.onUpdate((st) => seen.push(`${st.status}:${st.numberComponentsDeployed}:${st.numberTestsCompleted}`));
      const res = await op.pollStatus(poll);
      assert.equal(res.response.status, 'Succeeded', JSON.stringify(failures(res).slice(0, 3)));
      assert.ok(Number(res.response.numberTestsTotal) > 0);
      assert.equal(Number(res.response.numberTestErrors), 0);
      const statuses = new Set(seen.map((x) => x.split(':')[0]));
      assert.ok(statuses.has('InProgress'), seen.join(' '));
      const partial = seen.filter((x) => x.startsWith('InProgress') && Number(x.split(':')[1]) > 0 && Number(x.split(':')[1]) < Number(res.response.numberComponentsDeployed));
      assert.ok(partial.length > 0, `components did not complete progressively: ${seen.join(' ')}`);
      // Production now holds what only the sibling had.
      const added = seedDifferences(11, 250, 1).onlyInSibling[0];
      assert.ok(emu.org('prod').store.getComponent(added.type, added.fullName));
    } finally {
      process.chdir(cwd);
    }
  });
});
