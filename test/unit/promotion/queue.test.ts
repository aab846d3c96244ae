import * as assert from 'node:assert/strict';
import {
  applyAction,
  canAct,
  earlierWaiting,
  newQueueEntry,
  joinHistory,
  orderQueue,
  queueMarks,
  senderNotices,
  type QueueActor,
  type QueueContext,
  type QueueEntry,
} from '../../../src/core/promotion';
import { refused } from './fixtures';

const ANA: QueueActor = { name: 'Ana Ruiz', userId: '005A', releaseManager: false };
const BOB: QueueActor = { name: 'Bob Stone', userId: '005B', releaseManager: true };
const CAROL: QueueActor = { name: 'Carol Diaz', userId: '005C', releaseManager: false };
const MANAGERS = ['Bob Stone', 'Dana Lee'];

function entry(extra: Partial<QueueEntry> = {}): QueueEntry {
  const r = newQueueEntry({
    target: 'UAT',
    source: 'Dev',
    message: 'Add greeting',
    sender: { name: 'Ana Ruiz', userId: '005A' },
    sentAt: '2024-05-02T10:00:00Z',
    crs: [{ number: 'CR-00001' }],
    components: [{ type: 'ApexClass', fullName: 'Greeter' }],
    packageFileId: '068000000000001AAA',
  });
  assert.ok(r.ok);
  return { ...r.entry, number: 'Q-00001', id: 'a01A', ...extra };
}
const ctx = (actor: QueueActor, extra: Partial<QueueContext> = {}): QueueContext => ({ actor, releaseManagers: MANAGERS, at: '2024-05-02T12:00:00Z', ...extra });

