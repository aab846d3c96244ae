import * as assert from 'node:assert/strict';
import type { QueueEntry } from '../../../src/core/promotion';
import { parseFromWebview, parseWebviewState } from '../../../src/shared/queueProtocol';
import { html } from '../../../src/webviews/queue/html';
import { queueState } from '../../../src/webviews/queue/present';
import type { QueueView } from '../../../src/workflows/promotion/queue';

const ID = 'a0X000000000001AAA';

function entry(extra: Partial<QueueEntry> = {}): QueueEntry & { id: string } {
  return {
    id: ID,
    number: 'Q-00001',
    target: 'UAT',
    source: 'Dev',
    message: '<img src=x onerror=alert(1)> adds greeting',
    sender: { name: 'Ana <b>Ruiz</b>', userId: '005A' },
    sentAt: '2024-05-02T10:00:00.000Z',
    crs: [{ number: 'CR-00001' }],
    components: [{ type: 'ApexClass', fullName: 'Greeter' }],
    status: 'Queued',
    version: 2,
    ...extra,
  };
}

const view = (entries: QueueEntry[], canManage = true): QueueView => ({
  env: 'UAT',
  entries,
  releaseManagers: ['Bob Stone'],
  you: { name: 'Bob Stone', releaseManager: canManage },
  canManage,
  ...(canManage ? {} : { refusal: 'Only release managers of UAT (the Changeline Release Manager permission set) can deploy or reject queued changes: Bob Stone.' }),
  notices: [],
});

describe('deployment queue panel', () => {
  it('accepts exactly the known messages, with record ids, and refuses anything else', () => {
    assert.deepEqual(parseFromWebview({ type: 'deploy', id: ID, extra: 1 }), { ok: true, value: { type: 'deploy', id: ID } });
    assert.deepEqual(parseFromWebview({ type: 'reject', id: ID }), { ok: true, value: { type: 'reject', id: ID } });
    assert.deepEqual(parseFromWebview({ type: 'withdraw', id: ID }), { ok: true, value: { type: 'withdraw', id: ID } });
    assert.equal(parseFromWebview({ type: 'withdraw', id: 'Q-00001' }).ok, false, 'by record id only');
    assert.deepEqual(parseFromWebview({ type: 'revert', id: ID }), { ok: true, value: { type: 'revert', id: ID } });
    assert.deepEqual(parseFromWebview({ type: 'diff', id: ID, component: { type: 'ApexClass', fullName: 'Greeter', x: 1 } }), {
      ok: true,
      value: { type: 'diff', id: ID, component: { type: 'ApexClass', fullName: 'Greeter' } },
    });
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
    for (const bad of [null, 'deploy', { type: 'deploy' }, { type: 'revert', id: "x' OR 1=1" }, { type: 'deploy', id: "x' OR 1=1" }, { type: 'diff', id: ID, component: { type: '<script>', fullName: 'A' } }, { type: 'run', command: 'rm' }]) {
      assert.equal(parseFromWebview(bad).ok, false, JSON.stringify(bad));
    }
    assert.deepEqual(parseWebviewState({ environment: 'UAT', id: 'queue' }), { environment: 'UAT', id: 'queue' });
    assert.equal(parseWebviewState({ environment: 'UAT', id: ID }), undefined);
  });

  it('is an empty shell under a strict CSP: the script by nonce, no org data', () => {
    const page = html({ cspSource: 'vscode-webview://abc', nonce: 'N0nceN0nceN0nceN0nce', scriptUri: 'vscode-webview://abc/queue.js', codiconUri: 'vscode-webview://abc/codicon.css' });
    assert.match(page, /<script nonce="N0nceN0nceN0nceN0nce" src="vscode-webview:\/\/abc\/queue.js"><\/script>/);
    assert.equal((page.match(/<script/g) ?? []).length, 1);
    assert.match(page, /default-src 'none'/);
    assert.doesNotMatch(page, /unsafe-inline|unsafe-eval/);
  });

  it('offers Deploy and Reject to release managers on waiting entries only; others read it, told who can act', () => {
    const s = queueState(view([entry(), entry({ id: 'a0X000000000002AAA', number: 'Q-00002', status: 'Rejected', rejection: { reason: 'Not yet', by: 'Bob Stone', at: '2024-05-03T10:00:00Z' } })]));
    assert.deepEqual(s.entries.map((e) => [e.number, e.actionable]), [['Q-00001', true], ['Q-00002', false]]);
    assert.equal(s.entries[1].outcome, 'Rejected by Bob Stone (2024-05-03 10:00 UTC): Not yet');
    assert.equal(s.entries[0].message, '<img src=x onerror=alert(1)> adds greeting', 'org text stays text (the webview sets textContent)');
    assert.equal(s.entries[0].sender, 'Ana <b>Ruiz</b>');
    const ro = queueState(view([entry()], false));
    assert.equal(ro.canManage, false);
    assert.match(ro.readOnly ?? '', /^Read-only: Only release managers of UAT .*: Bob Stone\.$/);
  });

  it('offers Withdraw to the sender on entries still waiting, to nobody else; a withdrawn entry says who withdrew it', () => {
    const ana = { name: 'Ana Ruiz', userId: '005A', releaseManager: false };
    const waitingOne = entry();
    const failed = entry({ id: 'a0X000000000002AAA', number: 'Q-00002', status: 'Failed', failure: 'x' });
    const deployed = entry({ id: 'a0X000000000003AAA', number: 'Q-00003', status: 'Deployed' });
    const withdrawn = entry({ id: 'a0X000000000004AAA', number: 'Q-00004', status: 'Cancelled', withdrawn: { by: 'Ana Ruiz', at: '2024-05-03T10:00:00Z' } });
    const someoneElses = entry({ id: 'a0X000000000005AAA', number: 'Q-00005', sender: { name: 'Carl', userId: '005C' } });
    const all = [waitingOne, failed, deployed, withdrawn, someoneElses];
    const s = queueState({ ...view(all, false), you: ana });
    assert.deepEqual(
      s.entries.map((e) => [e.number, e.withdrawable]),
      [['Q-00001', true], ['Q-00002', true], ['Q-00003', false], ['Q-00004', false], ['Q-00005', false]],
    );
    assert.equal(s.entries[3].outcome, 'Withdrawn by Ana Ruiz (2024-05-03 10:00 UTC).');
    assert.equal(s.entries[3].actionable, false, 'a withdrawn entry cannot be deployed');
    // The release manager (not the sender) is offered Reject, not Withdraw.
    assert.deepEqual(queueState(view(all)).entries.map((e) => e.withdrawable), [false, false, false, false, false]);
  });

  it('a reverted entry says who reverted it, when, with which deploy, and that it is not deployed again as is', () => {
    const reverted = entry({
      status: 'Reverted',
      deployedBy: 'Bob Stone',
      finishedAt: '2024-05-03T10:00:00Z',
      deploymentId: '0Af000000000001AAA',
      revert: { id: '0Af000000000002AAA', startedAt: '2024-05-04T09:00:00Z', completedAt: '2024-05-04T09:01:00Z', by: '005B', byName: 'Bob Stone', status: 'Succeeded', overridden: 1, deleted: 0, skipped: 0 },
    });
    const [e] = queueState(view([reverted])).entries;
    assert.equal(e.outcome, 'Deployed by Bob Stone (2024-05-03 10:00 UTC), then reverted by Bob Stone (2024-05-04 09:01 UTC), revert deploy 0Af000000000002AAA. It cannot be deployed again as is.');
    assert.equal(e.actionable, false);
  });
});
