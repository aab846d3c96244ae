import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testEmulator, testOrg } from './index';
import { changeline } from './support';
import type { ConnectionResult } from '../../src/views/environmentsModel';

async function test(target: unknown): Promise<ConnectionResult> {
  const r = await vscode.commands.executeCommand<ConnectionResult | undefined>('changeline.testConnection', target);
  assert.ok(r, 'Test Connection returned no result');
  return r;
}

describe('Test Connection', () => {
  afterEach(async () => {
    for (const name of ['dev', 'uat', 'prod']) {
      testEmulator().org(name).faults.clear();
      await testEmulator().org(name).setDown(false);
    }
  });

  it('reports user, org id, type and API version of a reachable org', async () => {
    const r = await test('Dev');
    assert.equal(r.state, 'connected');
    assert.equal(r.environment, 'Dev');
    assert.equal(r.info?.username, testOrg('dev').username);
    assert.equal(r.info?.orgId, testOrg('dev').orgId);
    assert.equal(r.info?.apiVersion, '62.0');
    const prod = await test('Production');
    assert.equal(prod.info?.isSandbox, false);
  });

  it('reports an expired session, and the tree node shows it', async () => {
    const api = await changeline();
    testEmulator().org('dev').faults.sessionExpired = true;
    const r = await test('Dev');
    assert.equal(r.state, 'expired');
    assert.equal(r.error?.kind, 'expired-session');
    api.provider.getChildren();
    const node = api.provider.nodeFor('Dev')!;
    const item = api.provider.getTreeItem(node) as vscode.TreeItem;
    assert.equal(item.contextValue, 'environment.expired');
    assert.match(String(item.description), /session expired/);
  });

  it('reports an unreachable org', async () => {
    await testEmulator().org('uat').setDown(true);
    const r = await test('UAT');
    assert.equal(r.state, 'unreachable');
    assert.equal(r.error?.kind, 'unreachable');
  });

  it('reports an org that is not authorized, without calling anything', async () => {
    const r = await test({ org: 'nobody-authorized-this' });
    assert.equal(r.state, 'not-authorized');
    assert.equal(r.error?.kind, 'unknown-org');
  });

  it('finds an org authorized with the sf CLI after the list was read, without a refresh', async () => {
    const api = await changeline();
    await api.model.loadAuthorizations(true);
    const alias = `dev-late-${Date.now()}`;
    const sf = await api.salesforce();
    // Authorized outside the extension (as `sf org login` would), after the extension listed orgs.
    // The second user of dev, under a new alias (the test host's sf state is a throwaway HOME).
    const colleague = testEmulator().info().orgs.find((o) => o.name === 'dev')!.users[1];
    await sf.authorizeWithToken({ accessToken: colleague.accessToken, instanceUrl: testOrg('dev').instanceUrl, alias });
    assert.equal(api.model.authorizationFor(alias), undefined, 'not in the list read before');
    const r = await test({ org: alias });
    assert.equal(r.state, 'connected', JSON.stringify(r.error));
    assert.equal(r.info?.username, colleague.username);
    assert.ok(api.model.authorizationFor(alias), 'the list was read again');
  });

  it('says clearly when the environment does not exist, naming the ones that do', async () => {
    // Errors are caught once by the command and shown as an error message; the command resolves to undefined.
    const api = await changeline();
    const shown: string[] = [];
    const real = api.prompts.error;
    api.prompts.error = async (m) => void shown.push(m);
    try {
      const r = await vscode.commands.executeCommand('changeline.testConnection', 'Nowhere');
      assert.equal(r, undefined);
    } finally {
      api.prompts.error = real;
    }
    assert.deepEqual(shown, ['Test Connection: There is no environment named "Nowhere" in the pipeline; use one of: Dev, UAT, Production.']);
  });
});
