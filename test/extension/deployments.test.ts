/**
 * Deployment records in the editor: an approved change request in Dev → Create Deployment… toward
 * UAT → submitted → approved by a colleague → package retrieved into the record → validated →
 * deployed (quick deploy refused: the validation ran no tests), each step through the commands the tree's menus run, and the tree's Deployments
 * row grouping the record by its status as it goes. The colleague acts through the same workflows
 * in their own session, as they would from their own editor.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import type { ChangelineApi } from '../../src/extension';
import type { SalesforceApi } from '../../src/salesforce-loader';
import type { TreeNode } from '../../src/views/nodes';
import { approveDeployment } from '../../src/workflows/deploy/records';
import { OrgSessions } from '../../src/workflows/sessions';
import { allEnvChildren, ensureTracking, run, ScriptedPrompts, stamp } from './changeRequestsSupport';
import { testEmulator } from './index';
import { changeline, label, waitFor } from './support';

const REVIEWER_ALIAS = 'deptree-reviewer';

describe('Deployment records in the Environments view', function () {
  this.timeout(120_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  const prompts = new ScriptedPrompts();
  let reviewerUsername: string | undefined;
  let project: string;

  before(async () => {
    api = await changeline();
    sf = await api.salesforce();
    prompts.install(api);
    await ensureTracking(api, 'Dev');
    const dev = await api.sessions.get('Dev');
    const reviewer = testEmulator().org('dev').info().users.find((u) => !u.isAdmin)!;
    await sf.grantTrackingAccess(dev.handle, [reviewer.id]);
    const conn = await sf.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: testEmulator().org('dev').instanceUrl, alias: REVIEWER_ALIAS });
    reviewerUsername = conn.username;
    // Greeter and its test, in Dev.
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'deptree-'));
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    const meta = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
    fs.writeFileSync(path.join(classes, 'DepGreeter.cls'), "public with sharing class DepGreeter {\n    public static String greet(String who) {\n        return 'Hello, ' + who;\n    }\n}\n");
    fs.writeFileSync(path.join(classes, 'DepGreeterTest.cls'), "@isTest\nprivate class DepGreeterTest {\n    @isTest static void greets() {\n        System.assertEquals('Hello, Ada', DepGreeter.greet('Ada'));\n    }\n}\n");
    fs.writeFileSync(path.join(classes, 'DepGreeter.cls-meta.xml'), meta);
    fs.writeFileSync(path.join(classes, 'DepGreeterTest.cls-meta.xml'), meta);
    const deployed = await sf.deploy(dev.handle, { sourcePaths: [path.join(project, 'force-app')], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
  });
  after(async () => {
    prompts.restore(api);
    if (reviewerUsername) await sf.removeAuthorization(reviewerUsername).catch(() => undefined);
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });
  beforeEach(() => prompts.clear());

  /** The record rows of one status group under Dev's Deployments row, once the records were read. */
  async function recordRows(status: string): Promise<string[]> {
    const rows = await allEnvChildren(api, 'Dev');
    const deployments = rows.at(-1);
    assert.equal(deployments?.label, 'Deployments', 'Dev shows a Deployments row, after its change requests, once tracking is there');
    const read = () => api.provider.getChildren(deployments.node) as TreeNode[];
    read();
    await waitFor('the deployment records to be read', () => api.deployments.state('Dev').kind === 'ready');
    const group = read().find((n) => label(api.provider.getTreeItem(n) as never).startsWith(`${status} (`));
    if (!group) return [];
    return (api.provider.getChildren(group) as TreeNode[]).map((n) => {
      const item = api.provider.getTreeItem(n) as { description?: string };
      return `${label(api.provider.getTreeItem(n) as never)} ${item.description ?? ''}`;
    });
  }

  it('takes an approved change request to UAT: record, approval, package, validation (quick deploy refused without tests), deploy', async () => {
    const dev = await api.sessions.get('Dev');
    const reviewer = testEmulator().org('dev').info().users.find((u) => !u.isAdmin)!;
    const made = await createRequest({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, {
      name: stamp('Deploy greeter'),
      customizations: [
        { type: 'ApexClass', fullName: 'DepGreeter' },
        { type: 'ApexClass', fullName: 'DepGreeterTest' },
      ],
    });
    assert.ok(made.ok);
    const submittedCr = await changeStatus({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, made.cr, 'Pending approval');
    assert.ok(submittedCr.ok);
    const reviewerConn = await sf.connect(REVIEWER_ALIAS);
    const approvedCr = await changeStatus({ store: sf.trackingStore(reviewerConn), actor: { userId: reviewer.id } }, submittedCr.cr, 'Approved', 'ok');
    assert.ok(approvedCr.ok);

    // Production is not where Dev promotes to: refused, naming the allowed target.
    const wrong = await run<{ ok: boolean; reason?: string }>('createDeployment', { environment: 'Dev', id: made.cr.id, to: 'Production' });
    assert.equal(wrong?.ok, false);
    assert.match(prompts.said.at(-1) ?? '', /UAT/);

    // Create Deployment… on the CR row: one target (UAT), no question asked.
    const created = await run<{ ok: true; record: { id: string; number: string; status: string } }>('createDeployment', { environment: 'Dev', id: made.cr.id });
    assert.ok(created?.ok, prompts.said.join('\n'));
    const rec = created.record;
    assert.equal(rec.status, 'Draft');
    assert.match(prompts.said.at(-1) ?? '', new RegExp(`^Created ${rec.number}: ${approvedCr.cr.number} from Dev to UAT, 2 components`));
    await waitFor('the tree to show the draft', async () => (await recordRows('Draft')).some((r) => r.startsWith(rec.number)));
    assert.ok((await recordRows('Draft')).includes(`${rec.number} ${approvedCr.cr.number} → UAT`));

    const target = { environment: 'Dev', id: rec.id };
    assert.ok((await run<{ ok: boolean }>('submitDeployment', target))?.ok);
    // The submitter cannot approve their own record.
    prompts.inputs = ['mine'];
    const self = await run<{ ok: boolean }>('approveDeployment', target);
    assert.equal(self?.ok, false);
    assert.match(prompts.said.at(-1) ?? '', /someone other than its submitter/);
    // The colleague approves from their own session.
    const rae = {
      sessions: new OrgSessions({ environment: (n) => (n === 'Dev' ? { name: 'Dev', org: REVIEWER_ALIAS, role: 'development' as const } : api.model.environment(n)) }, () => api.salesforce()),
      salesforce: () => api.salesforce(),
      log: SILENT_LOG,
    };
    assert.ok((await approveDeployment(rae, 'Dev', rec.id, 'Ready for UAT')).ok);
    await run('refreshDeployments', { environment: 'Dev' });
    await waitFor('the tree to show it approved', async () => (await recordRows('Approved')).some((r) => r.startsWith(rec.number)));

    const retrieved = await run<{ ok: boolean }>('retrievePackage', target);
    assert.ok(retrieved?.ok, prompts.said.join('\n'));
    assert.match(prompts.said.at(-1) ?? '', /a package of 2 components .* is kept with the record in Dev's org/);

    const validated = await run<{ outcome: { result: { success: boolean; checkOnly: boolean } }; record: { validation?: { success: boolean } } }>('validateDeployment', target);
    assert.equal(validated?.outcome.result.success, true, prompts.said.join('\n'));
    assert.equal(validated?.outcome.result.checkOnly, true);
    assert.equal(validated?.record.validation?.success, true);
    assert.match(prompts.said.at(-1) ?? '', new RegExp(`^Validation 0Af\\w+ of ${rec.number} to UAT succeeded`));

    // UAT has no test level in the pipeline file: a sandbox validates with NoTestRun, which quick deploy cannot use.
    assert.equal(await run('quickDeployDeployment', target), undefined);
    assert.match(prompts.said.at(-1) ?? '', /ran no Apex tests \(NoTestRun\); quick deploy needs a validation whose tests passed/);

    const deployed = await run<{ outcome: { result: { success: boolean; checkOnly: boolean } }; record: { status: string } }>('deployDeployment', target);
    assert.equal(deployed?.outcome.result.success, true, prompts.said.join('\n'));
    assert.equal(deployed?.outcome.result.checkOnly, false);
    assert.equal(deployed?.record.status, 'Deployed');
    const uat = await api.sessions.get('UAT');
    assert.ok((await sf.listComponents(uat.handle, ['ApexClass'])).some((c) => c.fullName === 'DepGreeter'), 'the class reached UAT');
    await waitFor('the tree to show it deployed', async () => (await recordRows('Deployed')).some((r) => r.startsWith(rec.number)));
  });
});
