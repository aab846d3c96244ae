import * as assert from 'node:assert/strict';
import { finishDeploy, finishRevert, finishValidation, recordPackage, recordSnapshot, startDeploy, startRevert, startValidation } from '../../../src/core/deployments';
import type { DeployResult } from '../../../src/core/metadata-types';
import { ALICE, dep } from './fixtures';

const PKG = { fileId: '068000000000001AAA', retrievedAt: '2026-03-01T08:00:00.000Z', componentCount: 2 };

function result(extra: Partial<DeployResult>): DeployResult {
  return {
    id: '0Af000000000001AAA',
    status: 'Succeeded',
    success: true,
    checkOnly: false,
    canceled: false,
    componentsDone: 2,
    componentsTotal: 2,
    componentErrors: 0,
    testsDone: 3,
    testsTotal: 3,
    testErrors: 0,
    successes: [],
    failures: [],
    tests: { run: 3, failures: [] },
    coverage: [],
    coverageWarnings: [],
    completedDate: '2026-03-01T10:00:00.000Z',
    ...extra,
  };
}

describe('deployments: recorded facts', () => {
  it('a new package drops the validation and dependency check of the old one', () => {
    const d = dep('Approved', {
      package: PKG,
      validation: { id: 'v', startedAt: 'x', by: ALICE.userId, checkOnly: true, testLevel: 'RunLocalTests' },
      dependencyCheck: { at: 'x', by: ALICE.userId, missing: 1, sources: ['static scan'] },
    });
    const next = recordPackage(d, { ...PKG, fileId: '068000000000002AAA' });
    assert.equal(next.package?.fileId, '068000000000002AAA');
    assert.equal(next.validation, undefined);
    assert.equal(next.dependencyCheck, undefined);
  });

  it('a validation is recorded when it starts (with the Apex it validates) and completed by its result', () => {
    let d = startValidation(dep('Approved', { package: PKG }), { id: '0Af000000000001AAA', startedAt: '2026-03-01T09:00:00.000Z', by: ALICE.userId, testLevel: 'RunLocalTests' });
    assert.equal(d.validation?.completedAt, undefined);
    assert.deepEqual(d.validation?.apex, [{ type: 'ApexClass', fullName: 'Greeter' }]);
    d = finishValidation(d, result({ checkOnly: true, tests: { run: 3, failures: [{ className: 'GreeterTest', methodName: 'greets', message: 'boom' }] }, success: false, status: 'Failed' }), 'now');
    assert.equal(d.validation?.completedAt, '2026-03-01T10:00:00.000Z');
    assert.equal(d.validation?.success, false);
    assert.equal(d.validation?.testsFailed, 1);
    assert.equal(d.status, 'Approved', 'a validation never changes the status');
    assert.equal(finishValidation(d, result({ id: 'other' }), 'now'), d, 'a result of another run is ignored');
  });

  it('a deploy keeps its id while running, and its result sets the status', () => {
    const start = startDeploy(dep('Approved', { package: PKG }), { id: '0Af000000000001AAA', startedAt: '2026-03-01T09:00:00.000Z', by: ALICE.userId }, ALICE);
    assert.ok(start.ok);
    assert.equal(start.record.status, 'Deploying');
    assert.equal(start.record.deploy?.id, '0Af000000000001AAA');
    const cases: Array<[Partial<DeployResult>, string]> = [
      [{}, 'Deployed'],
      [{ status: 'Failed', success: false }, 'Failed'],
      [{ status: 'SucceededPartial', success: true }, 'Failed'],
      [{ status: 'Canceled', success: false, canceled: true }, 'Cancelled'],
    ];
    for (const [r, status] of cases) {
      const done = finishDeploy(start.record, result(r), 'now');
      assert.ok(done.ok);
      assert.equal(done.record.status, status, JSON.stringify(r));
      assert.equal(done.record.deploy?.status, r.status ?? 'Succeeded', 'keeps the org\'s own status');
    }
  });

  it('refuses to finish a deploy with a result of another deploy or one still running', () => {
    const start = startDeploy(dep('Approved', { package: PKG }), { id: '0Af000000000001AAA', startedAt: 'x', by: ALICE.userId }, ALICE);
    assert.ok(start.ok);
    const other = finishDeploy(start.record, result({ id: '0Af000000000009AAA' }), 'now');
    assert.ok(!other.ok && /result is of deploy 0Af000000000009AAA, but DEP-00042 follows deploy 0Af000000000001AAA/.test(other.reason));
    const running = finishDeploy(start.record, result({ status: 'InProgress' }), 'now');
    assert.ok(!running.ok && /still InProgress/.test(running.reason));
    const draft = startDeploy(dep('Draft'), { id: 'x', startedAt: 'x', by: ALICE.userId }, ALICE);
    assert.ok(!draft.ok && /DEP-00042 is Draft: it can only move to/.test(draft.reason));
  });
});

