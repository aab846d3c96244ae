import * as assert from 'node:assert/strict';
import { compareEnvironments } from '../../../src/core/compare/compare';
import { MemoryCompareCache } from '../../../src/core/compare/cache';
import type { CompareResult } from '../../../src/core/compare/types';
import { FakeSide, apexClass, type FakeComponent } from './fake-side';

const LATER = '2024-05-01T00:00:00.000Z';
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

function permissionSet(name: string): FakeComponent {
  return { type: 'PermissionSet', fullName: name, lastModifiedDate: LATER, files: { [`permissionsets/${name}.permissionset-meta.xml`]: `<PermissionSet ${NS}><label>${name}</label></PermissionSet>` } };
}

/** Two orgs with a change log (developer sandboxes with source tracking). */
function trackedOrgs(changeLog = true) {
  const source = new FakeSide('00DSRC', 'Dev', [apexClass('A', 'class A {}'), apexClass('B', 'class B {}'), permissionSet('Sales')], { changeLog });
  const target = new FakeSide('00DTGT', 'UAT', [apexClass('A', 'class A {}'), apexClass('B', 'class B { x }')], { changeLog });
  return { source, target };
}

const statuses = (r: CompareResult) => Object.fromEntries(r.items.map((i) => [`${i.type}/${i.fullName}`, i.status]));
const clearCalls = (...sides: FakeSide[]) => sides.forEach((s) => ((s.listCalls.length = 0), (s.retrieveCalls.length = 0)));