describe('promotion: deployment queue', () => {
  it('a new entry is Queued, version 1, with what it carries', () => {
    const e = entry();
    assert.equal(e.status, 'Queued');
    assert.equal(e.version, 1);
    assert.deepEqual(e.crs, [{ number: 'CR-00001' }]);
    assert.equal(e.packageFileId, '068000000000001AAA');
  });

  it('refuses a send with no message or no components, saying what to do', () => {
    const base = { target: 'UAT', source: 'Dev', sender: { name: 'Ana' }, sentAt: '2024-05-02T10:00:00Z' };
    refused(newQueueEntry({ ...base, message: '  ', components: [{ type: 'ApexClass', fullName: 'A' }] }), /Write a message for UAT's release managers/);
    refused(newQueueEntry({ ...base, message: 'x', components: [] }), /nothing to send to UAT: pick at least one component/);
  });

  it('a release manager deploys: Queued → Deploying → Deployed, each step a new version', () => {
    let r = applyAction(entry(), 'deploy', ctx(BOB, { deploymentId: '0Af1' }));
    assert.ok(r.ok);
    assert.equal(r.entry.status, 'Deploying');
    assert.equal(r.entry.deployedBy, 'Bob Stone');
    assert.equal(r.entry.version, 2);
    r = applyAction(r.entry, 'deployed', ctx(BOB));
    assert.ok(r.ok);
    assert.equal(r.entry.status, 'Deployed');
    assert.equal(r.entry.deploymentId, '0Af1');
    assert.equal(r.entry.version, 3);
  });

  it('others read the queue only: the refusal names who can act', () => {
    const reason = refused(canAct(entry(), 'deploy', ctx(CAROL)), /Only release managers of UAT \(the Changeline Release Manager permission set\) can deploy queued changes: Bob Stone, Dana Lee/);
    assert.match(reason, /Ask one of them/);
    refused(canAct(entry(), 'reject', ctx(ANA, { reason: 'no' })), /can reject queued changes: Bob Stone, Dana Lee/);
    refused(canAct(entry(), 'deploy', ctx(CAROL, { releaseManagers: [] })), /nobody there holds it yet. Ask an admin of UAT to assign it/);
  });

  it('reject needs a reason, and the sender sees it', () => {
    refused(canAct(entry(), 'reject', ctx(BOB, { reason: ' ' })), /Say why you reject Q-00001 “Add greeting”: Ana Ruiz will read it/);
    const r = applyAction(entry(), 'reject', ctx(BOB, { reason: 'Missing test class for Greeter' }));
    assert.ok(r.ok);
    assert.equal(r.entry.status, 'Rejected');
    assert.deepEqual(senderNotices([r.entry], { name: 'Ana Ruiz', userId: '005A' }).map((n) => n.text), [
      'UAT rejected Q-00001 “Add greeting” (Bob Stone, 2024-05-02 12:00 UTC): Missing test class for Greeter',
    ]);
    assert.deepEqual(senderNotices([r.entry], { name: 'Carol Diaz', userId: '005C' }), []);
  });

  it('a rejected or deployed entry cannot be acted on again', () => {
    const rejected = entry({ status: 'Rejected', rejection: { reason: 'no', by: 'Bob Stone', at: '2024-05-02T12:00:00Z' } });
    refused(canAct(rejected, 'deploy', ctx(BOB)), /was rejected by Bob Stone; Ana Ruiz can send the changes again/);
    refused(canAct(entry({ status: 'Deployed' }), 'reject', ctx(BOB, { reason: 'late' })), /already deployed to UAT. To undo it, revert that deployment from UAT's deployment log/);
  });

  it('a failed deploy can be retried or rejected, and the sender sees the failure', () => {
    let r = applyAction(entry({ status: 'Deploying' }), 'failed', ctx(BOB, { reason: 'Greeter: Variable does not exist: nme' }));
    assert.ok(r.ok);
    assert.match(senderNotices([r.entry], { name: 'x', userId: '005A' })[0].text, /Deploying Q-00001 “Add greeting” to UAT failed: Greeter: Variable does not exist/);
    r = applyAction(r.entry, 'deploy', ctx(BOB));
    assert.ok(r.ok);
    assert.equal(r.entry.failure, undefined);
  });

  it('the sender may withdraw a queued entry; nobody else but a release manager', () => {
    refused(canAct(entry(), 'withdraw', ctx(CAROL)), /Only Ana Ruiz, who sent Q-00001 “Add greeting”, or a release manager of UAT can withdraw it/);
    const r = applyAction(entry(), 'withdraw', ctx(ANA));
    assert.ok(r.ok);
    assert.equal(r.entry.status, 'Cancelled');
    refused(canAct(r.entry, 'deploy', ctx(BOB)), /was withdrawn by Ana Ruiz; ask Ana Ruiz to send the changes again/);
  });

  it('a failed or deploy-cancelled entry may still be withdrawn; a deploying or deployed one may not', () => {
    for (const status of ['Failed', 'Cancelled'] as const) {
      const r = applyAction(entry({ status }), 'withdraw', ctx(ANA));
      assert.ok(r.ok, status);
      assert.deepEqual(r.entry.withdrawn, { by: 'Ana Ruiz', at: '2024-05-02T12:00:00Z' });
      assert.equal(r.entry.version, 2);
    }
    refused(canAct(entry({ status: 'Deploying' }), 'withdraw', ctx(ANA)), /is deploying to UAT now/);
    refused(canAct(entry({ status: 'Deployed' }), 'withdraw', ctx(ANA)), /already deployed to UAT/);
    refused(canAct(entry({ status: 'Cancelled', withdrawn: { by: 'Ana Ruiz', at: 'x' } }), 'withdraw', ctx(ANA)), /was withdrawn by Ana Ruiz/);
    assert.ok(canAct(entry(), 'withdraw', ctx(BOB)).ok, 'a release manager may withdraw too');
  });

  it('a deploy cancelled while running leaves the entry deployable again', () => {
    const r = applyAction(entry({ status: 'Deploying' }), 'cancelled', ctx(BOB));
    assert.ok(r.ok);
    assert.equal(r.entry.status, 'Cancelled');
    assert.ok(canAct(r.entry, 'deploy', ctx(BOB)).ok);
  });

  it('refuses an action on an entry someone changed since it was read', () => {
    refused(canAct(entry({ version: 3, status: 'Rejected' }), 'deploy', ctx(BOB, { expectedVersion: 1 })), /changed since you opened it \(it is now Rejected\). Refresh UAT's queue/);
  });

  it('one deploy at a time per org', () => {
    const running = entry({ id: 'a02', number: 'Q-00002', status: 'Deploying', message: 'Billing' });
    const waiting = entry();
    refused(canAct(waiting, 'deploy', ctx(BOB, { queue: [running, waiting] })), /Q-00002 “Billing” is deploying to UAT now; an org takes one deployment at a time/);
  });

  it('keeps entries in the order they were sent, and says when earlier ones still wait', () => {
    const first = entry({ id: 'a1', number: 'Q-00001', sentAt: '2024-05-01T09:00:00Z' });
    const second = entry({ id: 'a2', number: 'Q-00002', sentAt: '2024-05-02T09:00:00Z' });
    const third = entry({ id: 'a3', number: 'Q-00003', sentAt: '2024-05-03T09:00:00Z' });
    assert.deepEqual(orderQueue([third, first, second]).map((e) => e.number), ['Q-00001', 'Q-00002', 'Q-00003']);
    assert.equal(earlierWaiting([third, first, second], third), "2 earlier entries are still waiting in UAT's queue (Q-00001, Q-00002). Deploying Q-00003 first means they would be deployed over it later.");
    assert.equal(earlierWaiting([third, first, second], first), undefined);
  });

  it('outcomes only apply to a running deploy', () => {
    refused(canAct(entry(), 'deployed', ctx(BOB)), /is Queued, not deploying: there is nothing to mark as deployed/);
  });
});

describe('promotion queue: the deploys made from entries, as the deployment history marks them', () => {
  it("marks a queue entry's deploy and its validation as Changeline's, with the entry's number, message, CRs and package; entries never deployed mark nothing", () => {
    const deployed = entry({ id: 'a0Q1', number: 'Q-00001', status: 'Deployed', deploymentId: '0Af000000000009AAA', result: { id: '0Af000000000009AAA', validationId: '0Af000000000008AAA', status: 'Succeeded', success: true, checkOnly: false, componentsDeployed: 1, componentsTotal: 1, componentErrors: 0, testsRun: 0, testsFailed: 0 } });
    const waiting = entry({ id: 'a0Q2', number: 'Q-00002' });
    const marks = queueMarks([deployed, waiting]);
    assert.deepEqual(marks, [
      { deployIds: ['0Af000000000009AAA', '0Af000000000008AAA'], label: 'Q-00001', message: 'Add greeting', crNumbers: ['CR-00001'], env: 'UAT', recordId: 'a0Q1', packageFileId: '068000000000001AAA' },
    ]);
    const log = joinHistory(
      [
        { id: '0Af000000000009AAA', status: 'Succeeded', checkOnly: false, createdDate: '2024-05-02T11:00:00Z' },
        { id: '0Af000000000007AAA', status: 'Succeeded', checkOnly: false, createdDate: '2024-05-02T09:00:00Z' },
      ],
      marks,
    );
    assert.deepEqual(log.map((d) => [d.source, d.message]), [['changeline', 'Add greeting'], ['out-of-band', undefined]]);
  });

  it('does not take a deployment record id for a deploy id', () => {
    assert.deepEqual(queueMarks([entry({ number: 'Q-00003', deploymentId: 'a0D000000000001AAA' })]), []);
  });
});
