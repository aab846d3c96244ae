import * as assert from 'node:assert/strict';
import {
  newCopy,
  newDraft,
  parseSnapshot,
  placeComponents,
  resolve,
  snapshot,
  syncMerge,
  type ChangeRequest,
  type ComponentRef,
} from '../../../src/core/change-requests';

const cls = (n: string): ComponentRef => ({ type: 'ApexClass', fullName: n });
const flow = (n: string): ComponentRef => ({ type: 'Flow', fullName: n });
const inTarget = new Set(['ApexClass:Shared', 'ApexClass:Other', 'Flow:Onboarding']);
const exists = (c: ComponentRef): boolean => inTarget.has(`${c.type}:${c.fullName}`);

const source: ChangeRequest = {
  ...newDraft({ name: 'Greeting', overview: 'why', customizations: [cls('Shared'), cls('OnlyInSource')], proposedCustomizations: [flow('Onboarding'), flow('Later')], approvers: ['005000000000002AAA'] }),
  id: 'a01000000000001AAA',
  number: 'CR-00007',
  status: 'Approved',
  submittedBy: '005000000000001AAA',
};
const from = { orgId: '00D000000000001AAA', environment: 'UAT' };

describe('change requests: sync between environments', () => {
  it('places components by what the receiving org holds, from both lists of the sent CR', () => {
    const placed = placeComponents([...source.customizations, ...source.proposedCustomizations], exists);
    assert.deepEqual(placed.customizations, [cls('Shared'), flow('Onboarding')]);
    assert.deepEqual(placed.proposedCustomizations, [cls('OnlyInSource'), flow('Later')]);
  });

  it('a new copy is a Draft without approvers that points at its origin', () => {
    const copy = newCopy(source, from, placeComponents([...source.customizations, ...source.proposedCustomizations], exists));
    assert.equal(copy.status, 'Draft');
    assert.deepEqual(copy.approvers, []);
    assert.equal(copy.submittedBy, undefined);
    assert.equal(copy.id, undefined);
    assert.deepEqual(copy.origin, { orgId: from.orgId, recordId: source.id, number: 'CR-00007', environment: 'UAT' });
    assert.equal(copy.name, 'Greeting');
    assert.deepEqual(copy.proposedCustomizations, [cls('OnlyInSource'), flow('Later')]);
    assert.deepEqual(parseSnapshot(copy.syncBase), { name: 'Greeting', changeType: 'Feature', overview: 'why', customizations: copy.customizations, proposedCustomizations: copy.proposedCustomizations });
  });

  it('snapshots ignore component order and unsynced fields; unreadable snapshots read as none', () => {
    const a = snapshot(source);
    const b = snapshot({ ...source, customizations: [...source.customizations].reverse(), status: 'Draft', approvers: [] } as ChangeRequest);
    assert.equal(a, b);
    assert.notEqual(snapshot({ ...source, overview: 'other' }), a);
    for (const bad of [undefined, '', 'not json', '[]', '{"name":"x"}', '{"name":"x","changeType":"Nope","overview":"","customizations":[],"proposedCustomizations":[]}']) {
      assert.equal(parseSnapshot(bad), undefined, String(bad));
    }
  });

  describe('merging into an existing copy', () => {
    const copy0 = { ...newCopy(source, from, placeComponents([...source.customizations, ...source.proposedCustomizations], exists)), id: 'a02000000000001AAA', number: 'CR-00001' };
    const base = parseSnapshot(copy0.syncBase)!;

    it('takes the sender\'s edits and keeps the receiver\'s own, never its status or approvers', () => {
      const theirs: ChangeRequest = { ...copy0, overview: 'receiver notes', status: 'Approved', approvers: ['005000000000009AAA'] };
      const mine = { ...source, name: 'Greeting v2', customizations: [...source.customizations, cls('Other')] };
      const r = syncMerge(base, mine, theirs, exists);
      assert.deepEqual(r.conflicts, []);
      assert.equal(r.merged.name, 'Greeting v2');
      assert.equal(r.merged.overview, 'receiver notes');
      assert.equal(r.merged.status, 'Approved');
      assert.deepEqual(r.merged.approvers, ['005000000000009AAA']);
      assert.deepEqual(r.merged.customizations, [cls('Other'), cls('Shared'), flow('Onboarding')]);
      assert.deepEqual(r.fromMine.sort(), ['customizations', 'name']);
    });

    it('reports fields changed differently on both sides, and the choices resolve them', () => {
      const theirs: ChangeRequest = { ...copy0, name: 'Their name', overview: 'their overview' };
      const mine = { ...source, name: 'My name', changeType: 'Bug fix' as const };
      const r = syncMerge(base, mine, theirs, exists);
      assert.deepEqual(
        r.conflicts.map((c) => [c.label, c.base, c.mine, c.theirs]),
        [['Name', 'Greeting', 'My name', 'Their name']],
      );
      assert.equal(r.merged.changeType, 'Bug fix');
      assert.equal(r.merged.overview, 'their overview');
      assert.equal(resolve(r, {}).ok, false);
      const chosen = resolve(r, { name: 'mine' });
      assert.ok(chosen.ok);
      assert.equal(chosen.cr.name, 'My name');
      const kept = resolve(r, { name: 'theirs' });
      assert.ok(kept.ok && kept.cr.name === 'Their name');
    });

    it('a component the receiver now holds moves out of the proposed list without a conflict', () => {
      const now = (c: ComponentRef): boolean => exists(c) || c.fullName === 'Later';
      const r = syncMerge(base, source, copy0, now);
      assert.deepEqual(r.conflicts, []);
      assert.deepEqual(r.merged.customizations, [cls('Shared'), flow('Later'), flow('Onboarding')]);
      assert.deepEqual(r.merged.proposedCustomizations, [cls('OnlyInSource')]);
    });

    it('a component list compares as a set whichever org placed it (a copy pushed back)', () => {
      // The base was placed in another org: the same components in other lists are no change.
      const otherPlacement = { ...base, customizations: [...base.customizations, ...base.proposedCustomizations], proposedCustomizations: [] };
      const r = syncMerge(otherPlacement, source, copy0, exists);
      assert.deepEqual(r.conflicts, []);
      assert.deepEqual(r.fromMine, []);
    });

    it('without a base, every field the two sides disagree on is a conflict', () => {
      const theirs: ChangeRequest = { ...copy0, overview: 'edited there' };
      const r = syncMerge(undefined, source, theirs, exists);
      assert.deepEqual(r.conflicts.map((c) => c.field), ['overview']);
      assert.equal(r.conflicts[0]!.base, undefined);
      assert.equal(r.merged.name, 'Greeting', 'equal fields merge');
    });
  });
});

describe('tracking errors the UI recognises', () => {
  it('tells tracking missing from tracking outdated, by kind and code, also across bundles', async () => {
    const { TrackingError, isTrackingMissing, isTrackingOutdated } = await import('../../../src/salesforce/tracking/errors');
    const missing = new TrackingError('tracking-missing', 'not set up', undefined, 'uat');
    const outdated = new TrackingError('tracking-outdated', 'older', undefined, 'uat');
    assert.equal(missing.kind, 'not-found');
    assert.equal(outdated.kind, 'invalid-request');
    assert.deepEqual([isTrackingMissing(missing), isTrackingOutdated(missing)], [true, false]);
    assert.deepEqual([isTrackingMissing(outdated), isTrackingOutdated(outdated)], [false, true]);
    // An error thrown by another copy of the Salesforce bundle: same shape, different class.
    assert.equal(isTrackingMissing({ kind: 'not-found', code: 'tracking-missing', message: 'x' }), true);
    for (const other of [new Error('tracking-missing'), { kind: 'not-found' }, { kind: 'invalid-request', code: 'tracking-missing' }, undefined, null, 'tracking-missing']) {
      assert.equal(isTrackingMissing(other), false, String(other));
    }
  });
});
