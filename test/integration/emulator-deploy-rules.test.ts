/**
 * The emulator follows the Metadata API's documented deploy rules (see
 * /work/shared/notes/deploy-facts.md), driven by the real SDR/jsforce: quick deploy within 10
 * days of the validation's start and only until another deployment reaches the org; one
 * deployment at a time (the others queue as Pending); cancelDeploy (a queued deploy at once, a
 * running one Canceling → Canceled, none in FinalizingDeploy from API 65.0); the REST
 * `metadata/deployRequest` resource; and the Tooling `DeployRequest` fields tools read.
 * Deploys are held in a status with the emulator's `faults.holdDeploysAt`, never with sleeps.
 */
import { strict as assert } from 'node:assert';
import type { Connection } from '@salesforce/core';
import { ComponentSet, MetadataApiDeploy } from '@salesforce/source-deploy-retrieve';
import { Emulator, type EmulatedOrg } from '../emulator';
import { GREETER, GREETER_TEST, LWC, WIDGET, apexClass, deploySource, poll, project } from './helpers/metadata-deploy';
import { rawConnection } from './helpers/raw-connection';

const DAY = 86_400_000;

describe('emulator deploy rules: quick deploy, queue, cancel, REST deployRequest, Tooling DeployRequest', function () {
  this.timeout(60000);
  let emu: Emulator;
  let prod: EmulatedOrg;
  let conn: Connection;

  before(async () => {
    emu = await Emulator.start({ orgs: ['prod'], settings: { jobStepMs: 15 } });
    prod = emu.org('prod');
    conn = await rawConnection(prod);
  });
  after(async () => emu?.stop());
  beforeEach(() => emu.reset());
  afterEach(() => {
    prod.settings.clockSkewMs = 0;
  });

  /** Starts a deploy of source files (force-app/main/default-relative) without waiting; returns its id. */
  async function start(files: Record<string, string>, apiOptions: Record<string, unknown> = {}, c: Connection = conn): Promise<string> {
    const cs = ComponentSet.fromSource(project(files));
    cs.sourceApiVersion = '62.0';
    const op = await cs.deploy({ usernameOrConnection: c, apiOptions: { testLevel: 'RunLocalTests', ...apiOptions } });
    return op.id!;
  }

  /** Polls checkDeployStatus until `until` holds (bounded). */
  async function waitFor(id: string, until: (s: { status: string; done: boolean }) => boolean) {
    for (let i = 0; i < 2000; i++) {
      const s = await conn.metadata.checkDeployStatus(id, true);
      const view = { status: String(s.status), done: String(s.done) === 'true' };
      if (until(view)) return s;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`deploy ${id} never reached the awaited state`);
  }

  const validate = (files: Record<string, string>) => deploySource(conn, files, { checkOnly: true, testLevel: 'RunLocalTests' });
  const quick = (id: string, rest = false) => new MetadataApiDeploy({ usernameOrConnection: conn, id }).deployRecentValidation(rest);
  const finish = async (id: string) => (await new MetadataApiDeploy({ usernameOrConnection: conn, id }).pollStatus(poll)).response;

  it('quick-deploys a validation up to 10 days after it started, and refuses it after', async () => {
    const v = await validate({ ...GREETER, ...GREETER_TEST });
    assert.equal(v.response.status, 'Succeeded');
    prod.settings.clockSkewMs = 10 * DAY + 60_000;
    await assert.rejects(quick(v.response.id), (e: Error) => /INVALID_ID_FIELD/.test(`${e.name}`) && /more than 10 days/.test(e.message));
    prod.settings.clockSkewMs = 10 * DAY - 60_000;
    const r = await finish(await quick(v.response.id));
    assert.equal(r.status, 'Succeeded');
    assert.ok(prod.store.getComponent('ApexClass', 'Greeter'));
  });

  it('only a deployment that reached the org invalidates validations: not a validation, not a failed deploy; a quick deploy does', async () => {
    const first = await validate({ ...GREETER, ...GREETER_TEST });
    const second = await validate({ ...GREETER, ...GREETER_TEST, ...LWC });
    const broken = await deploySource(conn, apexClass('Broken', 'public class Broken {\n'));
    assert.equal(broken.response.status, 'Failed');
    const r = await finish(await quick(first.response.id));
    assert.equal(r.status, 'Succeeded', 'a later validation and a failed deploy leave the first one eligible');
    await assert.rejects(quick(second.response.id), /There have been deploys in the org since the source validate happened/);
  });

  it('runs one deployment at a time: the next waits Pending, and a queued deploy is cancelled at once (done)', async () => {
    prod.faults.holdDeploysAt = ['InProgress'];
    const running = await start(LWC);
    await waitFor(running, (s) => s.status === 'InProgress');
    const queued = await start(WIDGET);
    const third = await start({ ...GREETER, ...GREETER_TEST });
    assert.equal((await conn.metadata.checkDeployStatus(queued)).status, 'Pending');

    const cancelQueued = await conn.metadata.cancelDeploy(queued);
    assert.equal(String(cancelQueued.done), 'true');
    const q = await conn.metadata.checkDeployStatus(queued);
    assert.equal(q.status, 'Canceled');
    assert.equal(String(q.done), 'true');
    assert.equal(q.canceledBy, prod.admin.id);

    prod.faults.holdDeploysAt = [];
    assert.equal((await finish(running)).status, 'Succeeded');
    assert.equal((await finish(third)).status, 'Succeeded');
    assert.equal(prod.store.getComponent('CustomObject', 'Widget__c'), undefined, 'the cancelled deploy committed nothing');
  });

  it('cancels a running deploy through Canceling to Canceled, committing nothing; a finished one cannot be cancelled', async () => {
    prod.faults.holdDeploysAt = ['InProgress', 'Canceling'];
    const id = await start(LWC);
    await waitFor(id, (s) => s.status === 'InProgress');
    const c = await conn.metadata.cancelDeploy(id);
    assert.equal(String(c.done), 'false', 'a running deploy is cancelled asynchronously');
    assert.equal((await conn.metadata.checkDeployStatus(id)).status, 'Canceling');
    prod.faults.holdDeploysAt = [];
    const r = await finish(id);
    assert.equal(r.status, 'Canceled');
    assert.equal(prod.store.getComponent('LightningComponentBundle', 'helloCard'), undefined);
    await assert.rejects(conn.metadata.cancelDeploy(id), /INVALID_ID_FIELD: Deployment already completed/);
    await assert.rejects(conn.metadata.cancelDeploy('0Af000000000001AAA'), /INVALID_ID_FIELD: Invalid deploy ID/);
  });

  it('from API 65.0 refuses to cancel a deploy in FinalizingDeploy; before, accepts it but the deploy still commits', async () => {
    prod.faults.holdDeploysAt = ['FinalizingDeploy'];
    const v65 = await rawConnection(prod);
    v65.setApiVersion('65.0');
    const v64 = await rawConnection(prod);
    v64.setApiVersion('64.0');

    const a = await start(LWC);
    await waitFor(a, (s) => s.status === 'FinalizingDeploy');
    await assert.rejects(v65.metadata.cancelDeploy(a), /INVALID_ID_FIELD/);
    prod.faults.holdDeploysAt = [];
    assert.equal((await finish(a)).status, 'Succeeded');

    prod.faults.holdDeploysAt = ['FinalizingDeploy'];
    const b = await start(WIDGET);
    await waitFor(b, (s) => s.status === 'FinalizingDeploy');
    assert.equal(String((await v64.metadata.cancelDeploy(b)).done), 'false');
    const r = await finish(b);
    assert.equal(r.status, 'Canceled');
    assert.ok(prod.store.getComponent('CustomObject', 'Widget__c'), "the deploy's data was committed all the same");
  });

  it('serves the REST metadata/deployRequest resource: deploy (multipart), status with its options, quick deploy, cancel by PATCH', async () => {
    // A validation sent over REST, as `sf project deploy validate` does with org-metadata-rest-deploy.
    const vId = await start({ ...GREETER, ...GREETER_TEST }, { checkOnly: true, rest: true });
    await finish(vId);
    const v = await conn.request<Record<string, any>>(`/services/data/v62.0/metadata/deployRequest/${vId}`);
    assert.equal(v.id, vId);
    assert.equal(v.deployResult.status, 'Succeeded');
    assert.equal(v.deployOptions.checkOnly, true);
    assert.equal(v.deployOptions.testLevel, 'RunLocalTests');
    assert.equal(v.deployResult.numberTestsCompleted, 1);

    const quickId = await quick(vId, true);
    assert.notEqual(quickId, vId);
    const q = await conn.request<Record<string, any>>(`/services/data/v62.0/metadata/deployRequest/${quickId}`);
    assert.equal(q.validatedDeployRequestId, vId);
    assert.equal((await finish(quickId)).status, 'Succeeded');

    prod.faults.holdDeploysAt = ['InProgress'];
    const id = await start(LWC, { rest: true });
    await waitFor(id, (s) => s.status === 'InProgress');
    const patched = await conn.request<Record<string, any>>({
      method: 'PATCH',
      url: `/services/data/v62.0/metadata/deployRequest/${id}`,
      body: JSON.stringify({ deployResult: { status: 'Canceling' } }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(patched.deployResult.status, 'Canceling');
    assert.equal((await finish(id)).status, 'Canceled');
    await assert.rejects(
      conn.request(`/services/data/v62.0/metadata/deployRequest/${'0Af000000000001AAA'}`),
      /NOT_FOUND|No deploy request/,
    );
  });

  it('lists every deployment in the Tooling DeployRequest object with the fields tools read', async () => {
    const ok = (await deploySource(conn, { ...GREETER, ...GREETER_TEST })).response;
    const v = (await validate(LWC)).response;
    prod.faults.holdDeploysAt = ['InProgress'];
    const canceled = await start(WIDGET);
    await waitFor(canceled, (s) => s.status === 'InProgress');
    await conn.metadata.cancelDeploy(canceled);
    prod.faults.holdDeploysAt = [];
    await finish(canceled);

    const fields = [
      'Id', 'Status', 'StateDetail', 'CheckOnly', 'Type', 'CreatedDate', 'CreatedBy.Name', 'StartDate', 'CompletedDate',
      'NumberComponentsTotal', 'NumberComponentsDeployed', 'NumberComponentErrors', 'NumberTestsTotal', 'NumberTestsCompleted',
      'NumberTestErrors', 'ErrorStatusCode', 'ErrorMessage', 'CanceledById',
    ];
    const res = await conn.tooling.query<Record<string, any>>(`SELECT ${fields.join(', ')} FROM DeployRequest ORDER BY CreatedDate`);
    const byId = new Map(res.records.map((r) => [r.Id, r]));
    const a = byId.get(ok.id)!;
    assert.equal(a.Status, 'Succeeded');
    assert.equal(a.CheckOnly, false);
    assert.equal(a.Type, 'Deploy');
    assert.equal(a.StateDetail, null);
    assert.equal(a.CreatedBy.Name, prod.admin.name);
    assert.equal(a.NumberComponentsTotal, 2);
    assert.equal(a.NumberComponentsDeployed, 2);
    assert.equal(a.NumberTestsTotal, 1);
    assert.equal(a.NumberTestsCompleted, 1);
    assert.equal(a.NumberTestErrors, 0);
    assert.equal(a.CanceledById, null);
    assert.ok(a.StartDate && a.CompletedDate && a.CreatedDate);
    assert.equal(byId.get(v.id)?.CheckOnly, true);
    const c = byId.get(canceled)!;
    assert.equal(c.Status, 'Canceled');
    assert.equal(c.CanceledById, prod.admin.id);
  });
});
