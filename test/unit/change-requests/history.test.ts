import * as assert from 'node:assert/strict';
import { append, diffFields, entriesForChange, newDraft, seal, verifyChain, type HistoryEntry } from '../../../src/core/change-requests';

const A = '005000000000001AAA';
const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();

function chain(): HistoryEntry[] {
  const c0 = newDraft({ name: 'First' });
  const c1 = { ...c0, overview: 'why', customizations: [{ type: 'ApexClass', fullName: 'G' }] };
  const c2 = { ...c1, status: 'Pending approval' as const };
  return append([], [{ action: 'created', actorId: A, at: at(0), details: {} }, ...entriesForChange(c0, c1, A, at(1)), ...entriesForChange(c1, c2, A, at(2)), { action: 'pushed', actorId: A, at: at(3), details: { org: 'uat' } }]);
}

describe('change requests: history chain', () => {
  it('an untouched chain verifies, and each entry points at the one before', () => {
    const h = chain();
    assert.equal(h.length, 4);
    assert.deepEqual(h.map((e) => e.seq), [1, 2, 3, 4]);
    assert.equal(h[0]!.prevHash, '');
    for (let i = 1; i < h.length; i++) assert.equal(h[i]!.prevHash, h[i - 1]!.hash);
    assert.equal(verifyChain(h), undefined);
  });

  it('detects an edited entry at its index', () => {
    const h = chain();
    h[1] = { ...h[1]!, details: { changes: [{ field: 'overview', label: 'Overview', old: '', new: 'something else' }] } };
    assert.equal(verifyChain(h), 1);
  });

  it('detects a re-hashed edit at the next entry', () => {
    const h = chain();
    const forged = seal({ ...h[1]!, actorId: '005000000000009AAA' }, h[0]);
    h[1] = forged;
    assert.equal(verifyChain(h), 2);
  });

  it('detects a removed entry and a reorder', () => {
    const h = chain();
    assert.equal(verifyChain([h[0]!, h[2]!, h[3]!]), 1);
    assert.equal(verifyChain([h[1]!, h[0]!]), 0);
  });

  it('the hash does not depend on key order', () => {
    const h = chain();
    const e = h[1]!;
    const reordered = JSON.parse(JSON.stringify({ hash: e.hash, prevHash: e.prevHash, seq: e.seq, details: e.details, at: e.at, actorId: e.actorId, action: e.action }));
    assert.equal(verifyChain([h[0]!, reordered, h[2]!, h[3]!]), undefined);
  });

  it('builds edit and status entries from a before/after diff', () => {
    const before = { ...newDraft({ name: 'X', approvers: [] }), status: 'Pending approval' as const };
    const after = { ...before, name: 'Y', status: 'Approved' as const };
    const drafts = entriesForChange(before, after, A, at(5), ' ok by me ');
    assert.deepEqual(drafts.map((d) => d.action), ['edited', 'approved']);
    assert.deepEqual(drafts[0]!.details.changes, [{ field: 'name', label: 'Name', old: 'X', new: 'Y' }]);
    assert.equal(drafts[1]!.details.comment, 'ok by me');
    assert.deepEqual(diffFields(before, before), []);
  });
});
