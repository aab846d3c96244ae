import * as assert from 'node:assert/strict';
import {
  applyAction,
  canAct,
  entryDeploy,
  finishEntryRevert,
  newQueueEntry,
  queueMarks,
  recordEntrySnapshot,
  senderNotices,
  startEntryRevert,
  waiting,
  type QueueEntry,
} from '../../../src/core/promotion';
import type { DeployResult } from '../../../src/core/metadata-types';

const BOB = { name: 'Bob Stone', userId: '005B', releaseManager: true };
const SNAPSHOT = { fileId: '069000000000002AAA', takenAt: '2024-05-02T11:59:00.000Z', by: '005B', existed: 1, absent: 1 };
const START = { id: '0Af000000000009AAA', startedAt: '2024-05-03T09:00:00.000Z', by: '005B', byName: 'Bob Stone', revertOf: '0Af000000000002AAA', overridden: 1, deleted: 1, skipped: 0 };

function deployed(): QueueEntry {
  const r = newQueueEntry({
    target: 'UAT',
    source: 'Dev',
    message: 'Add greeting',
    sender: { name: 'Ana Ruiz', userId: '005A' },
    sentAt: '2024-05-02T10:00:00Z',
    components: [{ type: 'ApexClass', fullName: 'Greeter' }],
    packageFileId: '069000000000001AAA',
  });
  assert.ok(r.ok);
  const e = { ...r.entry, number: 'Q-00001', id: 'a01A' };
  const ctx = { actor: BOB, releaseManagers: ['Bob Stone'], at: '2024-05-02T12:00:00.000Z', deploymentId: '0Af000000000002AAA' };
  const deploying = applyAction(e, 'deploy', ctx);
  assert.ok(deploying.ok);
  const done = applyAction(recordEntrySnapshot(deploying.entry, SNAPSHOT), 'deployed', ctx);
  assert.ok(done.ok);
  return { ...done.entry, result: { id: '0Af000000000002AAA', status: 'Succeeded', success: true, checkOnly: false, componentsDeployed: 2, componentsTotal: 2, componentErrors: 0, testsRun: 0, testsFailed: 0 } };
}

function result(extra: Partial<DeployResult>): DeployResult {
  return {
    id: START.id,
    status: 'Succeeded',
    success: true,
    checkOnly: false,
    canceled: false,
    componentsDone: 2,
    componentsTotal: 2,
    componentErrors: 0,
    testsDone: 0,
    testsTotal: 0,
    testErrors: 0,
    successes: [],
    failures: [],
    tests: { run: 0, failures: [] },
    coverage: [],
    coverageWarnings: [],
    completedDate: '2024-05-03T09:01:00.000Z',
    ...extra,
  };
}

describe('promotion: reverting a queue entry’s deploy', () => {
  it('the deploy as a revert reads it: its id, started at the snapshot, ended when the entry was marked Deployed', () => {
    const e = deployed();
    assert.equal(e.snapshot?.fileId, SNAPSHOT.fileId);
    assert.deepEqual(entryDeploy(e), { id: '0Af000000000002AAA', status: 'Succeeded', startedAt: SNAPSHOT.takenAt, completedAt: '2024-05-02T12:00:00.000Z' });
  });

  it('a succeeded revert makes the entry Reverted, with who, when and the revert deploy id; it is not deployed again as is', () => {
    const started = startEntryRevert(deployed(), START);
    assert.ok(started.ok);
    assert.equal(started.entry.revert?.status, 'Pending');
    assert.equal(started.entry.status, 'Deployed', 'still Deployed while the revert runs');
    const again = startEntryRevert(started.entry, { ...START, id: '0Af00000000000AAAA' });
    assert.match((again as { reason: string }).reason, /A revert of Q-00001 “Add greeting” is running \(0Af000000000009AAA\)/);
    const done = finishEntryRevert(started.entry, result({}), '2024-05-03T09:02:00.000Z');
    assert.ok(done.ok);
    assert.equal(done.entry.status, 'Reverted');
    assert.deepEqual([done.entry.revert?.id, done.entry.revert?.byName, done.entry.revert?.completedAt, done.entry.revert?.status], [START.id, 'Bob Stone', '2024-05-03T09:01:00.000Z', 'Succeeded']);
    const redeploy = canAct(done.entry, 'deploy', { actor: BOB, releaseManagers: ['Bob Stone'] });
    assert.equal(redeploy.ok, false);
    assert.match((redeploy as { reason: string }).reason, /^Q-00001 “Add greeting” was deployed to UAT and reverted by Bob Stone \(2024-05-03 09:01 UTC\), so it cannot be deployed again as is\. Ana Ruiz can send the fixed changes again\.$/);
    assert.equal(waiting([done.entry]).length, 0, 'a reverted entry does not wait for a release manager');
    assert.deepEqual(
      senderNotices([done.entry], { name: 'Ana Ruiz', userId: '005A' }).map((n) => n.text),
      ['Q-00001 “Add greeting” was deployed to UAT and reverted by Bob Stone (2024-05-03 09:01 UTC).'],
    );
    // The log marks the revert as Changeline's, undoing the entry's deploy.
    const [mark] = queueMarks([done.entry]);
    assert.ok(mark.deployIds.includes(START.id));
    assert.deepEqual(mark.revert, { id: START.id, of: '0Af000000000002AAA' });
  });

  it('a failed or cancelled revert keeps the entry Deployed (Salesforce rolled it back), and it may be tried again', () => {
    for (const r of [result({ success: false, status: 'Failed', errorMessage: 'boom' }), result({ success: false, status: 'Canceled', canceled: true })]) {
      const started = startEntryRevert(deployed(), START);
      assert.ok(started.ok);
      const done = finishEntryRevert(started.entry, r, '2024-05-03T09:02:00.000Z');
      assert.ok(done.ok);
      assert.equal(done.entry.status, 'Deployed');
      assert.ok(startEntryRevert(done.entry, { ...START, id: '0Af00000000000BAAA' }).ok, 'tried again');
    }
  });

  it('only a deployed entry is reverted, and a result must be of the revert followed', () => {
    const queued = { ...deployed(), status: 'Queued' as const };
    assert.match((startEntryRevert(queued, START) as { reason: string }).reason, /is Queued; only a deployed entry can be reverted/);
    const started = startEntryRevert(deployed(), START);
    assert.ok(started.ok);
    assert.match((finishEntryRevert(started.entry, result({ id: '0Af00000000000CAAA' }), 'x') as { reason: string }).reason, /follows revert 0Af000000000009AAA/);
  });
});
