/**
 * `changeline deploy --cr CR --to ENV` end to end: a change request with no deployment record gets
 * one, submitted for approval (exit 3, nothing sent); once a second user approved it, the same
 * command validates it (--validate) and deploys it, the JSON saying the record and the CRs' new
 * statuses (Deployed in UAT, Ready in Dev).
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
    { name: 'UAT', org: 'clc-uat', role: 'staging' },
  ],
});

interface DeployCrJson {
  deployId: string;
  checkOnly: boolean;
  success: boolean;
  record: { number: string; status: string; environment: string; target: string };
  created: boolean;
  changeRequests: { target: { number: string; status: string } | null; source: { number: string; status: string } | null; problems: string[] } | null;
}

describe('changeline deploy --cr (a change request through its deployment record)', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let project: string;
  let reviewerConn: salesforce.OrgConnection;
  let crNumber: string;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: project });

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'clc-' });
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-clc-'));
    fs.mkdirSync(path.join(project, '.changeline'));
    fs.writeFileSync(path.join(project, '.changeline/pipeline.json'), JSON.stringify(pipeline('clc-dev')));
    fs.writeFileSync(path.join(project, 'reviewer.json'), JSON.stringify(pipeline('clc-dev-reviewer')));
    const dev = env.conns.dev!;
    const users = env.org('dev').info().users;
    const admin = users.find((u) => u.isAdmin)!;
    const reviewer = users.find((u) => !u.isAdmin)!;
    await salesforce.installTracking(dev, { pollMs: 20 });
    await salesforce.installTracking(env.conns.uat!, { pollMs: 20 });
    await salesforce.grantTrackingAccess(dev, [reviewer.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'clc-dev-reviewer' });
    const src = tempProject('clc-src-');
    writeClass(src, 'Greeter', "public with sharing class Greeter {\n    public static String greet(String who) {\n        return 'Hello, ' + who;\n    }\n}\n");
    assert.ok((await salesforce.deploy(dev, { sourcePaths: [src.dir], pollMs: 20 })).success);
    src.remove();
    const made = await createRequest({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, { name: 'Greeter', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] });
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

  it('creates and submits a record first (exit 3, nothing sent); once approved, validates and deploys it, the CRs following', async () => {
    const both = await cli('deploy', '--cr', crNumber, '--to', 'UAT', '--source-dir', 'force-app');
    assert.equal(both.code, 2, 'a CR or local source, not both');

    const first = await cli('deploy', '--cr', crNumber, '--to', 'UAT', '--json');
    assert.equal(first.code, 3, first.stderr);
    const waiting = json<{ error: string; exitCode: number }>(first);
    assert.equal(waiting.exitCode, 3);
    const dep = /^Created (DEP-\d{5}) for CR-\d+ and submitted it for approval/.exec(waiting.error)?.[1];
    assert.ok(dep, waiting.error);
    assert.ok(!(await salesforce.listComponents(env.conns.uat!, ['ApexClass'])).some((c) => c.fullName === 'Greeter'), 'nothing was sent to UAT');

    const approved = await cli('--pipeline', 'reviewer.json', 'deployment', 'approve', '--env', 'Dev', dep, '--comment', 'go');
    assert.equal(approved.code, 0, approved.stderr);

    const otherLevel = await cli('deploy', '--cr', crNumber, '--to', 'UAT', '--test-level', 'RunAllTestsInOrg');
    assert.equal(otherLevel.code, 3, 'the approved test level is not changed silently');
    assert.match(otherLevel.stderr, /changing it sends it back for approval/);

    const validated = await cli('deploy', '--cr', crNumber, '--to', 'UAT', '--validate', '--json');
    assert.equal(validated.code, 0, validated.stderr);
    const v = json<DeployCrJson>(validated);
    assert.equal(v.checkOnly, true);
    assert.equal(v.success, true);
    assert.equal(v.record.number, dep);
    assert.equal(v.record.status, 'Approved');
    assert.equal(v.created, false);
    assert.equal(v.changeRequests, null, 'a validation changes no change request');

    const deployed = await cli('deploy', '--cr', crNumber, '--to', 'UAT', '--json');
    assert.equal(deployed.code, 0, deployed.stderr);
    const d = json<DeployCrJson>(deployed);
    assert.equal(d.checkOnly, false);
    assert.equal(d.success, true);
    assert.equal(d.record.status, 'Deployed');
    assert.equal(d.changeRequests?.target?.status, 'Deployed');
    assert.equal(d.changeRequests?.source?.status, 'Ready');
    assert.deepEqual(d.changeRequests?.problems, []);
    assert.ok((await salesforce.listComponents(env.conns.uat!, ['ApexClass'])).some((c) => c.fullName === 'Greeter'));

    // Deployed is history, and the CR in Dev is Ready now: a new deployment needs it approved again.
    const again = await cli('deploy', '--cr', crNumber, '--to', 'UAT');
    assert.equal(again.code, 3);
    assert.match(again.stderr, new RegExp(`${crNumber} is Ready; have it approved first`));
  });
});
