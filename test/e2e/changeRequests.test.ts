/**
 * A person takes a change request through its life in the workbench: installs change tracking in
 * Dev from the tree, creates a CR from the palette, edits and saves it in its panel, submits it, has
 * a colleague approve it, pushes it to UAT (installing tracking there when offered) and finds the
 * copy under UAT in the tree. Screenshots of each step go to test-output/screenshots/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { authorizeInHome } from '../../scripts/host/sf-home';
import { pick, pickMany, typeAndAccept, waitForQuickInput } from './helpers/quick-input';
import { e2eSuite, type E2ESession } from './helpers/session';
import { byTestId, visibleWebview } from './helpers/webview';

const VIEW = 'Environments';
const NAME = 'Add invoice discount';

describe('e2e: a change request from draft to UAT', function () {
  this.timeout(240_000);
  // The steps clear notifications themselves where they wait for one.
  const suite = e2eSuite({ keepNotifications: true });
  let s: E2ESession | undefined;
  let number = '';

  before(async function () {
    s = suite.session;
    await s.wb.openViewContainer('Changeline', VIEW);
    await s.wb.waitForRows(VIEW, 'the environments', (r) => r.some((x) => x.label === 'Dev'));
  });

  /** Clicks the primary button of the modal dialog VS Code shows. */
  async function confirmDialog(button: string): Promise<void> {
    const b = s!.wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: button }).first();
    await b.waitFor({ state: 'visible', timeout: 30_000 });
    await b.click();
  }

  async function expand(label: string): Promise<void> {
    const row = s!.wb.row(VIEW, label).first();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }

  it('installs change tracking in Dev from the tree', async () => {
    const { wb } = s!;
    await expand('Dev');
    await wb.waitForRows(VIEW, 'the install offer under Dev', (r) => r.some((x) => /Change tracking not installed/.test(x.label)));
    await wb.screenshot('cr-tracking-missing');
    await wb.row(VIEW, 'Change tracking not installed — Install…').click();
    await confirmDialog('Install');
    await wb.waitForNotification(/Change tracking is installed in Dev/, 120_000);
    await wb.waitForRows(VIEW, 'no install offer under Dev', (r) => !r.some((x) => /Change tracking not installed/.test(x.label)) && r.some((x) => x.label === 'UAT'));
    await wb.clearNotifications();
  });

  it('creates a change request from the palette; it opens in its panel', async () => {
    const { wb, launched } = s!;
    await wb.runCommand('Changeline: New Change Request…');
    await pick(wb.page, 'Dev');
    await typeAndAccept(wb.page, NAME, /Name/);
    await pick(wb.page, 'Feature');
    const title = await byTestId(wb.page, 'cr-title');
    const text = await title.innerText();
    assert.match(text, /CR-\d+/, `the panel shows the CR number: ${text}`);
    number = text.match(/CR-\d+/)![0];
    assert.ok(text.includes(NAME), text);
    // The CR is in the org, as a Draft.
    const rows = launched.emu!.org('dev').store.table('Changeline_Change_Request__c');
    assert.ok([...rows.values()].some((r) => r.Title__c === NAME && r.Status__c === 'Draft'), 'the draft is stored in the Dev org');
  });

  it('edits the overview and adds a customization; Ctrl+S saves and clears the dirty marker', async () => {
    const { wb, launched } = s!;
    const page = wb.page;
    const frame = await visibleWebview(page);
    await frame.locator('[data-testid="cr-overview"] textarea').fill('Customers with a contract get 5% off their invoices.');
    await frame.locator('[data-testid="cr-dirty"]').waitFor({ state: 'visible', timeout: 10_000 });
    // The customization picker offers Apex classes first; search them and add one of Dev's.
    const typeBox = frame.locator('[data-testid="cr-picker-type"] input.combobox-input');
    await typeBox.waitFor({ state: 'visible' });
    assert.equal(await typeBox.inputValue(), 'ApexClass', 'the type picker shows the type it searches');
    await frame.locator('[data-testid="cr-picker-search-go"]').click();
    const first = frame.locator('[data-testid="cr-picker-result"]').first();
    await first.waitFor({ state: 'visible', timeout: 30_000 });
    const fullName = (await first.getAttribute('data-full-name'))!;
    await first.locator('[data-testid="cr-add-customization"]').click();
    await frame.locator('[data-testid="cr-customizations-row"]').first().waitFor({ state: 'visible' });
    await wb.screenshot('cr-panel-editing');
    await frame.locator('[data-testid="cr-overview"]').click();
    await page.keyboard.press('Control+s');
    await frame.locator('[data-testid="cr-dirty"]').waitFor({ state: 'hidden', timeout: 30_000 });
    const stored = [...launched.emu!.org('dev').store.table('Changeline_Change_Request__c').values()].find((r) => r.Title__c === NAME)!;
    assert.match(String(stored.Overview__c), /5% off/);
    assert.ok(String(stored.Customizations__c).includes(fullName), `saved customizations name ${fullName}: ${stored.Customizations__c}`);
  });

  it('an unsaved edit survives a window reload: the editor comes back with it, then saves', async () => {
    const { wb, launched } = s!;
    const typed = 'Customers with a contract get 5% off their invoices. Typed, not saved, then the window reloaded.';
    let frame = await visibleWebview(wb.page);
    await frame.locator('[data-testid="cr-overview"] textarea').fill(typed);
    await frame.locator('[data-testid="cr-dirty"]').waitFor({ state: 'visible', timeout: 10_000 });
    await wb.runCommand('Developer: Reload Window');
    // The restored editor shows the CR (not "Loading the change request failed") with the edit, still unsaved.
    const title = await byTestId(wb.page, 'cr-title');
    assert.match(await title.innerText(), new RegExp(`^${number} · `));
    frame = await visibleWebview(wb.page);
    await frame.locator('[data-testid="cr-dirty"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await frame.locator('[data-testid="cr-overview"] textarea').inputValue(), typed);
    await wb.screenshot('cr-panel-after-reload');
    await frame.locator('[data-testid="cr-overview"]').click();
    await wb.page.keyboard.press('Control+s');
    await frame.locator('[data-testid="cr-dirty"]').waitFor({ state: 'hidden', timeout: 30_000 });
    const stored = [...launched.emu!.org('dev').store.table('Changeline_Change_Request__c').values()].find((r) => r.Title__c === NAME)!;
    assert.equal(stored.Overview__c, typed);
  });

  it('submits it for approval from the panel', async () => {
    const { wb } = s!;
    const submit = await byTestId(wb.page, 'cr-submit');
    await submit.click();
    const frame = await visibleWebview(wb.page);
    await frame.locator('[data-testid="cr-status"]', { hasText: 'Pending approval' }).waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('cr-panel-submitted');
  });

  it('a colleague (the second user of Dev) approves it from the tree with a comment', async () => {
    const { wb, launched } = s!;
    // The reviewer's own checkout: the same pipeline, with Dev authorized as the reviewer.
    const dev = launched.emu!.org('dev');
    const reviewer = dev.users[1];
    // First the admin gives the colleague access to change requests in Dev (the org hides the
    // tracking fields from a user without the Changeline_Tracking permission set).
    await wb.contextMenu(VIEW, 'Dev', 'Grant Change Tracking Access…');
    await waitForQuickInput(wb.page, /Give access to change requests in Dev/);
    await pickMany(wb.page, reviewer.name);
    await wb.waitForNotification(new RegExp(`${reviewer.name} can now use change requests in Dev`));
    await wb.clearNotifications();
    await authorizeInHome(launched.home, [{ alias: 'dev-reviewer', instanceUrl: dev.instanceUrl, accessToken: reviewer.accessToken, username: reviewer.username, orgId: dev.store.identity.orgId, isSandbox: true }]);
    const file = path.join(launched.workspace, '.changeline', 'pipeline.json');
    const pipeline = JSON.parse(fs.readFileSync(file, 'utf8'));
    pipeline.environments.find((e: { name: string }) => e.name === 'Dev').org = 'dev-reviewer';
    fs.writeFileSync(file, JSON.stringify(pipeline, null, 2));
    // The view's Refresh button (focus may be in the panel, which keeps F1 to itself).
    await wb.tree(VIEW).hover();
    await wb.page.locator('.part.sidebar a.action-label[aria-label^="Refresh Environments"]').first().click();
    await wb.waitForRows(VIEW, `Dev connected as ${reviewer.username}`, (r) => r.find((x) => x.label === 'Dev')?.description === `${reviewer.username} · connected`);
    await expand('Dev');
    await wb.waitForRows(VIEW, 'the Pending approval group', (r) => r.some((x) => /^Pending approval/.test(x.label)));
    await expand(await groupLabel('Pending approval'));
    await wb.waitForRows(VIEW, `${number} in the tree`, (r) => r.some((x) => x.label === number));
    await wb.contextMenu(VIEW, number, 'Approve…', 'cr-context-menu');
    await typeAndAccept(wb.page, 'Looks good; tested in Dev.');
    await wb.waitForNotification(/Approved|approved/);
    const stored = [...dev.store.table('Changeline_Change_Request__c').values()].find((r) => r.Title__c === NAME)!;
    assert.equal(stored.Status__c, 'Approved');
    await wb.clearNotifications();
  });

  it('pushes it to UAT, installing tracking there when offered, and finds the copy under UAT', async () => {
    const { wb, launched } = s!;
    // The CR moved to Dev's Approved group.
    await wb.waitForRows(VIEW, 'the Approved group', (r) => r.some((x) => /^Approved/.test(x.label)));
    await expand(await groupLabel('Approved'));
    await wb.waitForRows(VIEW, `${number} under Approved`, (r) => r.some((x) => x.label === number));
    await wb.contextMenu(VIEW, number, 'Push to Environment…');
    await pick(wb.page, 'UAT');
    // UAT has no tracking yet: the offer installs it, then the push goes on.
    const install = wb.page.locator('.notification-toast .monaco-button', { hasText: 'Install…' }).first();
    await install.waitFor({ state: 'visible', timeout: 60_000 });
    await install.click();
    await confirmDialog('Install');
    const text = await wb.waitForNotification(/Pushed/, 120_000);
    assert.ok(text.includes(number), text);
    const copy = [...launched.emu!.org('uat').store.table('Changeline_Change_Request__c').values()].find((r) => r.Title__c === NAME);
    assert.ok(copy, 'UAT holds the copy');
    assert.equal(copy.Status__c, 'Draft');
    assert.equal(copy.Origin_Number__c, number);
    await expand('UAT');
    await wb.waitForRows(VIEW, 'the Draft group under UAT', (r) => r.some((x) => /^Draft/.test(x.label)));
    const uatDraft = wb.tree(VIEW).locator('[role="treeitem"]').filter({ has: wb.page.locator('.label-name', { hasText: /^Draft/ }) }).last();
    if ((await uatDraft.getAttribute('aria-expanded')) !== 'true') await uatDraft.click();
    await wb.waitForRows(VIEW, `the copy ${copy.Name} under UAT`, (r) => r.some((x) => x.label === copy.Name));
    await wb.screenshot('cr-pushed-tree');
  });

  async function groupLabel(prefix: string): Promise<string> {
    const rows = await s!.wb.rows(VIEW);
    const g = rows.find((r) => r.label.startsWith(prefix));
    if (!g) throw new Error(`no ${prefix} group: ${JSON.stringify(rows)}`);
    return g.label;
  }
});