describe('deployments: the snapshot and the revert as recorded facts', () => {
  const SNAP = { fileId: '069000000000001AAA', takenAt: '2026-03-01T09:59:00.000Z', by: ALICE.userId, existed: 1, absent: 1 };
  const START = { id: '0Af000000000REVAAA', startedAt: '2026-03-02T10:00:00.000Z', by: ALICE.userId, revertOf: '0Af000000000001AAA', overridden: 1, deleted: 1, skipped: 0 };

  it('keeps the snapshot (a retry replaces it) with its file id', () => {
    const d = recordSnapshot(dep('Approved', { package: PKG }), SNAP);
    assert.equal(d.snapshotId, SNAP.fileId);
    assert.deepEqual(recordSnapshot(d, { ...SNAP, fileId: '069000000000002AAA' }).snapshot?.fileId, '069000000000002AAA');
  });

  it('a succeeded revert makes the record Reverted; a failed or canceled one keeps it Deployed and says how it ended', () => {
    const started = startRevert(dep('Deployed', { package: PKG, snapshot: SNAP }), START);
    assert.ok(started.ok);
    assert.equal(started.record.revert?.status, 'Pending');
    const ok = finishRevert(started.record, result({ id: START.id }), '2026-03-02T10:05:00.000Z');
    assert.ok(ok.ok);
    assert.equal(ok.record.status, 'Reverted');
    assert.equal(ok.record.revert?.status, 'Succeeded');
    const failed = finishRevert(started.record, result({ id: START.id, status: 'Failed', success: false, errorMessage: 'boom' }), '2026-03-02T10:05:00.000Z');
    assert.ok(failed.ok);
    assert.equal(failed.record.status, 'Deployed');
    assert.deepEqual([failed.record.revert?.status, failed.record.revert?.errorMessage], ['Failed', 'boom']);
    const canceled = finishRevert(started.record, result({ id: START.id, status: 'Canceled', success: false, canceled: true }), '2026-03-02T10:05:00.000Z');
    assert.ok(canceled.ok);
    assert.deepEqual([canceled.record.status, canceled.record.revert?.status], ['Deployed', 'Canceled']);
  });

  it('refuses a revert of a record not deployed, one while another runs, and a result of another deploy', () => {
    const a = startRevert(dep('Approved'), START);
    assert.equal(a.ok, false);
    const started = startRevert(dep('Deployed', { snapshot: SNAP }), START);
    assert.ok(started.ok);
    const twice = startRevert(started.record, { ...START, id: '0Af000000000RE2AAA' });
    assert.ok(!twice.ok && /is running \(0Af000000000REVAAA\)/.test(twice.reason));
    const other = finishRevert(started.record, result({ id: '0Af000000000XXXAAA' }), '2026-03-02T10:05:00.000Z');
    assert.ok(!other.ok && /follows revert 0Af000000000REVAAA/.test(other.reason));
  });
});
