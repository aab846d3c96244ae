/**
 * `npm run demo` serves a workbench where the Changeline view shows the demo pipeline, with the demo
 * project deployed to Dev and UAT; stopping it stops the server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { startDemo, type Demo } from '../../scripts/demo';
import { UAT_INVOICE_SERVICE } from '../../scripts/demo/workspace';
import { launchBrowser, openWorkbench } from '../../scripts/host/browser';
import { freePort, httpStatus } from '../../scripts/host/processes';
import { Workbench } from './helpers/workbench';

describe('e2e: the demo', function () {
  this.timeout(180_000);
  let dir: string;
  let demo: Demo | undefined;
  let browser: Browser | undefined;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-demo-'));
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts, serves the workbench with the Changeline view of the demo pipeline, and stops', async () => {
    demo = await startDemo({ port: await freePort(), dir });
    assert.ok(fs.existsSync(path.join(dir, 'workspace', '.changeline', 'pipeline.json')), 'the demo project has a pipeline file');
    assert.ok(fs.existsSync(path.join(dir, 'workspace', 'sfdx-project.json')), 'the demo project is an sfdx project');
    // The project is deployed to Dev as it is and to UAT in its older version; Production has none of it.
    const invoiceService = (org: string) => {
      const c = demo!.launched.emu!.org(org).store.getComponent('ApexClass', 'InvoiceService');
      return c && Buffer.from(c.files['classes/InvoiceService.cls'], 'base64').toString('utf8');
    };
    const local = fs.readFileSync(path.join(dir, 'workspace', 'force-app', 'main', 'default', 'classes', 'InvoiceService.cls'), 'utf8');
    assert.equal(invoiceService('dev'), local);
    assert.equal(invoiceService('uat'), UAT_INVOICE_SERVICE);
    assert.notEqual(UAT_INVOICE_SERVICE, local);
    assert.equal(invoiceService('prod'), undefined);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await openWorkbench(page, demo.url);
    const wb = new Workbench(page);
    await wb.openViewContainer('Changeline', 'Environments');
    const rows = await wb.waitForRows('Environments', 'the demo environments, connected', (r) =>
      r.length === 3 && r.every((x) => /· connected$/.test(x.description)),
    );
    assert.deepEqual(rows.map((r) => r.label), ['Dev', 'UAT', 'Production']);
    // A fresh demo has change requests to show: Dev's, grouped by status.
    await wb.row('Environments', 'Dev').click();
    await wb.waitForRows('Environments', "Dev's change requests", (r) => r.some((x) => x.label === 'Pending approval (1)') && r.some((x) => x.label === 'Draft (2)'));
    await wb.row('Environments', 'Pending approval (1)').click();
    await wb.waitForRows('Environments', 'the submitted CR', (r) => r.some((x) => x.description === 'Invoice discount for contract customers'));
    await wb.screenshot('demo');
    const origin = demo.launched.server.origin;
    await browser.close();
    browser = undefined;
    await demo.stop();
    demo = undefined;
    await assert.rejects(httpStatus(`${origin}/healthz`), 'the server is gone after stop');
  });

  it('refuses a port that is already taken, with a message that says so', async () => {
    const port = await freePort();
    const net = await import('node:net');
    const blocker = net.createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      await assert.rejects(startDemo({ port, dir }), new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
    } finally {
      blocker.close();
    }
  });
});
