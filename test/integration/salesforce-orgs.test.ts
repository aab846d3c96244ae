import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  authorizeWithToken,
  authorizeWithWebLogin,
  connect,
  listAuthorizations,
  removeAuthorization,
  SalesforceError,
  testConnection,
} from '../../src/salesforce';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

/** Authorizations, connections and their failures, through the real @salesforce/core against the emulator. */
describe('salesforce layer: orgs', function () {
  this.timeout(60_000);
  let env: StartedEmulator;

  before(async () => {
    env = await startEmulator({ orgs: ['prod', 'uat', 'dev'] });
  });
  after(async () => env?.stop());
  afterEach(async () => {
    for (const name of ['prod', 'uat', 'dev']) {
      env.org(name).faults.clear();
      await env.org(name).setDown(false);
    }
  });

  it('lists the orgs authorized with their aliases, instance URLs and sandbox flag, without tokens', async () => {
    const auths = await listAuthorizations();
    const info = env.emu.info().orgs;
    for (const o of info) {
      const a = auths.find((x) => x.username === o.username);
      assert.ok(a, `${o.username} listed`);
      assert.deepEqual(a.aliases, [o.name]);
      assert.equal(a.instanceUrl, o.instanceUrl);
      assert.equal(a.orgId.slice(0, 15), o.orgId.slice(0, 15));
      assert.equal(a.isSandbox, o.isSandbox, `${o.name} sandbox flag`);
    }
    assert.ok(!JSON.stringify(auths).includes(info[0].accessToken.split('!')[1]), 'no token in the list');
    // The auth file lives in the throwaway HOME, as the sf CLI would write it.
    assert.ok(fs.existsSync(path.join(os.homedir(), '.sfdx', `${info[0].username}.json`)));
  });

  it('connects by alias and by username, and tests the connection of a production org and a sandbox', async () => {
    const prodInfo = env.org('prod').info();
    const byAlias = await connect('prod');
    assert.equal(byAlias.username, prodInfo.username);
    assert.equal(byAlias.alias, 'prod');
    const byUser = await connect(prodInfo.username);
    assert.equal(byUser.alias, 'prod');
    assert.equal(byUser.instanceUrl, prodInfo.instanceUrl);

    const prod = await testConnection(byAlias);
    assert.equal(prod.isSandbox, false);
    assert.notEqual(prod.orgType, 'Sandbox');
    assert.equal(prod.username, prodInfo.username);
    assert.equal(prod.userFullName, prodInfo.users[0].name);
    assert.equal(prod.orgId.slice(0, 15), prodInfo.orgId.slice(0, 15));
    assert.match(prod.apiVersion, /^\d+\.0$/);

    const uat = await testConnection(await connect('uat'));
    assert.equal(uat.isSandbox, true);
    assert.equal(uat.orgType, 'Sandbox');
    assert.equal(uat.instanceUrl, env.org('uat').info().instanceUrl);
  });

  it('reports an unknown alias as unknown-org, naming it and how to authorize it', async () => {
    const e = await rejection(connect('nope'));
    assert.ok(e instanceof SalesforceError);
    assert.equal(e.kind, 'unknown-org');
    assert.match(e.message, /"nope"/);
    assert.match(e.message, /sf org login web --alias nope/);
  });

  it('reports an expired session as expired-session with the re-authorize remedy', async () => {
    const conn = await connect('dev');
    env.org('dev').faults.sessionExpired = true;
    const e = await rejection(testConnection(conn));
    assert.equal(e.kind, 'expired-session');
    assert.match(e.message, /session for "dev" has expired/);
    assert.doesNotMatch(e.message + String((e as SalesforceError).detail), /00D\w+![\w.-]{8,}/, 'no token in message or log detail');
  });

  it('reports an org that is down as unreachable', async () => {
    const conn = await connect('uat');
    await env.org('uat').setDown(true);
    const e = await rejection(testConnection(conn));
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, /cannot be reached/);
    // How quickly: `npm run bench -- responsiveness`.
  });

  it('rides out one 503 (jsforce retries GETs) and reports a persistent 5xx as server-error', async function () {
    this.timeout(90_000);
    const conn = await connect('prod');
    env.org('prod').faults.failNext(1, 503);
    const ok = await testConnection(conn);
    assert.equal(ok.isSandbox, false);
    // A POST is not retried: the failure surfaces at once.
    env.org('prod').faults.failNext(1, 500);
    const { createRecords } = await import('../../src/salesforce');
    const e = await rejection(createRecords(conn, 'Account', [{ Name: 'A' }]));
    assert.equal(e.kind, 'server-error');
  });

  it('still answers with added latency', async () => {
    env.org('dev').faults.latencyMs = 150;
    const info = await testConnection(await connect('dev'));
    assert.equal(info.isSandbox, true);
    assert.equal(info.username, env.emu.info().orgs.find((o) => o.name === 'dev')!.username);
  });

  it('rejects bad input to authorizeWithToken with a clear message', async () => {
    assert.equal((await rejection(authorizeWithToken({ accessToken: '', instanceUrl: 'https://x.example' }))).kind, 'invalid-request');
    const bad = await rejection(authorizeWithToken({ accessToken: 't', instanceUrl: 'not a url' }));
    assert.equal(bad.kind, 'invalid-request');
    assert.match(bad.message, /not a valid http\(s\) URL/);
    const wrong = await rejection(authorizeWithToken({ accessToken: '00Dxx0000000001!bogus', instanceUrl: env.org('dev').instanceUrl, alias: 'bogus' }));
    assert.ok(wrong instanceof SalesforceError);
    assert.ok(['expired-session', 'auth-failed'].includes(wrong.kind), wrong.kind);
    assert.doesNotMatch(wrong.message, /bogus!|!bogus/);
  });

  it('logs in through the browser flow: the test plays the browser, the alias is saved', async () => {
    const dev = env.org('dev');
    const conn = await authorizeWithWebLogin({
      loginUrl: dev.instanceUrl,
      alias: 'dev-web',
      openUrl: async (url) => {
        assert.match(url, /\/services\/oauth2\/authorize\?/);
        // The authorize page approves and redirects to the local callback server of WebOAuthServer.
        const res = await fetch(url, { redirect: 'follow' });
        await res.text();
      },
    });
    assert.equal(conn.alias, 'dev-web');
    assert.equal(conn.username, dev.info().username);
    const info = await testConnection(await connect('dev-web'));
    assert.equal(info.username, dev.info().username);
    const auths = await listAuthorizations();
    assert.ok(auths.find((a) => a.username === dev.info().username)?.aliases.includes('dev-web'));
  });

  it('cancels a browser login the user abandons', async () => {
    const ac = new AbortController();
    const e = await rejection(
      authorizeWithWebLogin({ loginUrl: env.org('uat').instanceUrl, alias: 'never', openUrl: () => setTimeout(() => ac.abort(), 50), signal: ac.signal }),
    );
    assert.equal(e.kind, 'cancelled');
    // The callback port is free again: another login can start.
    const again = new AbortController();
    again.abort();
    assert.equal((await rejection(authorizeWithWebLogin({ loginUrl: env.org('uat').instanceUrl, openUrl: () => undefined, signal: again.signal }))).kind, 'cancelled');
  });

  it('removes an authorization', async () => {
    const info = env.org('uat').info();
    await authorizeWithToken({ accessToken: info.accessToken, instanceUrl: info.instanceUrl, alias: 'uat-tmp' });
    await removeAuthorization('uat-tmp');
    assert.ok(!(await listAuthorizations()).some((a) => a.username === info.username));
    assert.equal((await rejection(connect('uat'))).kind, 'unknown-org');
    await authorizeWithToken({ accessToken: info.accessToken, instanceUrl: info.instanceUrl, alias: 'uat' });
  });
});
