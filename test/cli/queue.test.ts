/**
 * `changeline send` and `changeline queue …` end to end against emulated orgs: a change request
 * sent from Dev into UAT's queue, the queue listed by a user who is no release manager (read-only,
 * told who can act, refused with exit 3), deployed by UAT's release manager, and the documented
 * exit codes for a send with nothing changed and for bad usage.
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

const pipeline = (suffix: string) => ({
  version: 1,
  environments: [
    { name: 'Dev', org: `clq-dev${suffix}`, role: 'development', next: 'UAT' },
    { name: 'UAT', org: `clq-uat${suffix}`, role: 'staging' },
  ],
});

type Entry = { number: string; status: string; source: string; target: string; message: string; sender: { name: string }; crs: Array<{ number: string }>; components: unknown[]; packageFileId: string | null; deployId: string | null };

describe('changeline send and queue against emulated orgs', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let project: string;
  const extra: salesforce.OrgConnection[] = [];
  let crNumber: string;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: project });

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'clq-' });
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-clq-'));
    fs.mkdirSync(path.join(project, '.changeline'));
    fs.writeFileSync(path.join(project, '.changeline/pipeline.json'), JSON.stringify(pipeline('')));
    fs.writeFileSync(path.join(project, 'reviewer.json'), JSON.stringify(pipeline('-rae')));
    for (const org of ['dev', 'uat']) {
      await salesforce.installTracking(env.conns[org]!, { pollMs: 20 });
      const rev = env.org(org).info().users.find((u) => !u.isAdmin)!;
      await salesforce.grantTrackingAccess(env.conns[org]!, [rev.id]);
      extra.push(await salesforce.authorizeWithToken({ accessToken: rev.accessToken, instanceUrl: env.org(org).instanceUrl, alias: `clq-${org}-rae` }));
    }
    await salesforce.grantReleaseManager(env.conns.uat!, [env.org('uat').info().users.find((u) => u.isAdmin)!.id]);
    const dev = env.conns.dev!;
    const src = tempProject('clq-src-');
    writeClass(src, 'Greeter', "public with sharing class Greeter {\n    public static String greet(String who) {\n        return 'Hello, ' + who;\n    }\n}\n");
    assert.ok((await salesforce.deploy(dev, { sourcePaths: [src.dir], pollMs: 20 })).success);
    src.remove();
    const admin = env.org('dev').info().users.find((u) => u.isAdmin)!;
    const made = await createRequest({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, { name: 'Greeter', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] });
    assert.ok(made.ok);
    const submitted = await changeStatus({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok);
    const rae = env.org('dev').info().users.find((u) => !u.isAdmin)!;
    const approved = await changeStatus({ store: salesforce.trackingStore(extra[0]), actor: { userId: rae.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok, JSON.stringify(approved));
    crNumber = approved.cr.number!;
  });
  after(async () => {
    for (const c of extra) await salesforce.removeAuthorization(c.username).catch(() => undefined);
    await env?.stop();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('sends, lists read-only for a non release manager, deploys as the release manager, with the documented exit codes', async () => {
    const noMessage = await cli('send', '--from', 'Dev', '--cr', crNumber);
    assert.equal(noMessage.code, 2, noMessage.stderr);
    const tooFar = await cli('send', '--from', 'UAT', '-m', 'x');
    assert.equal(tooFar.code, 3, tooFar.stderr);
    assert.match(tooFar.stderr, /UAT is the last stage|UAT is not connected to a higher environment/);

    const sent = await cli('send', '--from', 'Dev', '--cr', crNumber, '-m', 'Greets by name', '--json');
    assert.equal(sent.code, 0, sent.stderr);
    const { entry } = json<{ entry: Entry; advice: string | null }>(sent);
    assert.match(entry.number, /^Q-\d{5}$/);
    assert.deepEqual([entry.status, entry.source, entry.target, entry.message, entry.sender.name], ['Queued', 'Dev', 'UAT', 'Greets by name', 'Ada Admin']);
    assert.deepEqual(entry.crs.map((c) => c.number), [crNumber]);
    assert.match(entry.packageFileId ?? '', /^069/);

    const again = await cli('send', '--from', 'Dev', '--cr', crNumber, '-m', 'Same again');
    assert.equal(again.code, 3, again.stderr);
    assert.match(again.stderr, /Nothing changed in Dev since it was last sent to UAT/);

    const listed = await cli('--pipeline', 'reviewer.json', 'queue', 'list', '--env', 'UAT', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const view = json<{ canManage: boolean; refusal: string; releaseManagers: string[]; entries: Entry[] }>(listed);
    assert.equal(view.canManage, false);
    assert.deepEqual(view.releaseManagers, ['Ada Admin']);
    assert.match(view.refusal, /Only release managers of UAT .*: Ada Admin/);
    assert.deepEqual(view.entries.map((e) => e.number), [entry.number]);
    const text = await cli('--pipeline', 'reviewer.json', 'queue', 'list', '--env', 'UAT');
    assert.match(text.stdout, new RegExp(`${entry.number}\\s+Queued\\s+Dev\\s+Ada Admin`));

    const notAllowed = await cli('--pipeline', 'reviewer.json', 'queue', 'deploy', '--env', 'UAT', entry.number);
    assert.equal(notAllowed.code, 3, notAllowed.stderr);
    assert.match(notAllowed.stderr, /can deploy queued changes: Ada Admin/);

    const deployed = await cli('queue', 'deploy', '--env', 'UAT', entry.number, '--json');
    assert.equal(deployed.code, 0, deployed.stderr);
    const d = json<{ entry: Entry; deploy: { success: boolean; deployId: string }; validation: null }>(deployed);
    assert.equal(d.entry.status, 'Deployed');
    assert.equal(d.deploy.success, true);
    assert.equal(d.entry.deployId, d.deploy.deployId);
    assert.equal(d.validation, null);
    assert.equal((await salesforce.query(env.conns.uat!, "SELECT Id FROM ApexClass WHERE Name = 'Greeter'")).length, 1);

    const rejectDeployed = await cli('queue', 'reject', '--env', 'UAT', entry.number, '--reason', 'late');
    assert.equal(rejectDeployed.code, 3, rejectDeployed.stderr);
    assert.match(rejectDeployed.stderr, /is already deployed to UAT/);
    const missing = await cli('queue', 'reject', '--env', 'UAT', 'Q-99999', '--reason', 'x');
    assert.equal(missing.code, 1, missing.stderr);
  });

  it('queue withdraw: the sender takes back a waiting entry (exit 0, withdrawn in --json); deploy is then refused; nobody else may withdraw (exit 3)', async () => {
    const src = tempProject('clq-src2-');
    writeClass(src, 'Greeter', "public with sharing class Greeter {\n    public static String greet(String who) {\n        return 'Hi, ' + who;\n    }\n}\n");
    assert.ok((await salesforce.deploy(env.conns.dev!, { sourcePaths: [src.dir], pollMs: 20 })).success);
    src.remove();
    const sent = await cli('send', '--from', 'Dev', '--cr', crNumber, '-m', 'Shorter greeting', '--no-sync-check', '--json');
    assert.equal(sent.code, 0, sent.stderr);
    const { entry } = json<{ entry: Entry }>(sent);

    const notHers = await cli('--pipeline', 'reviewer.json', 'queue', 'withdraw', '--env', 'UAT', entry.number);
    assert.equal(notHers.code, 3, notHers.stderr);
    assert.match(notHers.stderr, new RegExp(`Only Ada Admin, who sent ${entry.number} “Shorter greeting”, or a release manager of UAT can withdraw it`));

    const withdrawn = await cli('queue', 'withdraw', '--env', 'UAT', entry.number, '--json');
    assert.equal(withdrawn.code, 0, withdrawn.stderr);
    const w = json<Entry & { withdrawn: { by: string; at: string } | null }>(withdrawn);
    assert.equal(w.status, 'Cancelled');
    assert.equal(w.withdrawn?.by, 'Ada Admin');

    const deploy = await cli('queue', 'deploy', '--env', 'UAT', entry.number);
    assert.equal(deploy.code, 3, deploy.stderr);
    assert.match(deploy.stderr, /was withdrawn by Ada Admin/);
    const twice = await cli('queue', 'withdraw', '--env', 'UAT', entry.number);
    assert.equal(twice.code, 3, twice.stderr);
    const text = await cli('queue', 'list', '--env', 'UAT');
    assert.match(text.stdout, new RegExp(`${entry.number}\\s+Cancelled`));
  });
});
