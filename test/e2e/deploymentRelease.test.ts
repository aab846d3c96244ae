/**
 * A person takes an approved change request all the way to UAT in the workbench: Create
 * Deployment… on the CR row, Submit from the record's menu, a colleague approves (from their own
 * session, through the same workflow), then in the deployment panel: Retrieve Selected
 * Customizations, Check Dependencies, Validate (UAT runs local tests), Quick Deploy of that
 * validation, and Complete… which closes the record and the CR. Then a second record whose class
 * does not compile: Validate fails, and Show Problems lists the error at its line in the package.
 *
 * Set-up through the Salesforce layer from this process, with HOME pointed at the workbench's
 * private sf home (the pipeline file gives UAT the test level RunLocalTests), change tracking
 * in Dev, the colleague given access, the classes in Dev, the CRs submitted and approved; the
 * second record is made ready through the workflows (it is the validation's failure under test).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { authorizeInHome } from '../../scripts/host/sf-home';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline } from '../../src/core/pipeline';
import * as sf from '../../src/salesforce';
import { approveDeployment, createDeployment, retrievePackage, submitDeployment } from '../../src/workflows/deploy/records';
import { OrgSessions } from '../../src/workflows/sessions';
import { pick, waitForQuickInput } from './helpers/quick-input';
import { e2eSuite, type E2ESession } from './helpers/session';
import { visibleWebview } from './helpers/webview';

const VIEW = 'Environments';
const CLASS = 'PriceRounder';
const BROKEN = 'RounderBroken';
const REVIEWER_ALIAS = 'dev-reviewer';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const SOURCE = `public with sharing class ${CLASS} {\n    public static Decimal rounded(Decimal amount) {\n        return amount.setScale(2);\n    }\n}\n`;
const TEST = `@isTest\nprivate class ${CLASS}Test {\n    @isTest static void rounds() {\n        System.assertEquals(1.24, ${CLASS}.rounded(1.235));\n    }\n}\n`;
const BROKEN_SOURCE = `public class ${BROKEN} {\n    public static Integer one() {\n        return (1));\n    }\n}\n`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const PIPELINE = {
  version: 1,
  environments: [
    { name: 'Dev', org: 'dev', role: 'development', next: 'UAT', testLevel: 'NoTestRun' },
    { name: 'UAT', org: 'uat', role: 'staging', next: 'Production', testLevel: 'RunLocalTests' },
    { name: 'Production', org: 'prod', role: 'production', testLevel: 'RunLocalTests' },
  ],
};

describe('e2e: an approved change request released to UAT through its deployment record, and a failed validation in Problems', function () {
  this.timeout(480_000);
  // UAT validates with the local tests (so a validation can be quick-deployed): in the pipeline file before VS Code opens the workspace.
  const suite = e2eSuite({ keepNotifications: true, workspace: (dir) => fs.writeFileSync(path.join(dir, '.changeline', 'pipeline.json'), JSON.stringify(PIPELINE, null, 2)) });
  let s: E2ESession | undefined;
  let crNumber = '';
  let depNumber = '';
  let brokenNumber = '';
  let brokenId = '';

  /** Runs `fn` with this process's sf state in the workbench's private HOME. */
  async function inSfHome<T>(fn: () => Promise<T>): Promise<T> {
    const keys = ['HOME', 'SF_USE_GENERIC_UNIX_KEYCHAIN', 'SF_DISABLE_LOG_FILE'];
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    process.env.HOME = s!.launched.home;
    process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
    process.env.SF_DISABLE_LOG_FILE = 'true';
    try {
      return await fn();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  /** Workflow dependencies of a user whose Dev session is `devAlias`, as from their own editor. */
  function depsOf(devAlias: string) {
    const envs: Record<string, { name: string; org: string; role: 'development' | 'staging' | 'production'; testLevel?: 'RunLocalTests' }> = {
      Dev: { name: 'Dev', org: devAlias, role: 'development' },
      UAT: { name: 'UAT', org: 'uat', role: 'staging', testLevel: 'RunLocalTests' },
    };
    return { sessions: new OrgSessions({ environment: (n: string) => envs[n] }, async () => sf), salesforce: async () => sf, log: SILENT_LOG };
  }

  async function expand(row: ReturnType<E2ESession['wb']['row']>): Promise<void> {
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }

  const depGroup = (status: string) =>
    s!.wb.tree(VIEW).locator('[role="treeitem"]').filter({ has: s!.wb.page.locator('.label-name', { hasText: new RegExp(`^${status} \\(\\d+\\)$`) }) }).last();

  async function refreshView(): Promise<void> {
    await s!.wb.tree(VIEW).hover();
    await s!.wb.page.locator('.part.sidebar a.action-label[aria-label^="Refresh Environments"]').first().click();
  }

  /** Clicks a panel button once the panel allows it, then waits for the notification that says how it went. */
  async function panelAction(testId: string, said: RegExp, timeoutMs = 180_000): Promise<string> {
    const { wb } = s!;
    await wb.clearNotifications();
    const frame = await visibleWebview(wb.page);
    const button = frame.locator(`vscode-button[data-testid="${testId}"][data-allowed="true"]`);
    await button.waitFor({ state: 'visible', timeout: 60_000 });
    await button.click();
    return wb.waitForNotification(said, timeoutMs);
  }

  /** Waits until the progress notification of a run has gone and clears the rest, for a clean screenshot. */
  async function quiet(progress: string): Promise<void> {
    const { wb } = s!;
    await wb.page.locator('.notification-toast', { hasText: progress }).first().waitFor({ state: 'hidden', timeout: 90_000 });
    await wb.clearNotifications();
    await wb.page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.page.mouse.move(1000, 400);
  }

  const stored = (name: string) => [...s!.launched.emu!.org('dev').store.table('Changeline_Deployment__c').values()].find((r) => r.Name === name);

  before(async function () {
    s = suite.session;
    const { launched } = s;
    const dev = launched.emu!.org('dev');
    const reviewer = dev.users[1]!;
    dev.store.commitMetadata(
      [
        { type: 'ApexClass', fullName: CLASS, files: { [`classes/${CLASS}.cls`]: b64(SOURCE), [`classes/${CLASS}.cls-meta.xml`]: b64(META) } },
        { type: 'ApexClass', fullName: `${CLASS}Test`, files: { [`classes/${CLASS}Test.cls`]: b64(TEST), [`classes/${CLASS}Test.cls-meta.xml`]: b64(META) } },
        // Saved in Dev by some tool that did not compile it: the validation in UAT finds the error.
        { type: 'ApexClass', fullName: BROKEN, files: { [`classes/${BROKEN}.cls`]: b64(BROKEN_SOURCE), [`classes/${BROKEN}.cls-meta.xml`]: b64(META) } },
      ],
      [],
      dev.admin.id,
    );
    await authorizeInHome(launched.home, [{ alias: REVIEWER_ALIAS, instanceUrl: dev.instanceUrl, accessToken: reviewer.accessToken, username: reviewer.username, orgId: dev.store.identity.orgId, isSandbox: true }]);
    const approvedCr = async (handle: sf.OrgConnection, me: string, name: string, classes: string[]) => {
      const made = await createRequest({ store: sf.trackingStore(handle), actor: { userId: me } }, { name, customizations: classes.map((fullName) => ({ type: 'ApexClass', fullName })), approvers: [reviewer.id] });
      assert.ok(made.ok, JSON.stringify(made));
      const submitted = await changeStatus({ store: sf.trackingStore(handle), actor: { userId: me } }, made.cr, 'Pending approval');
      assert.ok(submitted.ok, JSON.stringify(submitted));
      const approved = await changeStatus({ store: sf.trackingStore(await sf.connect(REVIEWER_ALIAS)), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'Reviewed.');
      assert.ok(approved.ok, JSON.stringify(approved));
      return approved.cr.number!;
    };
    const pipeline = parsePipeline(JSON.stringify(PIPELINE)).pipeline!;
    ({ crNumber, brokenNumber, brokenId } = await inSfHome(async () => {
      const handle = await sf.connect('dev');
      const me = await sf.currentUserId(handle);
      assert.ok((await sf.installTracking(handle, { pollMs: 20 })).success, 'tracking installed in Dev');
      await sf.grantTrackingAccess(handle, [reviewer.id]);
      const cr = await approvedCr(handle, me, 'Round prices to cents', [CLASS, `${CLASS}Test`]);
      // The second release, made ready without the editor: its validation is what the test clicks.
      const brokenCr = await approvedCr(handle, me, 'Rounding helper', [BROKEN]);
      const made = await createDeployment(depsOf('dev'), { crEnv: 'Dev', crRef: brokenCr, targetEnv: 'UAT', pipeline });
      assert.ok(made.ok, JSON.stringify(made));
      assert.ok((await submitDeployment(depsOf('dev'), 'Dev', made.record.id!, pipeline)).ok);
      assert.ok((await approveDeployment(depsOf(REVIEWER_ALIAS), 'Dev', made.record.id!, 'Fine.')).ok);
      const got = await retrievePackage(depsOf('dev'), 'Dev', made.record.id!, { pollMs: 50 });
      assert.ok(got.ok, JSON.stringify(got));
      return { crNumber: cr, brokenNumber: made.record.number!, brokenId: made.record.id! };
    }));
    await s.wb.openViewContainer('Changeline', VIEW);
    await s.wb.waitForRows(VIEW, 'the environments', (r) => r.some((x) => x.label === 'Dev'));
  });

  it('creates the record from the approved CR, submits it; the colleague approves it', async () => {
    const { wb } = s!;
    await refreshView();
    await expand(wb.row(VIEW, 'Dev').first());
    await wb.waitForRows(VIEW, 'the Approved change requests under Dev', (r) => r.some((x) => /^Approved \(\d+\)$/.test(x.label)));
    await expand(wb.tree(VIEW).locator('[role="treeitem"]').filter({ has: wb.page.locator('.label-name', { hasText: /^Approved \(\d+\)$/ }) }).first());
    await wb.waitForRows(VIEW, `${crNumber} under Approved`, (r) => r.some((x) => x.label === crNumber));
    await wb.contextMenu(VIEW, crNumber, 'Create Deployment…');
    const said = await wb.waitForNotification(/^Created \S+: /);
    const m = said.match(/^Created (\S+): (\S+) from Dev to UAT, 2 components/);
    assert.ok(m, said);
    depNumber = m[1]!;
    assert.equal(stored(depNumber)?.Test_Level__c, 'RunLocalTests', 'UAT’s test level from the pipeline file');
    await wb.clearNotifications();
    await expand(wb.row(VIEW, 'Deployments').first());
    await expand(depGroup('Draft'));
    await wb.waitForRows(VIEW, `${depNumber} under Draft`, (r) => r.some((x) => x.label === depNumber));
    await wb.contextMenu(VIEW, depNumber, 'Submit Deployment for Approval');
    assert.equal(await wb.waitForNotification(new RegExp(`^${depNumber} is now`)), `${depNumber} is now Pending approval.`);
    const approved = await inSfHome(() => approveDeployment(depsOf(REVIEWER_ALIAS), 'Dev', String(stored(depNumber)!.Id), 'Ready for UAT.'));
    assert.ok(approved.ok, JSON.stringify(approved));
    await wb.clearNotifications();
    await refreshView();
    await wb.waitForRows(VIEW, 'the Approved group under Deployments', (r) => r.filter((x) => /^Approved \(\d+\)$/.test(x.label)).length === 2);
    await expand(depGroup('Approved'));
    await wb.waitForRows(VIEW, `${depNumber} under Approved`, (r) => r.some((x) => x.label === depNumber));
  });

  it('in its panel: retrieves, checks dependencies, validates with UAT’s tests, quick-deploys the validation, and completes the record and the CR', async () => {
    const { wb, launched } = s!;
    await wb.openFromRow(VIEW, depNumber, `${depNumber} ·`);
    const frame = await visibleWebview(wb.page);
    await frame.locator('[data-testid="dep-status"]').filter({ hasText: 'Approved' }).waitFor({ state: 'visible', timeout: 90_000 });

    assert.match(await panelAction('dep-retrieve', new RegExp(`^${depNumber}: a package of`)), /a package of 2 components \(\d+ files\) is kept with the record in Dev's org/);
    assert.match(await panelAction('dep-dependencies', new RegExp(`^${depNumber}: every reference|references \\d+ component`)), new RegExp(`^${depNumber}: every reference is in the package or in UAT`));

    const validated = await panelAction('dep-validate', new RegExp(`^Validation 0Af\\w+ of ${depNumber} to UAT`));
    assert.match(validated, new RegExp(`^Validation 0Af\\w+ of ${depNumber} to UAT succeeded: 2/2 components, tests \\d+/\\d+ \\(0 failed\\)`));
    assert.equal(launched.emu!.org('uat').store.getComponent('ApexClass', CLASS), undefined, 'a validation changes nothing in UAT');
    await quiet(`Validation of ${depNumber} in UAT`);
    await (await visibleWebview(wb.page)).locator('[data-testid="dep-validation"]').scrollIntoViewIfNeeded();
    await wb.screenshot('deployment-release-validated');

    const quick = await panelAction('dep-quick-deploy', new RegExp(`^Quick deploy 0Af\\w+ of ${depNumber} to UAT`));
    assert.match(quick, new RegExp(`^Quick deploy 0Af\\w+ of ${depNumber} to UAT succeeded: .*The record is Deployed\\.`));
    assert.ok(launched.emu!.org('uat').store.getComponent('ApexClass', CLASS), `${CLASS} reached UAT`);
    await quiet(`Quick deploy of ${depNumber} in UAT`);

    await wb.clearNotifications();
    const complete = (await visibleWebview(wb.page)).locator('vscode-button[data-testid="dep-complete"][data-allowed="true"]');
    await complete.waitFor({ state: 'visible', timeout: 60_000 });
    await complete.click();
    await waitForQuickInput(wb.page, new RegExp(`Complete ${depNumber}: have you checked the result in UAT\\?`));
    await pick(wb.page, 'Complete');
    const done = await wb.waitForNotification(new RegExp(`^${depNumber} is Completed`), 120_000);
    assert.match(done, new RegExp(`^${depNumber} is Completed, and so is ${crNumber} in Dev`));
    await (await visibleWebview(wb.page)).locator('[data-testid="dep-status"]').filter({ hasText: 'Completed' }).waitFor({ state: 'visible', timeout: 90_000 });
    await quiet(`Completing ${depNumber}`);
    await (await visibleWebview(wb.page)).locator('[data-testid="dep-number"]').scrollIntoViewIfNeeded();
    await wb.screenshot('deployment-release-completed');
  });

  it('a validation failing on a compile error lists the error in the Problems panel at its line in the package', async () => {
    const { wb, launched } = s!;
    await refreshView();
    await expand(wb.row(VIEW, 'Deployments').first());
    await expand(depGroup('Approved'));
    await wb.waitForRows(VIEW, `${brokenNumber} under Approved`, (r) => r.some((x) => x.label === brokenNumber));
    await wb.openFromRow(VIEW, brokenNumber, `${brokenNumber} ·`);
    const frame = await visibleWebview(wb.page);
    await frame.locator('[data-testid="dep-number"]').filter({ hasText: brokenNumber }).waitFor({ state: 'visible', timeout: 90_000 });
    const said = await panelAction('dep-validate', new RegExp(`^Validation 0Af\\w+ of ${brokenNumber} to UAT`));
    assert.match(said, new RegExp(`^Validation 0Af\\w+ of ${brokenNumber} to UAT failed: 1 component error`));
    const toast = wb.page.locator('.notification-toast', { hasText: `of ${brokenNumber} to UAT failed` }).first();
    await toast.locator('.monaco-button', { hasText: 'Show Problems' }).first().click();
    const marker = wb.page.locator('.markers-panel .monaco-list-row', { hasText: "Unexpected token ')'" }).first();
    await marker.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await marker.innerText()).replace(/\s+/g, ' '), /\[Ln 3, Col \d+\]/);
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: `${BROKEN}.cls` }).first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(launched.emu!.org('uat').store.getComponent('ApexClass', BROKEN), undefined, 'nothing reached UAT');
    assert.ok(brokenId);
    await quiet(`Validation of ${brokenNumber} in UAT`);
    await wb.screenshot('deployment-validation-problems');
  });
});
