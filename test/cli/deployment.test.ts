/**
 * `changeline deployment …` end to end: a deployment record created from an approved change
 * request, submitted, approved by a second user (their own sf authorization, their own pipeline
 * file), its package retrieved into the record, validated and quick-deployed in the target.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import * as salesforce from '../../src/salesforce';
import { startEmulator, type StartedEmulator } from '../integration/helpers/emulator';
import { tempProject, writeClass } from '../integration/helpers/project';
import { json, runCli, type CliRun } from './run';

const pipeline = (devOrg: string) => ({
  version: 1,
  environments: [
    { name: 'Dev', org: devOrg, role: 'development', next: 'UAT' },
    { name: 'UAT', org: 'cld-uat', role: 'staging', testLevel: 'RunLocalTests' },
  ],
});

type Rec = { number: string; status: string; package: { componentCount: number } | null; validation: { id: string; success: boolean } | null };

describe('changeline deployment (records) against emulated orgs', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let project: string;
  let reviewerConn: salesforce.OrgConnection;
  let crNumber: string;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: project });

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'cld-' });
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-cld-'));
    fs.mkdirSync(path.join(project, '.changeline'));
    fs.writeFileSync(path.join(project, '.changeline/pipeline.json'), JSON.stringify(pipeline('cld-dev')));
    fs.writeFileSync(path.join(project, 'reviewer.json'), JSON.stringify(pipeline('cld-dev-reviewer')));
    const dev = env.conns.dev!;
    const users = env.org('dev').info().users;
    const admin = users.find((u) => u.isAdmin)!;
    const reviewer = users.find((u) => !u.isAdmin)!;
    await salesforce.installTracking(dev, { pollMs: 20 });
    await salesforce.grantTrackingAccess(dev, [reviewer.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'cld-dev-reviewer' });
    const src = tempProject('cld-src-');
    writeClass(src, 'Greeter', "public with sharing class Greeter {\n    public static String greet(String who) {\n        return 'Hello, ' + who;\n    }\n}\n");
    writeClass(src, 'GreeterTest', "@isTest\nprivate class GreeterTest {\n    @isTest static void greets() {\n        System.assertEquals('Hello, Ada', Greeter.greet('Ada'));\n    }\n}\n");
    assert.ok((await salesforce.deploy(dev, { sourcePaths: [src.dir], pollMs: 20 })).success);
    src.remove();
    const made = await createRequest({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, { name: 'Greeter', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }, { type: 'ApexClass', fullName: 'GreeterTest' }] });
    assert.ok(made.ok);
    const submitted = await changeStatus({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok);
    const approved = await changeStatus({ store: salesforce.trackingStore(reviewerConn), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok);
    crNumber = approved.cr.number!;
  });
  after(async () => {
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('creates, submits, approves (second user), retrieves, validates and quick-deploys a record', async () => {
    const refusedPath = await cli('deployment', 'create', '--env', 'Dev', '--cr', crNumber, '--to', 'Dev');
    assert.equal(refusedPath.code, 3, refusedPath.stderr);

    const created = await cli('deployment', 'create', '--env', 'Dev', '--cr', crNumber, '--to', 'UAT', '--json');
    assert.equal(created.code, 0, created.stderr);
    const rec = json<Rec>(created);
    assert.match(rec.number, /^DEP-\d{5}$/);
    assert.equal(rec.status, 'Draft');

    const submitted = await cli('deployment', 'submit', '--env', 'Dev', rec.number);
    assert.equal(submitted.code, 0, submitted.stderr);
    assert.equal(submitted.stdout.trim(), `${rec.number} is now Pending approval.`);

    const selfApprove = await cli('deployment', 'approve', '--env', 'Dev', rec.number, '--comment', 'mine');
    assert.equal(selfApprove.code, 3, 'the submitter cannot approve their own record');
    const approved = await cli('--pipeline', 'reviewer.json', 'deployment', 'approve', '--env', 'Dev', rec.number, '--comment', 'Ready for UAT', '--json');
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(json<Rec>(approved).status, 'Approved');

    const retrieved = await cli('deployment', 'retrieve', '--env', 'Dev', rec.number, '--json');
    assert.equal(retrieved.code, 0, retrieved.stderr);
    const withPackage = json<Rec & { files: string[] }>(retrieved);
    assert.equal(withPackage.package?.componentCount, 2);
    assert.ok(withPackage.files.some((f) => f.endsWith('classes/Greeter.cls')), withPackage.files.join());

    const validated = await cli('deployment', 'validate', '--env', 'Dev', rec.number, '--json');
    assert.equal(validated.code, 0, validated.stderr);
    const v = json<{ deployId: string; checkOnly: boolean; success: boolean }>(validated);
    assert.equal(v.checkOnly, true);
    assert.equal(v.success, true);

    const quick = await cli('deployment', 'quick-deploy', '--env', 'Dev', rec.number, '--json');
    assert.equal(quick.code, 0, quick.stderr);
    assert.equal(json<{ success: boolean; checkOnly: boolean }>(quick).success, true);
    assert.match(quick.stderr, new RegExp(`${rec.number} is Deployed`));
    assert.ok((await salesforce.listComponents(env.conns.uat!, ['ApexClass'])).some((c) => c.fullName === 'Greeter'));

    const list = await cli('deployment', 'list', '--env', 'Dev', '--json');
    assert.deepEqual(json<Rec[]>(list).map((d) => [d.number, d.status]), [[rec.number, 'Deployed']]);
  });
});
