import * as assert from 'node:assert/strict';
import type { OrgDeployRow, OrgDeployStatus } from '../../../src/core/deployments/org-deploys';
import { askFrom, keepRows, KEPT_ROWS_MAX_AGE_MS, mergeRows } from '../../../src/core/promotion/kept-rows';

const T0 = Date.parse('2026-12-07T02:00:00Z');
/** A row created `min` minutes after T0 (plus `ms`). */
const row = (id: string, min: number, status: OrgDeployStatus = 'Succeeded', ms = 0): OrgDeployRow => ({
  id,
  status,
  checkOnly: false,
  createdDate: new Date(T0 + min * 60_000 + ms).toISOString().replace('Z', '+0000'),
});
const ids = (rows: readonly OrgDeployRow[]) => rows.map((r) => r.id);
/** Rows of minutes n-1 … 0, newest first. */
const history = (n: number) => Array.from({ length: n }, (_, i) => row(`r${n - 1 - i}`, n - 1 - i));

describe('promotion: DeployRequest rows kept between reads of the history', () => {
  const NOW = T0 + 60 * 60_000;

  it('asks the org again from the newest row when all were finished, down to the second', () => {
    const kept = keepRows([row('b', 5, 'Succeeded', 700), row('a', 1)], 30, 500, NOW, 1000)!;
    assert.equal(kept.complete, true, 'fewer rows than asked for: every row of the window');
    assert.equal(askFrom(kept, 30, NOW + 1000), '2026-12-07T02:05:00Z');
  });

  it('asks from the oldest row still running, so a deploy that finished since is read again', () => {
    const kept = keepRows([row('c', 9), row('b', 5, 'InProgress'), row('a', 1, 'Pending')], 30, 500, NOW, 1000)!;
    assert.equal(askFrom(kept, 30, NOW), '2026-12-07T02:01:00Z');
    const fresh = [row('d', 12), row('c', 9), row('b', 5, 'Succeeded'), row('a', 1, 'Failed')];
    const merged = mergeRows(kept, askFrom(kept, 30, NOW)!, fresh, 500, 1000)!;
    assert.deepEqual(ids(merged.rows), ['d', 'c', 'b', 'a']);
    assert.deepEqual(merged.rows.map((r) => r.status), ['Succeeded', 'Succeeded', 'Succeeded', 'Failed'], "the org's rows replace the running ones");
  });

  it('adds the new rows in front of the kept finished ones; a row in the same second as the boundary is not doubled', () => {
    const kept = keepRows(history(5), 30, 500, NOW, 1000)!;
    const from = askFrom(kept, 30, NOW)!;
    const merged = mergeRows(kept, from, [row('new', 4, 'Succeeded', 500), row('r4', 4)], 500, 1000)!;
    assert.deepEqual(ids(merged.rows), ['new', 'r4', 'r3', 'r2', 'r1', 'r0']);
    assert.deepEqual(ids(merged.kept.rows), ids(merged.rows));
    assert.equal(merged.kept.complete, true);
  });

  it('serves a smaller request from a larger read, the newest first', () => {
    const kept = keepRows(history(50), 30, 2000, NOW, 1000)!;
    const merged = mergeRows(kept, askFrom(kept, 30, NOW)!, [row('r49', 49)], 10, 1000)!;
    assert.deepEqual(ids(merged.rows), ['r49', 'r48', 'r47', 'r46', 'r45', 'r44', 'r43', 'r42', 'r41', 'r40']);
    assert.equal(merged.kept.rows.length, 50, 'all that was kept stays kept');
  });

  it('reads in full when a larger request needs more than a prefix holds', () => {
    const kept = keepRows(history(10).slice(0, 10), 30, 10, NOW, 1000)!; // the org had more than the 10 asked for
    assert.equal(kept.complete, false);
    assert.equal(mergeRows(kept, askFrom(kept, 30, NOW)!, [row('r9', 9)], 200, 1000), undefined);
    assert.equal(mergeRows(kept, askFrom(kept, 30, NOW)!, [row('r9', 9)], 5, 1000)?.rows.length, 5, 'a smaller request still can be answered');
  });

  it('when the new rows alone fill the request, keeps only them (what lies between is unknown)', () => {
    const kept = keepRows(history(5), 30, 500, NOW, 1000)!;
    const fresh = [row('n3', 30), row('n2', 20), row('n1', 10)];
    const merged = mergeRows(kept, askFrom(kept, 30, NOW)!, fresh, 3, 1000)!;
    assert.deepEqual(ids(merged.rows), ['n3', 'n2', 'n1']);
    assert.equal(merged.kept.complete, false);
  });

  it('reads in full for another window, once the kept rows are too old, and never keeps undated rows', () => {
    const kept = keepRows(history(3), 30, 500, NOW, 1000)!;
    assert.equal(askFrom(kept, 7, NOW), undefined);
    assert.equal(askFrom(kept, 30, NOW + KEPT_ROWS_MAX_AGE_MS), undefined);
    assert.equal(askFrom(kept, 30, NOW - 1), undefined, 'a clock that went back');
    assert.equal(askFrom(undefined, 30, NOW), undefined);
    assert.equal(keepRows([{ id: 'x', status: 'Succeeded', checkOnly: false }], 30, 500, NOW, 1000), undefined);
    assert.equal(mergeRows(kept, askFrom(kept, 30, NOW)!, [{ id: 'x', status: 'Succeeded', checkOnly: false }], 500, 1000), undefined);
  });

  it('keeps at most its bound, and is then no longer complete', () => {
    const kept = keepRows(history(20), 30, 500, NOW, 8)!;
    assert.equal(kept.rows.length, 8);
    assert.equal(kept.complete, false);
    const merged = mergeRows(keepRows(history(5), 30, 500, NOW, 5)!, '2026-12-07T02:04:00Z', [row('n', 6), row('r4', 4)], 500, 5)!;
    assert.deepEqual(ids(merged.kept.rows), ['n', 'r4', 'r3', 'r2', 'r1']);
    assert.equal(merged.kept.complete, false);
    assert.equal(merged.rows.length, 6, 'this request still gets every row');
  });

  it("with no row kept reads in full: this machine's clock is never compared with the org's dates", () => {
    assert.equal(askFrom(keepRows([], 30, 500, NOW, 1000), 30, NOW + 5000), undefined);
  });
});
