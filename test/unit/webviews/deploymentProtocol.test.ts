import * as assert from 'node:assert/strict';
import { LIMITS, PANEL_ACTIONS, parseFromWebview, parseWebviewState } from '../../../src/shared/deploymentProtocol';
import { csp, html } from '../../../src/webviews/deployment/html';

const ID = 'a0B000000000001AAA';

function refused(x: unknown): string {
  const r = parseFromWebview(x);
  assert.equal(r.ok, false, `refused: ${JSON.stringify(x)?.slice(0, 80)}`);
  return (r as { error: string }).error;
}

describe('deployment panel protocol: messages from the webview', () => {
  it('accepts each valid message and returns exactly its known fields', () => {
    const valid: unknown[] = [
      { type: 'ready' },
      { type: 'reload' },
      { type: 'retry' },
      ...PANEL_ACTIONS.map((a) => ({ type: 'action', action: a.action, environment: 'Dev', id: ID })),
      { type: 'openFile', path: 'unpackaged/classes/Greeter.cls' },
      { type: 'diffFile', path: 'unpackaged/classes/Greeter.cls' },
    ];
    for (const m of valid) {
      const r = parseFromWebview({ ...(m as object), extra: '<script>', __proto__: { evil: true } });
      assert.ok(r.ok, JSON.stringify(m));
      assert.deepEqual(r.value, m);
    }
  });

  it('every action runs the command the lead registers for it', () => {
    assert.deepEqual(
      PANEL_ACTIONS.map((a) => a.command),
      [
        'changeline.submitDeployment',
        'changeline.approveDeployment',
        'changeline.rejectDeployment',
        'changeline.retrievePackage',
        'changeline.checkDependencies',
        'changeline.addToPackage',
        'changeline.validateDeployment',
        'changeline.quickDeployDeployment',
        'changeline.deployDeployment',
        'changeline.completeDeployment',
        'changeline.revertDeployment',
      ],
    );
  });

  it('refuses anything else, saying what is wrong', () => {
    assert.match(refused(null), /object with a type/);
    assert.match(refused('ready'), /object with a type/);
    assert.match(refused([{ type: 'ready' }]), /object with a type/);
    assert.match(refused({ type: 'delete' }), /unknown message type delete/);
    assert.match(refused({ type: 'x'.repeat(10_000) }), /unknown message type x{40}$/, 'the echo is cut');
    assert.match(refused({ type: 'action', action: 'cancel', environment: 'Dev', id: ID }), /unknown action cancel/, 'only the panel’s actions');
    assert.match(refused({ type: 'action', action: 'toString', environment: 'Dev', id: ID }), /unknown action/);
    assert.match(refused({ type: 'action', action: 'deploy', id: ID }), /environment/);
    assert.match(refused({ type: 'action', action: 'deploy', environment: '', id: ID }), /environment/);
    assert.match(refused({ type: 'action', action: 'deploy', environment: 'x'.repeat(LIMITS.environment + 1), id: ID }), /environment/);
    assert.match(refused({ type: 'action', action: 'deploy', environment: 'Dev', id: "a0B' OR Id != '" }), /by id/);
    assert.match(refused({ type: 'action', action: 'deploy', environment: 'Dev', id: 42 }), /by id/);
    assert.match(refused({ type: 'openFile' }), /path/);
    assert.match(refused({ type: 'diffFile', path: '' }), /path/);
    assert.match(refused({ type: 'openFile', path: 'a'.repeat(LIMITS.path + 1) }), /path/);
  });

  it('hostile strings are kept as the text they are (the panel looks a path up; it never interprets it)', () => {
    const path = '<img src=x onerror=alert(1)>/../../etc/passwd';
    const r = parseFromWebview({ type: 'openFile', path });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'openFile', path });
    const env = 'Dev"><script>alert(1)</script>';
    const a = parseFromWebview({ type: 'action', action: 'deploy', environment: env, id: ID });
    assert.ok(a.ok);
    assert.deepEqual(a.value, { type: 'action', action: 'deploy', environment: env, id: ID });
  });

  it('restores from a saved state naming an environment and a record id only', () => {
    assert.deepEqual(parseWebviewState({ environment: 'Dev', id: ID, other: 1 }), { environment: 'Dev', id: ID });
    assert.equal(parseWebviewState(undefined), undefined);
    assert.equal(parseWebviewState({ environment: 'Dev' }), undefined);
    assert.equal(parseWebviewState({ environment: '', id: ID }), undefined);
    assert.equal(parseWebviewState({ environment: 'Dev', id: 'not an id' }), undefined);
  });
});

describe('deployment panel HTML', () => {
  it('is an empty shell under a strict CSP: the script by nonce, no inline script, no org data', () => {
    const page = html({ cspSource: 'vscode-webview://abc', nonce: 'N0nceN0nceN0nceN0nce', scriptUri: 'vscode-webview://abc/deployment.js', codiconUri: 'vscode-webview://abc/codicon.css' });
    assert.match(page, /<script nonce="N0nceN0nceN0nceN0nce" src="vscode-webview:\/\/abc\/deployment.js"><\/script>/);
    assert.equal((page.match(/<script/g) ?? []).length, 1);
    assert.match(page, /data-testid="dep-app"/);
    const policy = csp('vscode-webview://abc', 'N0nceN0nceN0nceN0nce');
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'nonce-N0nceN0nceN0nceN0nce'/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  });
});
