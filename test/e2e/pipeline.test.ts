/**
 * A person opens the pipeline picture from the command palette: Dev, UAT and Production as boxes
 * in three columns joined by arrows, each box saying its connection, change requests, queue,
 * deployments behind and last deployment once read (never stuck at "…"). Screenshot for the README.
 */
import * as assert from 'node:assert/strict';
import { e2eSuite, type E2ESession } from './helpers/session';
import { byTestId, visibleWebview } from './helpers/webview';

describe('e2e: the pipeline view', function () {
  this.timeout(240_000);
  const suite = e2eSuite();
  let s: E2ESession | undefined;
  before(() => (s = suite.session));

  it('draws the environments as boxes with arrows and their facts once read', async () => {
    const { wb } = s!;
    const page = s!.launched.page!;
    await wb.openViewContainer('Changeline', 'Environments');
    await wb.waitForRows('Environments', 'three connected environments', (r) => r.length === 3 && r.every((x) => /· connected$/.test(x.description)));
    await wb.runCommand('Changeline: Show Pipeline');
    await byTestId(page, 'pipeline-box-UAT');
    const frame = await visibleWebview(page);
    const names = await frame.locator('.box h2').allTextContents();
    assert.deepEqual(names, ['Dev', 'UAT', 'Production']);
    assert.equal(await frame.locator('[data-testid="pipeline-arrow-Dev-UAT"]').count(), 1);
    assert.equal(await frame.locator('[data-testid="pipeline-arrow-UAT-Production"]').count(), 1);
    // Everything read: no part still says "…".
    for (const env of ['Dev', 'UAT', 'Production']) {
      await frame.locator(`[data-testid="pipeline-last-${env}"]`).filter({ hasNotText: '…' }).waitFor({ timeout: 90_000 });
      await frame.locator(`[data-testid="pipeline-crs-${env}"]`).filter({ hasNotText: '…' }).waitFor({ timeout: 90_000 });
    }
    await frame.locator('[data-testid="pipeline-behind-Dev-UAT"]').filter({ hasNotText: '…' }).waitFor({ timeout: 90_000 });
    assert.equal(await frame.locator('[data-testid="pipeline-connection-UAT"]').textContent(), 'Connected');
    // All three orgs are up: nothing is shown as unreachable (orgs without change tracking say so quietly).
    assert.deepEqual(await frame.locator('.part.tone-error').allTextContents(), []);
    await wb.screenshot('pipeline');
  });
});
