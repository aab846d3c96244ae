/**
 * A person compares two environments through the workbench: runs "Compare Environments…" from the
 * Command Palette, reads the counts in the compare panel, searches, clicks a row and gets VS Code's
 * diff editor with both orgs' versions; then starts the same compare from the Environments view.
 * Last, "Diff with Environment…" on a project file, from the Explorer and from the editor tab.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UAT_INVOICE_SERVICE } from '../../scripts/demo/workspace';
import { seedDifferences } from '../emulator/seed';
import { pick, waitForQuickInput } from './helpers/quick-input';
import { e2eSuite, type E2ESession } from './helpers/session';
import { byTestId, visibleWebview } from './helpers/webview';

const VIEW = 'Environments';
/** UAT is the second seeded org (index 1); Production, the first, is the base it differs from. */
const DIFF = seedDifferences(1, 60, 1);

describe('e2e: compare environments in VS Code', function () {
  this.timeout(240_000);
  const suite = e2eSuite();
  let s: E2ESession | undefined;
  before(() => (s = suite.session));

  async function count(id: string): Promise<number> {
    const chip = await byTestId(s!.wb.page, id);
    return Number((await chip.locator('.count').innerText()).replace(/,/g, ''));
  }

  it('runs "Compare Environments…" from the palette and shows the counts of the seeded differences', async () => {
    const { wb } = s!;
    await wb.openViewContainer('Changeline', VIEW);
    await wb.runCommand('Changeline: Compare Environments…');
    await waitForQuickInput(wb.page, /source environment/);
    await pick(wb.page, 'UAT');
    await waitForQuickInput(wb.page, /Compare UAT with/);
    // The next prompt stays open when the focus goes elsewhere for a moment (as when the editor
    // or a panel takes the focus back after the first pick): it does not close as "cancelled".
    await wb.tree(VIEW).focus();
    await waitForQuickInput(wb.page, /Compare UAT with/);
    await pick(wb.page, 'Production');
    await waitForQuickInput(wb.page, /Compare which metadata of UAT/);
    await pick(wb.page, 'All metadata types');

    await byTestId(wb.page, 'compare-table');
    assert.equal(await count('count-different'), DIFF.changed.length);
    assert.equal(await count('count-only-in-source'), DIFF.onlyInSibling.length);
    assert.equal(await count('count-only-in-target'), DIFF.onlyInBase.length);
    assert.ok((await count('count-identical')) > 40);
    const title = await byTestId(wb.page, 'title');
    assert.equal(await title.innerText(), 'UAT ↔ Production');
    // Identical components are hidden at first: the rows are the differences.
    const frame = await visibleWebview(wb.page);
    assert.equal(await frame.locator('[data-testid="row"]').count(), DIFF.changed.length + DIFF.onlyInSibling.length + DIFF.onlyInBase.length);
    await wb.page.mouse.move(1000, 700);
    await wb.screenshot('compare-panel');
  });

  it('searches the table, then opens a differing component in the diff editor', async () => {
    const { wb } = s!;
    const frame = await visibleWebview(wb.page);
    const changed = DIFF.changed.find((c) => c.type === 'ApexClass') ?? DIFF.changed[0];
    await frame.locator('[data-testid="search"] input').fill(changed.fullName);
    // The table says which search its rows were filtered by: wait for this one (typing is debounced), then count.
    await frame.locator(`[data-testid="compare-table"][data-search="${changed.fullName}"]`).waitFor({ state: 'attached', timeout: 30_000 });
    const row = frame.locator(`[data-testid="row"][data-name="${changed.fullName}"]`);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await frame.locator('[data-testid="row"]').count(), 1, 'the search leaves the one component');
    // Ticking the row offers a change request with it.
    await row.locator('input[type="checkbox"]').check();
    await frame.locator('[data-testid="create-cr"]', { hasText: '(1)' }).waitFor({ state: 'visible', timeout: 10_000 });
    await row.locator('input[type="checkbox"]').uncheck();
    await frame.locator('[data-testid="create-cr"]', { hasText: '(0)' }).waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
    const tab = wb.page.locator('.tabs-container .tab', { hasText: '↔' }).filter({ hasText: '(UAT ↔ Production)' }).first();
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    const label = (await tab.innerText()).trim();
    assert.match(label, /\(UAT ↔ Production\)/);
    // The diff editor shows two sides with a change marked.
    await wb.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.locator('.monaco-diff-editor .line-insert, .monaco-diff-editor .char-insert, .monaco-diff-editor .line-delete').first().waitFor({ state: 'attached', timeout: 30_000 });
    // Without the side bar the editor is wide enough for the side-by-side view.
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await wb.page.locator('.monaco-diff-editor.side-by-side').first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.mouse.move(1000, 700);
    await wb.screenshot('compare-diff');
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
  });

  it('exports the result as CSV through the save dialog, named after the compare', async () => {
    const { wb, launched } = s!;
    await wb.page.locator('.tabs-container .tab', { hasText: 'Compare UAT ↔ Production' }).first().click();
    const frame = await visibleWebview(wb.page);
    await frame.locator('[data-testid="export-csv"]').click();
    // code-server's save dialog is a quick input holding the proposed path.
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    // The dialog fills the path in after it shows: wait for it.
    await wb.page.waitForFunction(`document.querySelector('.quick-input-widget .quick-input-box input')?.value.endsWith('.csv')`, undefined, { timeout: 30_000 });
    const proposed = await input.inputValue();
    assert.match(proposed, /compare-UAT-Production-\d{4}-\d{2}-\d{2}\.csv$/);
    await wb.page.keyboard.press('Enter');
    await wb.waitForNotification(/Exported \d+ rows to compare-UAT-Production-/);
    const file = path.join(launched.workspace, path.basename(proposed));
    const lines = fs.readFileSync(file, 'utf8').split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'status,type,fullName,differingFiles,sourceModified,targetModified');
    assert.ok(lines.length > 50, `one line per component: ${lines.length}`);
  });

  it('starts the same compare from an environment\u2019s context menu (target defaults to its next environment)', async () => {
    const { wb } = s!;
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('View: Close All Editors');
    await wb.contextMenu(VIEW, 'UAT', 'Compare Environments…');
    await waitForQuickInput(wb.page, /Compare UAT with/);
    const first = (await wb.page.locator('.quick-input-widget [role="option"] .label-name').first().innerText()).trim();
    assert.equal(first, 'Production', 'the next environment is offered first');
    await pick(wb.page, 'Production');
    await pick(wb.page, 'All metadata types');
    await byTestId(wb.page, 'compare-table');
    assert.equal(await count('count-different'), DIFF.changed.length);
    const stats = await (await byTestId(wb.page, 'stats')).innerText();
    assert.match(stats, /retrieved 0, [\d,]+ from cache/, 'the second compare comes from the cache');
    const listing = await (await byTestId(wb.page, 'listing')).innerText();
    assert.match(listing, /^UAT: unchanged since its listing of .+ \(source tracking\) · Production: listed in full\./, 'UAT was not listed again');
    await wb.page.mouse.move(1000, 700);
    await wb.screenshot('compare-panel-source-tracking');
  });

  it('restores the compare panel with its result after the window reloads', async () => {
    const { wb } = s!;
    await wb.runCommand('Developer: Reload Window');
    const title = await byTestId(wb.page, 'title');
    assert.equal(await title.innerText(), 'UAT ↔ Production');
    assert.equal(await count('count-different'), DIFF.changed.length);
    assert.equal(await count('count-only-in-source'), DIFF.onlyInSibling.length);
  });

  it('cancels a slow compare from its progress notification', async () => {
    const { wb, launched } = s!;
    const uat = launched.emu!.org('uat');
    uat.faults.latencyMs = 1500;
    try {
      await wb.runCommand('Changeline: Compare Environments…');
      await pick(wb.page, 'UAT');
      await pick(wb.page, 'Production');
      await pick(wb.page, 'All metadata types');
      const progress = wb.page.locator('.notification-toast').filter({ hasText: 'Comparing UAT with Production' }).first();
      await progress.waitFor({ state: 'visible', timeout: 30_000 });
      // Cancel once the compare is at work on the orgs (listing or retrieving), not while it connects.
      await progress.filter({ hasText: /Listing|Retrieving/ }).waitFor({ state: 'visible', timeout: 30_000 });
      await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
      const text = await wb.waitForNotification(/cancelled/i, 30_000);
      assert.match(text, /Compare.*cancelled/);
      await progress.waitFor({ state: 'hidden', timeout: 30_000 });
    } finally {
      uat.faults.latencyMs = 0;
    }
  });

  it('diffs a project file with an environment from the Explorer, and from the editor tab', async () => {
    const { wb, launched } = s!;
    // UAT has the older InvoiceService the demo deploys there; Production has none.
    const rel = 'force-app/main/default/classes/InvoiceService.cls';
    const uat = launched.emu!.org('uat');
    const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
    const files = { 'classes/InvoiceService.cls': b64(UAT_INVOICE_SERVICE), 'classes/InvoiceService.cls-meta.xml': b64(fs.readFileSync(path.join(launched.workspace, `${rel}-meta.xml`))) };
    uat.store.commitMetadata([{ type: 'ApexClass', fullName: 'InvoiceService', files }], [], uat.admin.id);

    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('View: Show Explorer');
    await wb.openFile(rel);
    const explorer = wb.tree('Files Explorer');
    const row = explorer.locator('[role="treeitem"][aria-selected="true"]', { hasText: 'InvoiceService.cls' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.contextMenuOn(row, 'InvoiceService.cls in the Explorer', 'Diff with Environment…');
    await waitForQuickInput(wb.page, /Diff InvoiceService\.cls with/);
    await pick(wb.page, 'UAT');
    const tab = wb.tab('InvoiceService.cls (UAT ↔ local)');
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    // UAT's line without the amount check against the project's: one change, marked.
    const diff = wb.page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: 30_000 });
    await diff.locator('.line-insert, .char-insert').first().waitFor({ state: 'attached', timeout: 30_000 });
    // Without the side bar the editor is wide enough for the side-by-side view.
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await wb.page.locator('.monaco-diff-editor.side-by-side').first().waitFor({ state: 'visible', timeout: 30_000 });
    const lines = (side: string) => diff.locator(`.editor.${side} .view-lines[role="presentation"]`).innerText().then((t) => t.replace(/\u00a0/g, ' '));
    const modified = await lines('modified');
    assert.match(modified, /inv\.Amount__c != null && inv\.Amount__c > 0/, 'the local file is on the right');
    const original = await lines('original');
    assert.match(original, /if \(inv\.Status__c == 'Draft'\) \{/, 'UAT\u2019s version is on the left');
    await wb.page.mouse.move(1000, 700);
    await wb.screenshot('diff-local');
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');

    // The file's own tab: Production does not have the class, and says so instead of a diff.
    await wb.openFile(rel);
    const fileTab = wb.page.locator('.tabs-container .tab').filter({ hasText: /^InvoiceService\.cls$/ }).first();
    await wb.contextMenuOn(fileTab, 'the InvoiceService.cls tab', 'Diff with Environment…');
    await pick(wb.page, 'Production');
    const said = await wb.waitForNotification(/does not have InvoiceService\.cls/);
    assert.match(said, /^Production does not have InvoiceService\.cls \(ApexClass InvoiceService\)\.$/);
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: '(Production ↔ local)' }).count(), 0, 'no diff against nothing');
  });
});
