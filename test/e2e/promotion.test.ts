/**
 * A change climbs the pipeline in the workbench: UAT got a deploy out of band, so the tree says Dev
 * is behind UAT; the person right-clicks an approved change request under Dev › Approved → Send to
 * Next Environment…, is told UAT has deployments Dev lacks (Send Anyway), types the message; UAT's
 * Queue row counts the entry; its panel (Open Deployment Queue) shows it; Deploy… from the panel
 * (as UAT's release manager: the Changeline Release Manager permission set is theirs in UAT) puts
 * the class in UAT; UAT's Deployment Log panel lists it as Changeline's, with the out-of-band one.
 * Back Deploy… on Dev lists what UAT has that Dev lacks. Then Revert Latest Deployment… on UAT's
 * row finds the queue's deploy (the snapshot taken before it says the class was new to UAT), the
 * confirmation says it deletes the class, the revert runs, and View Log shows it in UAT's log.
 *
 * Set-up through the Salesforce layer from this process, with HOME pointed at the workbench's
 * private sf home: change tracking in Dev and UAT, UAT's admin given the release-manager
 * permission set, a class in Dev and a CR of it approved by a colleague, the out-of-band deploy.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { authorizeInHome } from '../../scripts/host/sf-home';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import * as sf from '../../src/salesforce';
import { typeAndAccept, waitForQuickInput } from './helpers/quick-input';
import { e2eSuite, type E2ESession } from './helpers/session';
import { visibleWebview } from './helpers/webview';

const VIEW = 'Environments';
const CLASS = 'CreditNoteService';
const OUT_OF_BAND = 'TaxRateTable';
const REVIEWER_ALIAS = 'promo-dev-reviewer';
const MESSAGE = 'Credit notes for cancelled invoices';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const source = (name: string) => `public with sharing class ${name} {\n    public static Decimal rate() {\n        return 0.2;\n    }\n}\n`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('e2e: send from Dev, deploy from UAT’s queue, read UAT’s deployment log', function () {
  this.timeout(300_000);
  const suite = e2eSuite({ keepNotifications: true });
  let s: E2ESession | undefined;
  let crNumber = '';
  let entryNumber = '';

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

  async function expand(row: ReturnType<E2ESession['wb']['row']>): Promise<void> {
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }

  /** A toast's button, once the toast matching `text` shows it. */
  async function toastButton(text: RegExp, button: string): Promise<void> {
    const b = s!.wb.page.locator('.notification-toast').filter({ hasText: text }).locator('.monaco-button', { hasText: button }).first();
    await b.waitFor({ state: 'visible', timeout: 60_000 });
    await b.click();
  }

  async function quietScreenshot(name: string): Promise<void> {
    const { wb } = s!;
    await wb.clearNotifications();
    await wb.page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.page.mouse.move(1000, 400);
    await wb.screenshot(name);
  }

  before(async function () {
    s = suite.session;
    const { launched } = s;
    const dev = launched.emu!.org('dev');
    const reviewer = dev.users[1]!;
    dev.store.commitMetadata([{ type: 'ApexClass', fullName: CLASS, files: { [`classes/${CLASS}.cls`]: b64(source(CLASS)), [`classes/${CLASS}.cls-meta.xml`]: b64(META) } }], [], dev.admin.id);
    await authorizeInHome(launched.home, [{ alias: REVIEWER_ALIAS, instanceUrl: dev.instanceUrl, accessToken: reviewer.accessToken, username: reviewer.username, orgId: dev.store.identity.orgId, isSandbox: true }]);
    const oob = fs.mkdtempSync(path.join(os.tmpdir(), 'promo-oob-'));
    fs.mkdirSync(path.join(oob, 'classes'));
    fs.writeFileSync(path.join(oob, 'classes', `${OUT_OF_BAND}.cls`), source(OUT_OF_BAND));
    fs.writeFileSync(path.join(oob, 'classes', `${OUT_OF_BAND}.cls-meta.xml`), META);
    try {
      crNumber = await inSfHome(async () => {
        const devConn = await sf.connect('dev');
        const me = await sf.currentUserId(devConn);
        assert.ok((await sf.installTracking(devConn, { pollMs: 20 })).success, 'tracking installed in Dev');
        await sf.grantTrackingAccess(devConn, [reviewer.id]);
        const uatConn = await sf.connect('uat');
        assert.ok((await sf.installTracking(uatConn, { pollMs: 20 })).success, 'tracking installed in UAT');
        await sf.grantReleaseManager(uatConn, [await sf.currentUserId(uatConn)]);
        // Someone deploys to UAT with the sf CLI: a deployment Dev does not have.
        const direct = await sf.deploy(uatConn, { sourcePaths: [oob], pollMs: 20 });
        assert.ok(direct.success, JSON.stringify(direct.failures));
        const made = await createRequest({ store: sf.trackingStore(devConn), actor: { userId: me } }, { name: 'Credit notes', customizations: [{ type: 'ApexClass', fullName: CLASS }], approvers: [reviewer.id] });
        assert.ok(made.ok, JSON.stringify(made));
        const submitted = await changeStatus({ store: sf.trackingStore(devConn), actor: { userId: me } }, made.cr, 'Pending approval');
        assert.ok(submitted.ok, JSON.stringify(submitted));
        const asReviewer = await sf.connect(REVIEWER_ALIAS);
        const approved = await changeStatus({ store: sf.trackingStore(asReviewer), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'Checked the rounding.');
        assert.ok(approved.ok, JSON.stringify(approved));
        return approved.cr.number!;
      });
    } finally {
      fs.rmSync(oob, { recursive: true, force: true });
    }
    await s.wb.openViewContainer('Changeline', VIEW);
    await s.wb.waitForRows(VIEW, 'the environments', (r) => r.some((x) => x.label === 'Dev'));
  });

  it('the tree says Dev is behind UAT after UAT got a deploy out of band', async () => {
    const { wb } = s!;
    // Counted once both are connected and kept until a refresh: the workbench may have counted before the set-up's deploy.
    await wb.contextMenu(VIEW, 'Dev', 'Refresh Deployments Behind');
    const rows = await wb.waitForRows(VIEW, 'Dev behind UAT', (r) => /\d+ behind UAT/.test(r.find((x) => x.label === 'Dev')?.description ?? ''), 120_000);
    assert.match(rows.find((x) => x.label === 'Dev')!.description, /· 1 behind UAT$/);
    await quietScreenshot('environments-behind');
  });

  it('sends the approved CR to UAT from its context menu, with a message, after the sync advice', async () => {
    const { wb } = s!;
    await expand(wb.row(VIEW, 'Dev').first());
    const approvedGroup = wb.tree(VIEW).locator('[role="treeitem"]').filter({ has: wb.page.locator('.label-name', { hasText: /^Approved \(\d+\)$/ }) }).first();
    await expand(approvedGroup);
    await wb.waitForRows(VIEW, `${crNumber} under Approved`, (r) => r.some((x) => x.label === crNumber));
    await wb.contextMenu(VIEW, crNumber, 'Send to Next Environment…');
    // UAT has a deployment Dev lacks: syncing first is advised, not forced.
    const advice = await wb.waitForNotification(/UAT has \d+ deployments? that Dev does not have/, 120_000);
    assert.match(advice, /UAT has 1 deployment that Dev does not have/);
    await toastButton(/that Dev does not have/, 'Send Anyway');
    await waitForQuickInput(wb.page, /What do these changes do\?/);
    await typeAndAccept(wb.page, MESSAGE);
    const said = await wb.waitForNotification(/^Sent to UAT as /, 120_000);
    const m = said.match(/^Sent to UAT as (\S+): 1 component\. UAT's release managers deploy or reject it from its queue\.$/);
    assert.ok(m, said);
    entryNumber = m[1]!;
    await wb.clearNotifications();
  });

  it('UAT’s Queue row counts the entry; the queue panel shows it; Deploy… puts the class in UAT', async () => {
    const { wb, launched } = s!;
    await expand(wb.row(VIEW, 'UAT').first());
    await wb.waitForRows(VIEW, "UAT's Queue (1)", (r) => r.some((x) => x.label === 'Queue (1)'), 120_000);
    await wb.contextMenuOn(wb.row(VIEW, 'Queue (1)').last(), 'the Queue (1) row', 'Open Deployment Queue');
    const frame = await visibleWebview(wb.page);
    const entry = frame.locator(`[data-testid="queue-entry-${entryNumber}"]`);
    await entry.waitFor({ state: 'visible', timeout: 90_000 });
    assert.equal(await frame.locator(`[data-testid="queue-message-${entryNumber}"]`).innerText(), MESSAGE);
    const text = (await entry.innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`${entryNumber} · Queued`));
    assert.match(text, new RegExp(`From Dev · sent by Ada Admin · .* · CRs: ${crNumber}`));
    assert.match(text, new RegExp(`ApexClass ${CLASS}`));
    assert.equal(await frame.locator('[data-testid="queue-role"]').innerText(), 'You are a release manager of UAT.');
    await quietScreenshot('queue-panel');

    await frame.locator(`vscode-button[data-testid="queue-deploy-${entryNumber}"]`).click();
    await waitForQuickInput(wb.page, new RegExp(`Deploy ${entryNumber}`));
    const deployNow = wb.page.locator('.quick-input-widget [role="option"]').filter({ has: wb.page.locator('.label-name', { hasText: /^Deploy$/ }) }).first();
    await deployNow.click();
    const done = await wb.waitForNotification(new RegExp(`^${entryNumber} “${MESSAGE}” is deployed to UAT`), 180_000);
    assert.match(done, new RegExp(`In Dev: ${crNumber} → Ready\\.$`));
    assert.ok(launched.emu!.org('uat').store.getComponent('ApexClass', CLASS), 'the class reached UAT');
    await frame.locator(`[data-testid="queue-entry-${entryNumber}"]`, { hasText: `${entryNumber} · Deployed` }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await frame.locator(`[data-testid="queue-outcome-${entryNumber}"]`).innerText(), /^Deployed by Ada Admin/);
    await wb.waitForRows(VIEW, "UAT's Queue emptied", (r) => r.some((x) => x.label === 'Queue (0)' || x.label === 'Queue'), 60_000);
  });

  it('UAT’s Deployment Log shows the queue’s deploy (Changeline) above the out-of-band one', async () => {
    const { wb } = s!;
    // The log's own tab, not the queue panel still in front while it opens (the queue deploy just redrew the tree).
    await wb.openFromRow(VIEW, 'Deployment Log', 'Deployment Log (UAT)', 'last');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'Deployment Log (UAT)' }).waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await visibleWebview(wb.page);
    const rows = frame.locator('[data-testid="log-row"]');
    await rows.first().waitFor({ state: 'visible', timeout: 90_000 });
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    assert.match(texts[0]!, new RegExp(`Succeeded.*Changeline.*${MESSAGE}`), texts.join('\n'));
    assert.ok(texts.some((t) => /Out of band/.test(t)), texts.join('\n'));
    assert.match(await frame.locator('[data-testid="log-summary"]').innerText(), /^UAT: \d+ deployments? in the org's history/);
    await rows.first().click();
    await frame.locator('[data-testid="log-components"]', { hasText: CLASS }).waitFor({ state: 'visible', timeout: 60_000 });
    await quietScreenshot('deployment-log');
  });

  it('Back Deploy… on Dev lists what UAT has that Dev lacks; picking the component opens its diff', async () => {
    const { wb } = s!;
    await wb.runCommand('View: Close All Editors');
    await wb.contextMenu(VIEW, 'Dev', 'Back Deploy…');
    await waitForQuickInput(wb.page, /Back Deploy UAT → Dev/);
    const item = wb.page.locator('.quick-input-widget [role="option"]').filter({ has: wb.page.locator('.label-name', { hasText: `ApexClass ${OUT_OF_BAND}` }) }).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    // The queue's deploy is in Dev already: only the out-of-band class is to bring down.
    const rows = (await wb.page.locator('.quick-input-widget [role="option"]').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    assert.ok(!rows.some((t) => t.includes(`ApexClass ${CLASS}`)), rows.join(' | '));
    await item.click();
    // The diff opens (UAT's version against Dev's, which has none) and the dialog comes back over it.
    await wb.page.locator('.tabs-container .tab', { hasText: OUT_OF_BAND }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await waitForQuickInput(wb.page, /Back Deploy UAT → Dev/);
    await wb.page.locator('.quick-input-widget [role="option"]').filter({ has: wb.page.locator('.label-name', { hasText: `ApexClass ${OUT_OF_BAND}` }) }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.mouse.move(1000, 600);
    await wb.screenshot('back-deploy-dialog');
    await wb.page.keyboard.press('Escape');
  });

  it('Revert Latest Deployment… on UAT reverts the queue’s deploy; View Log shows the revert in UAT’s log', async () => {
    const { wb, launched } = s!;
    await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.runCommand('View: Close All Editors');
    // The tree may still be refreshing after the queue's deploy: right-click until the confirmation shows.
    const dialog = wb.page.locator('.monaco-dialog-box');
    const running = wb.page.locator('.notification-toast', { hasText: /latest deployment to UAT/ }).or(dialog).first();
    for (let attempt = 0; attempt < 3 && !(await running.isVisible()); attempt++) {
      await wb.contextMenu(VIEW, 'UAT', 'Revert Latest Deployment…');
      await running.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
    }
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const question = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(question, new RegExp(`Revert ${entryNumber} “${MESSAGE}” in UAT\\? 0 to restore, 1 to delete, 0 skipped\\.`), question);
    assert.match(question, new RegExp(`Delete ApexClass ${CLASS}`), question);
    await wb.page.mouse.move(1000, 400);
    await wb.screenshot('revert-confirm');
    await dialog.locator('.monaco-button', { hasText: /^Revert$/ }).first().click();
    const done = await wb.waitForNotification(new RegExp(`^Revert 0Af\\w+ of ${entryNumber} .* in UAT succeeded`), 180_000);
    assert.match(done, /succeeded: 0 restored, 1 deleted, 0 skipped\. The queue entry is Reverted\.$/);
    assert.equal(launched.emu!.org('uat').store.getComponent('ApexClass', CLASS), undefined, 'the class the deploy created is gone from UAT');

    await toastButton(/succeeded: 0 restored, 1 deleted/, 'View Log');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'Deployment Log (UAT)' }).waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await visibleWebview(wb.page);
    const first = frame.locator('[data-testid="log-row"]').first();
    await first.filter({ hasText: 'Revert of deploy' }).waitFor({ state: 'visible', timeout: 90_000 });
    assert.match((await first.innerText()).replace(/\s+/g, ' '), new RegExp(`Succeeded.*Changeline.*Revert of deploy 0Af\\w+: ${MESSAGE}`));
    await frame.locator('[data-testid="log-components"]', { hasText: CLASS }).waitFor({ state: 'visible', timeout: 60_000 });
    await quietScreenshot('deployment-log-reverted');
  });
});
