/**
 * A person opens the Changeline view of a project whose pipeline names three authorized orgs, and
 * works with the environments: sees them, tests a connection from the context menu, meets an expired
 * session and an org that went down, and reads the log, all through the workbench UI.
 */
import * as assert from 'node:assert/strict';
import { e2eSuite, type E2ESession } from './helpers/session';

const VIEW = 'Environments';
/** The description ends with the connection state: "admin@uat.changeline.test · connected". */
const CONNECTED = /· connected$/;

describe('e2e: the Environments view in VS Code', function () {
  this.timeout(180_000);
  const suite = e2eSuite();
  let s: E2ESession | undefined;
  before(() => (s = suite.session));

  it('shows the pipeline environments in order, each with its org username and connected state', async () => {
    const { wb } = s!;
    await wb.openViewContainer('Changeline', VIEW);
    const rows = await wb.waitForRows(VIEW, 'three connected environments', (r) =>
      r.length === 3 && r.every((x) => CONNECTED.test(x.description)),
    );
    assert.deepEqual(rows.map((r) => r.label), ['Dev', 'UAT', 'Production']);
    for (const [label, alias] of [['Dev', 'dev'], ['UAT', 'uat'], ['Production', 'prod']]) {
      const row = rows.find((r) => r.label === label)!;
      assert.ok(row.description.includes(s!.username(alias)), `${label} shows ${s!.username(alias)}: "${row.description}"`);
    }
    await wb.screenshot('environments');
  });

  it('tests a connection from a tree item context menu and reports the org it reached', async () => {
    const { wb } = s!;
    await wb.contextMenu(VIEW, 'UAT', 'Test Connection', 'context-menu');
    const text = await wb.waitForNotification(/Connected to UAT/);
    assert.ok(text.includes(s!.username('uat')), text);
    const uat = s!.launched.handoff.orgs.find((o) => o.alias === 'uat')!;
    assert.ok(text.includes(uat.orgId.slice(0, 15)), `the message names the org id: ${text}`);
    await wb.screenshot('test-connection');
  });

  it('tells the user when a session has expired, and the tree marks the environment', async () => {
    const { wb, launched } = s!;
    const dev = launched.emu!.org('dev');
    dev.faults.sessionExpired = true;
    try {
      await wb.contextMenu(VIEW, 'Dev', 'Test Connection');
      const text = await wb.waitForNotification(/expired/i);
      assert.match(text, /^Dev: /);
      await wb.waitForRows(VIEW, 'Dev marked expired', (r) => /expired/.test(r.find((x) => x.label === 'Dev')?.description ?? ''));
      await wb.screenshot('session-expired');
    } finally {
      dev.faults.sessionExpired = false;
    }
  });

  it('refreshes from the command palette and shows an org that went down as unreachable', async () => {
    const { wb, launched } = s!;
    const prod = launched.emu!.org('prod');
    await prod.setDown(true);
    try {
      await wb.runCommand('Changeline: Refresh Environments', 'palette-refresh');
      const rows = await wb.waitForRows(VIEW, 'Production unreachable', (r) =>
        /unreachable/.test(r.find((x) => x.label === 'Production')?.description ?? ''),
      );
      assert.match(rows.find((x) => x.label === 'UAT')!.description, CONNECTED, 'other environments stay connected');
      await wb.screenshot('org-unreachable');
    } finally {
      await prod.setDown(false);
    }
    await wb.runCommand('Changeline: Refresh Environments');
    await wb.waitForRows(VIEW, 'Production connected again', (r) =>
      CONNECTED.test(r.find((x) => x.label === 'Production')?.description ?? ''),
    );
  });

  it('shows the Changeline log from the command palette, without any access token', async () => {
    const { wb, launched } = s!;
    await wb.runCommand('Changeline: Show Log');
    const text = await wb.outputText();
    // The last lines are the checks of the refresh that found Production again: one per org, with
    // whom and which org it reached (the panel wraps long lines: compared as one line).
    const flat = text.replace(/\s+/g, ' ');
    for (const o of launched.handoff.orgs) {
      const line = `Connection to ${o.alias} OK: ${s!.username(o.alias)} (${o.orgId},`;
      assert.ok(flat.includes(line), `the log says "${line}…": ${text.slice(-1500)}`);
    }
    for (const o of launched.handoff.orgs) {
      assert.ok(!text.includes(o.accessToken.split('!')[1]), `the log must not contain ${o.alias}'s token`);
    }
    await wb.screenshot('show-log');
  });
});
