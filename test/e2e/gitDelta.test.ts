/**
 * A person deploys the differences between two git refs through the workbench: the project folder
 * is a git repository (v1: the demo project plus LegacyInvoiceExport, as Dev has it; the branch
 * feature: InvoiceService edited, InvoiceReminder added, LegacyInvoiceExport deleted); they run
 * Deploy Git Differences… from the command palette, pick v1 then feature, the merge base, Dev; the
 * manifest and destructive changes open read-only in the editor before anything is sent; they pick
 * Deploy to Dev and read the result; Dev has the new class and no longer the deleted one.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeDemoWorkspace } from '../../scripts/demo/workspace';
import { pick, quickPickLabels, waitForQuickInput } from './helpers/quick-input';
import { e2eSuite, type E2ESession } from './helpers/session';

const D = 'force-app/main/default/classes';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const LEGACY = 'public with sharing class LegacyInvoiceExport {\n    public static String format() {\n        return \'csv\';\n    }\n}\n';
const REMINDER = 'public with sharing class InvoiceReminder {\n    public static Integer daysBeforeDue() {\n        return 7;\n    }\n}\n';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function git(root: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: root, stdio: 'ignore' });
}

/** The demo project as a repository: tag v1, then the branch feature (checked out) with one edit, one add and one delete. */
function gitWorkspace(dir: string): void {
  writeDemoWorkspace(dir);
  fs.writeFileSync(path.join(dir, D, 'LegacyInvoiceExport.cls'), LEGACY);
  fs.writeFileSync(path.join(dir, D, 'LegacyInvoiceExport.cls-meta.xml'), META);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'ada@example.com');
  git(dir, 'config', 'user.name', 'Ada Admin');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Invoicing v1');
  git(dir, 'tag', 'v1');
  git(dir, 'checkout', '-q', '-b', 'feature');
  const service = path.join(dir, D, 'InvoiceService.cls');
  fs.writeFileSync(service, fs.readFileSync(service, 'utf8').replace("'Draft'", "'Approved'"));
  fs.writeFileSync(path.join(dir, D, 'InvoiceReminder.cls'), REMINDER);
  fs.writeFileSync(path.join(dir, D, 'InvoiceReminder.cls-meta.xml'), META);
  git(dir, 'rm', '-q', `${D}/LegacyInvoiceExport.cls`, `${D}/LegacyInvoiceExport.cls-meta.xml`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Reminders; the legacy export goes');
}

describe('e2e: deploy the differences between two git refs', function () {
  this.timeout(300_000);
  const suite = e2eSuite({ keepNotifications: true, launch: { prepareWorkspace: gitWorkspace } });
  let s: E2ESession | undefined;

  before(() => {
    s = suite.session;
    // Dev has v1's LegacyInvoiceExport (deployed earlier).
    const dev = s.launched.emu!.org('dev');
    dev.store.commitMetadata([{ type: 'ApexClass', fullName: 'LegacyInvoiceExport', files: { [`classes/LegacyInvoiceExport.cls`]: b64(LEGACY), [`classes/LegacyInvoiceExport.cls-meta.xml`]: b64(META) } }], [], dev.admin.id);
  });

  it('picks v1 → feature, shows the manifest read-only, deploys to Dev: the new class is there, the deleted one gone', async () => {
    const { wb, launched } = s!;
    const dev = launched.emu!.org('dev');
    await wb.openViewContainer('Changeline', 'Environments');
    await wb.waitForRows('Environments', 'the environments', (r) => r.some((x) => x.label === 'Dev'));
    await wb.runCommand('Changeline: Deploy Git Differences…');
    await waitForQuickInput(wb.page, /1\/4: from/);
    const refs = await quickPickLabels(wb.page);
    for (const r of ['main', 'feature', 'v1']) assert.ok(refs.some((l) => l.endsWith(r)), `${r} is offered: ${refs.join(', ')}`);
    await pick(wb.page, 'v1');
    await waitForQuickInput(wb.page, /2\/4: to/);
    await pick(wb.page, 'feature');
    await waitForQuickInput(wb.page, /3\/4: compare/);
    await pick(wb.page, 'Changes on feature since it left v1');
    await waitForQuickInput(wb.page, /differences to…/);
    assert.deepEqual(await quickPickLabels(wb.page), ['Dev'], 'only the development environment is offered');
    await pick(wb.page, 'Dev');
    // The manifest opens read-only in the editor while the last question waits.
    await waitForQuickInput(wb.page, /4\/4/);
    const tab = wb.page.locator('.tabs-container .tab', { hasText: 'git-delta v1..feature' }).first();
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.filter({ hasText: 'destructiveChanges.xml' }).waitFor({ state: 'visible', timeout: 30_000 });
    const shown = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(shown, /package\.xml[\s\S]*<members>InvoiceReminder<\/members>\s*<members>InvoiceService<\/members>/);
    assert.match(shown, /destructiveChanges\.xml[\s\S]*<members>LegacyInvoiceExport<\/members>/);
    assert.deepEqual(await quickPickLabels(wb.page), ['Validate in Dev', 'Deploy to Dev']);
    await wb.screenshot('git-delta-manifest');
    await pick(wb.page, 'Deploy to Dev');
    const said = await wb.waitForNotification(/^Deployed \d+ components? to Dev/, 120_000);
    // Two deployed and one deleted: the org counts the deletion as a component of the deploy.
    assert.match(said, /^Deployed 3 components to Dev/);
    assert.ok(dev.store.getComponent('ApexClass', 'InvoiceReminder'), 'the added class is in Dev');
    assert.equal(dev.store.getComponent('ApexClass', 'LegacyInvoiceExport'), undefined, 'the deleted class is gone from Dev');
    const svc = dev.store.getComponent('ApexClass', 'InvoiceService')!;
    const file = Object.keys(svc.files).find((f) => f.endsWith('.cls'))!;
    assert.match(Buffer.from(svc.files[file]!, 'base64').toString('utf8'), /'Approved'/, 'the edit reached Dev');
    // The read-only document is still there, and the editor cannot save it anywhere.
    assert.ok(await tab.isVisible());
    await wb.page.locator('.notification-toast', { hasText: /Deploying|→ Dev:/ }).first().waitFor({ state: 'hidden', timeout: 60_000 }).catch(() => undefined);
    await wb.page.mouse.move(1000, 400);
    await wb.screenshot('git-delta-deployed');
  });
});
