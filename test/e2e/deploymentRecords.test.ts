/**
 * A person releases an approved change request through a deployment record in the workbench:
 * right-clicks the CR under Dev › Approved → Create Deployment… (UAT, Dev's only target), finds the
 * record under Dev › Deployments › Draft and submits it from its menu; a colleague approves it (from
 * their own session, through the same workflow their editor runs); the person clicks the record,
 * the deployment panel shows its header and components; Retrieve Selected Customizations and
 * Validate from the panel's buttons, with the validation's result in the panel.
 *
 * Set-up through the Salesforce layer from this process, with HOME pointed at the workbench's
 * private sf home (the orgs are authorized there under their aliases): change tracking installed
 * in Dev, the colleague given access, a class in Dev, and a CR of it submitted and approved.
 */
import * as assert from 'node:assert/strict';
import { authorizeInHome } from '../../scripts/host/sf-home';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import * as sf from '../../src/salesforce';
import { approveDeployment } from '../../src/workflows/deploy/records';
import { OrgSessions } from '../../src/workflows/sessions';
import { e2eSuite, type E2ESession } from './helpers/session';
import { visibleWebview } from './helpers/webview';

const VIEW = 'Environments';
const CLASS = 'DiscountCalculator';
const REVIEWER_ALIAS = 'dev-reviewer';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const SOURCE = `public with sharing class ${CLASS} {\n    public static Decimal discounted(Decimal amount) {\n        return amount * 0.95;\n    }\n}\n`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('e2e: a deployment record from an approved change request to a validation in UAT', function () {
  this.timeout(240_000);
  const suite = e2eSuite({ keepNotifications: true });
  let s: E2ESession | undefined;
  let crNumber = '';
  let depNumber = '';
  let savedEnv: Record<string, string | undefined> = {};

  /** Runs `fn` with this process's sf state in the workbench's private HOME. */
  async function inSfHome<T>(fn: () => Promise<T>): Promise<T> {
    const keys = ['HOME', 'SF_USE_GENERIC_UNIX_KEYCHAIN', 'SF_DISABLE_LOG_FILE'];
    savedEnv = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    process.env.HOME = s!.launched.home;
    process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
    process.env.SF_DISABLE_LOG_FILE = 'true';
    try {
      return await fn();
    } finally {
      for (const [k, v] of Object.entries(savedEnv)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  /** The colleague's workflow dependencies: Dev reached as the reviewer, as from their own editor. */
  function colleague() {
    const envs: Record<string, { name: string; org: string; role: 'development' | 'staging' | 'production' }> = {
      Dev: { name: 'Dev', org: REVIEWER_ALIAS, role: 'development' },
      UAT: { name: 'UAT', org: 'uat', role: 'staging' },
    };
    return { sessions: new OrgSessions({ environment: (n: string) => envs[n] }, async () => sf), salesforce: async () => sf, log: SILENT_LOG };
  }

  async function expand(row: ReturnType<E2ESession['wb']['row']>): Promise<void> {
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }

  /** The status group under Dev › Deployments (after the CR groups of the same names). */
  const depGroup = (status: string) =>
    s!.wb.tree(VIEW).locator('[role="treeitem"]').filter({ has: s!.wb.page.locator('.label-name', { hasText: new RegExp(`^${status} \\(\\d+\\)$`) }) }).last();

  async function refreshView(): Promise<void> {
    await s!.wb.tree(VIEW).hover();
    await s!.wb.page.locator('.part.sidebar a.action-label[aria-label^="Refresh Environments"]').first().click();
  }

  before(async function () {
    s = suite.session;
    const { launched } = s;
    const dev = launched.emu!.org('dev');
    const reviewer = dev.users[1]!;
    dev.store.commitMetadata([{ type: 'ApexClass', fullName: CLASS, files: { [`classes/${CLASS}.cls`]: b64(SOURCE), [`classes/${CLASS}.cls-meta.xml`]: b64(META) } }], [], dev.admin.id);
    await authorizeInHome(launched.home, [{ alias: REVIEWER_ALIAS, instanceUrl: dev.instanceUrl, accessToken: reviewer.accessToken, username: reviewer.username, orgId: dev.store.identity.orgId, isSandbox: true }]);
    crNumber = await inSfHome(async () => {
      const handle = await sf.connect('dev');
      const me = await sf.currentUserId(handle);
      const installed = await sf.installTracking(handle, { pollMs: 20 });
      assert.ok(installed.success, 'tracking installed in Dev');
      await sf.grantTrackingAccess(handle, [reviewer.id]);
      const made = await createRequest({ store: sf.trackingStore(handle), actor: { userId: me } }, { name: 'Discounts for contract customers', customizations: [{ type: 'ApexClass', fullName: CLASS }], approvers: [reviewer.id] });
      assert.ok(made.ok, JSON.stringify(made));
      const submitted = await changeStatus({ store: sf.trackingStore(handle), actor: { userId: me } }, made.cr, 'Pending approval');
      assert.ok(submitted.ok, JSON.stringify(submitted));
      const asReviewer = await sf.connect(REVIEWER_ALIAS);
      const approved = await changeStatus({ store: sf.trackingStore(asReviewer), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'Reviewed the discount rule.');
      assert.ok(approved.ok, JSON.stringify(approved));
      return approved.cr.number!;
    });
    await s.wb.openViewContainer('Changeline', VIEW);
    await s.wb.waitForRows(VIEW, 'the environments', (r) => r.some((x) => x.label === 'Dev'));
  });

  it('creates a deployment record from the approved CR’s context menu; it shows under Dev › Deployments › Draft', async () => {
    const { wb } = s!;
    await refreshView();
    await expand(wb.row(VIEW, 'Dev').first());
    await wb.waitForRows(VIEW, 'the Approved change requests under Dev', (r) => r.some((x) => /^Approved \(\d+\)$/.test(x.label)));
    await expand(wb.tree(VIEW).locator('[role="treeitem"]').filter({ has: wb.page.locator('.label-name', { hasText: /^Approved \(\d+\)$/ }) }).first());
    await wb.waitForRows(VIEW, `${crNumber} under Approved`, (r) => r.some((x) => x.label === crNumber));
    await wb.contextMenu(VIEW, crNumber, 'Create Deployment…', 'deployment-create-menu');
    // Dev's only target is UAT: no question asked.
    const said = await wb.waitForNotification(/^Created \S+: /);
    const m = said.match(/^Created (\S+): (\S+) from Dev to UAT, 1 component\./);
    assert.ok(m, said);
    assert.equal(m[2], crNumber);
    depNumber = m[1]!;
    await wb.clearNotifications();
    await expand(wb.row(VIEW, 'Deployments').first());
    await wb.waitForRows(VIEW, 'the Draft group under Deployments', (r) => r.some((x) => x.label === 'Draft (1)'));
    await expand(depGroup('Draft'));
    const rows = await wb.waitForRows(VIEW, `${depNumber} under Draft`, (r) => r.some((x) => x.label === depNumber));
    assert.equal(rows.find((x) => x.label === depNumber)!.description, `${crNumber} → UAT`);
  });

  it('submits it from its context menu; the colleague approves it; it moves to Approved', async () => {
    const { wb, launched } = s!;
    await wb.contextMenu(VIEW, depNumber, 'Submit Deployment for Approval');
    assert.equal(await wb.waitForNotification(new RegExp(`^${depNumber} is now`)), `${depNumber} is now Pending approval.`);
    await wb.clearNotifications();
    await wb.waitForRows(VIEW, `${depNumber} pending approval`, (r) => r.some((x) => /^Pending approval \(1\)$/.test(x.label)) && !r.some((x) => x.label === 'Draft (1)'));
    // The colleague, in their own editor, approves it.
    const row = [...launched.emu!.org('dev').store.table('Changeline_Deployment__c').values()].find((r) => r.Name === depNumber);
    assert.ok(row, `${depNumber} is kept in Dev's org`);
    const approved = await inSfHome(() => approveDeployment(colleague(), 'Dev', String(row.Id), 'Ready for UAT.'));
    assert.ok(approved.ok, JSON.stringify(approved));
    await refreshView();
    await wb.waitForRows(VIEW, 'the Approved group under Deployments', (r) => r.filter((x) => /^Approved \(\d+\)$/.test(x.label)).length === 2);
    await expand(depGroup('Approved'));
    await wb.waitForRows(VIEW, `${depNumber} under Approved`, (r) => r.some((x) => x.label === depNumber));
  });

  it('opens the record in its panel: header, route, approver and components', async () => {
    const { wb, launched } = s!;
    await wb.openFromRow(VIEW, depNumber, `${depNumber} ·`);
    const frame = await visibleWebview(wb.page);
    const status = frame.locator('[data-testid="dep-status"]');
    await status.filter({ hasText: 'Approved' }).waitFor({ state: 'visible', timeout: 90_000 });
    assert.equal(await frame.locator('[data-testid="dep-number"]').innerText(), depNumber);
    assert.equal(await frame.locator('[data-testid="dep-route"]').innerText(), `${crNumber}: Dev → UAT`);
    const reviewer = launched.emu!.org('dev').users[1]!;
    assert.match(await frame.locator('[data-testid="dep-people"]').innerText(), new RegExp(`Approvers: ${reviewer.name}`));
    const components = await frame.locator('[data-testid="dep-component"]').allInnerTexts();
    assert.deepEqual(components.map((t) => t.replace(/\s+/g, ' ').trim()), [`ApexClass ${CLASS}`]);
    const retrieve = frame.locator('vscode-button[data-testid="dep-retrieve"]');
    assert.equal(await retrieve.getAttribute('data-allowed'), 'true', 'the approved record can be retrieved');
    await wb.clearNotifications();
    await wb.page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.page.mouse.move(1000, 400);
    await wb.screenshot('deployment-panel');
  });

  it('retrieves the package and validates it in UAT from the panel; the panel shows the validation', async () => {
    const { wb, launched } = s!;
    let frame = await visibleWebview(wb.page);
    await frame.locator('vscode-button[data-testid="dep-retrieve"]').click();
    const got = await wb.waitForNotification(new RegExp(`^${depNumber}: a package of`), 120_000);
    assert.match(got, /a package of 1 component \(\d+ files\) is kept with the record in Dev's org/);
    await wb.clearNotifications();
    frame = await visibleWebview(wb.page);
    await frame.locator('[data-testid="dep-package-files"] tr', { hasText: `${CLASS}.cls` }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const validate = frame.locator('vscode-button[data-testid="dep-validate"][data-allowed="true"]');
    await validate.waitFor({ state: 'visible', timeout: 30_000 });
    await validate.click();
    const said = await wb.waitForNotification(new RegExp(`^Validation 0Af\\w+ of ${depNumber} to UAT`), 120_000);
    assert.match(said, new RegExp(`^Validation 0Af\\w+ of ${depNumber} to UAT succeeded: 1/1 components\\. The record is [^.]+\\.$`));
    // Written to the record in Dev's org, for a teammate on another machine to see.
    const validationId = said.match(/^Validation (0Af\w+)/)![1]!;
    const stored = [...launched.emu!.org('dev').store.table('Changeline_Deployment__c').values()].find((r) => r.Name === depNumber)!;
    assert.ok(stored.Package_Document_Id__c, 'the package is kept with the record');
    const facts = JSON.parse(String(stored.Facts__c)) as { validation?: { id: string; success: boolean } };
    assert.deepEqual({ id: facts.validation?.id, success: facts.validation?.success }, { id: validationId, success: true });
    const result = frame.locator('[data-testid="dep-validation-status"]');
    await result.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await result.innerText(), new RegExp(`^Succeeded · ${validationId} · by Ada Admin`));
    assert.match(await frame.locator('[data-testid="dep-validation-counts"]').innerText(), /^Components 1\/1/);
    // A check-only deploy: nothing reached UAT.
    assert.equal(launched.emu!.org('uat').store.getComponent('ApexClass', CLASS), undefined, 'the validation changed nothing in UAT');
    // The progress notification goes (VS Code keeps it up briefly after the end); the panel keeps the result.
    await wb.page.locator('.notification-toast', { hasText: `Validation of ${depNumber} in UAT` }).first().waitFor({ state: 'hidden', timeout: 90_000 });
    await wb.clearNotifications();
    await wb.page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 30_000 });
    await frame.locator('[data-testid="dep-validation"]').scrollIntoViewIfNeeded();
    await wb.page.mouse.move(1000, 400);
    await wb.screenshot('deployment-validated');
  });
});