describe('compare: listing reused through the org\u2019s change log', () => {
  it('lists in full once, then lists nothing when the change log shows no change', async () => {
    const { source, target } = trackedOrgs();
    const cache = new MemoryCompareCache();
    const first = await compareEnvironments(source, target, { cache, now: () => new Date(LATER) });
    assert.deepEqual(source.listCalls, [undefined], 'the first compare lists every type');
    assert.deepEqual(first.listing, { source: { mode: 'full' }, target: { mode: 'full' } });

    clearCalls(source, target);
    const second = await compareEnvironments(source, target, { cache, now: () => new Date(LATER) });
    assert.deepEqual(source.listCalls, [], 'nothing listed in the source');
    assert.deepEqual(target.listCalls, [], 'nothing listed in the target');
    assert.equal(second.retrievedCount, 0);
    assert.deepEqual(second.items, first.items, 'the same answer');
    assert.deepEqual(second.listing.source, { mode: 'tracked', changes: 0, relistedTypes: 0, listedAt: LATER });
    assert.deepEqual(source.changesCalls, [undefined, '0'], 'the revision read before the first listing is the one asked about next');
  });

  it('lists again only the types the change log names, and sees edits, additions and deletions', async () => {
    const { source, target } = trackedOrgs();
    const cache = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache });
    clearCalls(source, target);

    source.put(apexClass('B', 'class B { x }', LATER)); // now identical to the target's
    source.put(permissionSet('Support')); // new
    target.remove('ApexClass', 'A'); // deleted in the target
    const r = await compareEnvironments(source, target, { cache });
    assert.deepEqual(source.listCalls, [['ApexClass', 'PermissionSet']]);
    assert.deepEqual(target.listCalls, [['ApexClass']]);
    assert.deepEqual(source.retrievedRefs, ['ApexClass/B'], 'only the edited class is retrieved');
    assert.deepEqual(statuses(r), {
      'ApexClass/A': 'only-in-source',
      'ApexClass/B': 'identical',
      'PermissionSet/Sales': 'only-in-source',
      'PermissionSet/Support': 'only-in-source',
    });
    assert.equal(r.listing.source.changes, 2);
    assert.equal(r.listing.target.relistedTypes, 1);

    clearCalls(source, target);
    await compareEnvironments(source, target, { cache });
    assert.deepEqual([source.listCalls, target.listCalls], [[], []], 'the kept listing moved to the new revision');
  });

  it('a change the log does not record is seen only by a full refresh', async () => {
    const { source, target } = trackedOrgs();
    const cache = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache });
    source.put(permissionSet('Hidden'), { untracked: true });

    const tracked = await compareEnvironments(source, target, { cache });
    assert.equal(statuses(tracked)['PermissionSet/Hidden'], undefined, 'a change outside source tracking is not seen');
    const full = await compareEnvironments(source, target, { cache, forceFull: true });
    assert.equal(statuses(full)['PermissionSet/Hidden'], 'only-in-source');
    assert.deepEqual(full.listing.source, { mode: 'full' });
    const after = await compareEnvironments(source, target, { cache });
    assert.equal(statuses(after)['PermissionSet/Hidden'], 'only-in-source', 'the refreshed listing is the one kept');
  });

  it('a kept listing a day old is not reused: the org is listed in full again', async () => {
    const { source, target } = trackedOrgs();
    const cache = new MemoryCompareCache();
    const day0 = new Date('2026-11-20T09:00:00.000Z');
    await compareEnvironments(source, target, { cache, now: () => day0 });
    source.put(permissionSet('Hidden'), { untracked: true });
    clearCalls(source, target);
    const sameDay = await compareEnvironments(source, target, { cache, now: () => new Date(day0.getTime() + 23 * 3600_000) });
    assert.deepEqual(source.listCalls, []);
    assert.equal(statuses(sameDay)['PermissionSet/Hidden'], undefined);
    const nextDay = await compareEnvironments(source, target, { cache, now: () => new Date(day0.getTime() + 24 * 3600_000) });
    assert.deepEqual(source.listCalls, [undefined], 'listed in full');
    assert.deepEqual(nextDay.listing.source, { mode: 'full' });
    assert.equal(statuses(nextDay)['PermissionSet/Hidden'], 'only-in-source');
  });

  it('a change made while the org was being listed is listed again next time', async () => {
    const { source, target } = trackedOrgs();
    const cache = new MemoryCompareCache();
    const list = source.listComponents.bind(source);
    source.listComponents = async (types, signal, onProgress) => {
      const listed = await list(types, signal, onProgress);
      source.put(apexClass('Late', 'class Late {}', LATER)); // after listMetadata answered
      return listed;
    };
    const first = await compareEnvironments(source, target, { cache });
    assert.equal(statuses(first)['ApexClass/Late'], undefined);
    source.listComponents = list;
    const second = await compareEnvironments(source, target, { cache });
    assert.equal(statuses(second)['ApexClass/Late'], 'only-in-source');
  });

  it('orgs without a change log are listed in full every time', async () => {
    const { source, target } = trackedOrgs(false);
    const cache = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache });
    const second = await compareEnvironments(source, target, { cache });
    assert.equal(source.listCalls.length, 2);
    assert.deepEqual(second.listing.source, { mode: 'full' });
    assert.equal(cache.getListing(source.id), undefined);
  });

  it('chosen types reuse an all-types listing; an all-types compare after chosen types lists in full', async () => {
    const { source, target } = trackedOrgs();
    const cache = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache });
    clearCalls(source, target);
    const chosen = await compareEnvironments(source, target, { cache, types: ['PermissionSet'] });
    assert.deepEqual(source.listCalls, []);
    assert.deepEqual(Object.keys(statuses(chosen)), ['PermissionSet/Sales']);

    const fresh = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache: fresh, types: ['ApexClass'] });
    clearCalls(source, target);
    await compareEnvironments(source, target, { cache: fresh, types: ['ApexClass', 'PermissionSet'] });
    assert.deepEqual(source.listCalls, [['PermissionSet']], 'only the type the kept listing lacks');
    clearCalls(source, target);
    await compareEnvironments(source, target, { cache: fresh });
    assert.deepEqual(source.listCalls, [undefined], 'a listing of chosen types cannot stand for every type');
  });

  it('the kept listing survives the cache being saved and read back; a damaged one is dropped', async () => {
    const { source, target } = trackedOrgs();
    const cache = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache });
    const saved = JSON.parse(JSON.stringify(cache.toJSON()));
    clearCalls(source, target);
    await compareEnvironments(source, target, { cache: MemoryCompareCache.fromJSON(saved) });
    assert.deepEqual([source.listCalls, target.listCalls], [[], []]);

    saved.listings['00DSRC'].types.ApexClass = [{ type: 'ApexClass' }];
    const damaged = MemoryCompareCache.fromJSON(saved);
    assert.equal(damaged.getListing('00DSRC'), undefined);
    assert.ok(damaged.getListing('00DTGT'));
  });
});

describe('compare: a change log that cannot be read', () => {
  it('lists the org in full and says why, instead of failing the compare', async () => {
    const { source, target } = trackedOrgs();
    const cache = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache });
    const read = source.changesSince!.bind(source);
    let fail = true;
    Object.defineProperty(source, 'changesSince', {
      get: () => async (since: string | undefined, signal: AbortSignal) => {
        if (fail) throw new Error('INSUFFICIENT_ACCESS: no access to the Tooling API');
        return read(since, signal);
      },
    });
    source.put(permissionSet('Support'));
    clearCalls(source, target);
    const r = await compareEnvironments(source, target, { cache });
    assert.deepEqual(source.listCalls, [undefined], 'listed in full');
    assert.deepEqual(r.listing.source, { mode: 'full', problem: 'INSUFFICIENT_ACCESS: no access to the Tooling API' });
    assert.equal(statuses(r)['PermissionSet/Support'], 'only-in-source');
    assert.equal(cache.getListing(source.id), undefined, 'no listing kept without a revision');

    fail = false;
    await compareEnvironments(source, target, { cache });
    clearCalls(source, target);
    await compareEnvironments(source, target, { cache });
    assert.deepEqual(source.listCalls, [], 'once readable again, the listing is kept and reused');
  });
});
