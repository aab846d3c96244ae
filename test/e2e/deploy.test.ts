/**
 * A person deploys local source through the workbench: right-clicks a class in the Explorer,
 * "Deploy Source to Environment…", picks Dev (the only development environment offered), watches
 * the progress notification and reads the result; then deploys a class with a compile error from
 * its editor tab and finds the error in the Problems panel at its line; last, cancels a deploy from
 * its progress notification.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pick, quickPickLabels, waitForQuickInput } from './helpers/quick-input';
import { e2eSuite, type E2ESession } from './helpers/session';
import type { Workbench } from './helpers/workbench';

const META = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;

/** The toast showing `text`, once fully faded in (for a screenshot that shows it). */
async function settledToast(wb: Workbench, text: string): Promise<void> {
  await wb.page.locator('.notification-toast', { hasText: text }).first().waitFor({ state: 'visible', timeout: 30_000 });
  const faded = `[...document.querySelectorAll('.notification-toast')].some((t) => t.textContent.includes(${JSON.stringify(text)}) && getComputedStyle(t).opacity === '1')`;
  await wb.page.waitForFunction(faded, undefined, { timeout: 30_000 });
}

/** Waits until no progress notification of a deploy is left (VS Code keeps one up briefly after the end). */
async function progressGone(wb: Workbench): Promise<void> {
  await wb.page.locator('.notification-toast', { hasText: / → Dev: / }).first().waitFor({ state: 'hidden', timeout: 30_000 });
}

describe('e2e: deploy local source in VS Code', function () {
  this.timeout(240_000);
  const suite = e2eSuite();
  let s: E2ESession | undefined;
  before(() => (s = suite.session));

  it('deploys a class from the Explorer to Dev, with progress, and says it succeeded', async () => {
    const { wb, launched } = s!;
    const dev = launched.emu!.org('dev');
    const rel = 'force-app/main/default/classes/InvoiceService.cls';
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('View: Show Explorer');
    await wb.openFile(rel);
    const row = wb.tree('Files Explorer').locator('[role="treeitem"][aria-selected="true"]', { hasText: 'InvoiceService.cls' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    // Held in progress in the org until the progress notification was seen.
    dev.faults.holdDeploysAt = ['InProgress'];
    try {
      await wb.contextMenuOn(row, 'InvoiceService.cls in the Explorer', 'Deploy Source to Environment…', 'deploy-context-menu');
      await waitForQuickInput(wb.page, /Deploy force-app\/main\/default\/classes\/InvoiceService\.cls to/);
      assert.deepEqual(await quickPickLabels(wb.page), ['Dev'], 'only the development environment is offered');
      await pick(wb.page, 'Dev');
      // The org says how far it is: "Deploying 0/1 components", with Cancel.
      const progress = await wb.waitForNotification(/ApexClass InvoiceService → Dev: Deploying \d+\/1 components/);
      assert.match(progress, /^ApexClass InvoiceService → Dev: Deploying 0\/1 components$/);
      await wb.page.locator('.notification-toast', { hasText: 'ApexClass InvoiceService → Dev' }).locator('.monaco-button', { hasText: 'Cancel' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await settledToast(wb, 'ApexClass InvoiceService → Dev');
      await wb.screenshot('deploy-progress');
    } finally {
      dev.faults.holdDeploysAt = [];
    }
    const said = await wb.waitForNotification(/Deployed 1 component to Dev/);
    assert.equal(said, 'Deployed 1 component to Dev · no tests run.');
    const local = fs.readFileSync(path.join(launched.workspace, rel), 'utf8');
    const inOrg = dev.store.getComponent('ApexClass', 'InvoiceService');
    const clsFile = inOrg && Object.keys(inOrg.files).find((p) => p.endsWith('.cls'));
    assert.ok(clsFile, 'InvoiceService is in Dev');
    assert.equal(Buffer.from(inOrg.files[clsFile], 'base64').toString('utf8'), local, 'as it is in the project');
    await progressGone(wb);
    await settledToast(wb, 'Deployed 1 component to Dev');
    await wb.page.mouse.move(1000, 400);
    await wb.screenshot('deploy-success');
  });

  it('deploys a class with a compile error from its tab: the error is in the Problems panel at its line', async () => {
    const { wb, launched } = s!;
    const rel = 'force-app/main/default/classes/DeployBroken.cls';
    const file = path.join(launched.workspace, rel);
    fs.writeFileSync(file, 'public class DeployBroken {\n    public static Integer one() {\n        return (1));\n    }\n}\n');
    fs.writeFileSync(`${file}-meta.xml`, META);
    await wb.runCommand('View: Close All Editors');
    await wb.openFile(rel);
    const tab = wb.page.locator('.tabs-container .tab').filter({ hasText: /^DeployBroken\.cls$/ }).first();
    await wb.contextMenuOn(tab, 'the DeployBroken.cls tab', 'Deploy Source to Environment…');
    await waitForQuickInput(wb.page, /Deploy .*DeployBroken\.cls to/);
    await pick(wb.page, 'Dev');
    const said = await wb.waitForNotification(/Deploy to Dev failed/);
    assert.match(said, /^Deploy to Dev failed: 1 of 1 component with errors/);
    const toast = wb.page.locator('.notification-toast', { hasText: 'Deploy to Dev failed' }).first();
    await toast.locator('.monaco-button', { hasText: 'Show Problems' }).first().click();
    const marker = wb.page.locator('.markers-panel .monaco-list-row', { hasText: "Unexpected token ')'" }).first();
    await marker.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await marker.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /\[Ln 3, Col \d+\]/, `at line 3: ${text}`);
    const fileRow = wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'DeployBroken.cls' }).first();
    await fileRow.waitFor({ state: 'visible', timeout: 30_000 });
    // The editor marks the line too.
    await wb.page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(launched.emu!.org('dev').store.getComponent('ApexClass', 'DeployBroken'), undefined, 'nothing was deployed');
    await progressGone(wb);
    await wb.page.mouse.move(1000, 300);
    await wb.screenshot('deploy-problems');
  });
  it('cancels a deploy from its progress notification: the org cancels it and Dev is unchanged', async () => {
    const { wb, launched } = s!;
    const dev = launched.emu!.org('dev');
    const rel = 'force-app/main/default/classes/DeployCancelled.cls';
    const file = path.join(launched.workspace, rel);
    fs.writeFileSync(file, 'public class DeployCancelled {\n}\n');
    fs.writeFileSync(`${file}-meta.xml`, META);
    await wb.runCommand('View: Close All Editors');
    await wb.openFile(rel);
    dev.faults.holdDeploysAt = ['InProgress'];
    try {
      const tab = wb.page.locator('.tabs-container .tab').filter({ hasText: /^DeployCancelled\.cls$/ }).first();
      await wb.contextMenuOn(tab, 'the DeployCancelled.cls tab', 'Deploy Source to Environment…');
      await pick(wb.page, 'Dev');
      await wb.waitForNotification(/ApexClass DeployCancelled → Dev: Deploying \d+\/1 components/);
      await wb.page.locator('.notification-toast', { hasText: 'ApexClass DeployCancelled → Dev' }).locator('.monaco-button', { hasText: 'Cancel' }).first().click();
      const said = await wb.waitForNotification(/was cancelled/);
      assert.match(said, /^Deploy 0Af\w+ to Dev was cancelled; nothing was deployed \(Dev is as it was\)\.$/);
    } finally {
      dev.faults.holdDeploysAt = [];
    }
    assert.equal(dev.store.getComponent('ApexClass', 'DeployCancelled'), undefined, 'nothing reached Dev');
  });
});
