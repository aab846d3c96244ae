import * as assert from 'node:assert/strict';
import { compareEnvironments, type CompareOptions } from '../../../src/core/compare/compare';
import { CompareCancelledError } from '../../../src/core/compare/abort';
import { MemoryCompareCache } from '../../../src/core/compare/cache';
import type { CompareProgress, CompareResult } from '../../../src/core/compare/types';
import { FakeSide, apexClass, type FakeComponent } from './fake-side';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const D1 = '2024-01-01T00:00:00.000Z';
const D2 = '2024-03-01T00:00:00.000Z';

function permissionSet(order: 'ab' | 'ba', date = D1): FakeComponent {
  const a = '<fieldPermissions><editable>true</editable><field>Account.Rating</field><readable>true</readable></fieldPermissions>';
  const b = '<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>';
  return {
    type: 'PermissionSet',
    fullName: 'Sales',
    lastModifiedDate: date,
    files: { 'permissionsets/Sales.permissionset-meta.xml': `<PermissionSet ${NS}><label>Sales</label>${order === 'ab' ? a + b : b + a}</PermissionSet>` },
  };
}

/** Source: Only, Same, Changed, Sales; target: Same (CRLF), Changed (new body), Sales (reordered), Extra. */
function scenario(opts: { source?: ConstructorParameters<typeof FakeSide>[3]; target?: ConstructorParameters<typeof FakeSide>[3] } = {}) {
  const source = new FakeSide('00DSOURCE', 'Dev', [
    apexClass('Only', 'public class Only {}'),
    apexClass('Same', 'public class Same {\n}\n'),
    apexClass('Changed', 'public class Changed { Integer a; }'),
    permissionSet('ab'),
  ], opts.source);
  const target = new FakeSide('00DTARGET', 'UAT', [
    apexClass('Same', 'public class Same {\r\n}\r\n\r\n', D2),
    apexClass('Changed', 'public class Changed { Integer b; }', D2),
    permissionSet('ba', D2),
    apexClass('Extra', 'public class Extra {}'),
  ], opts.target);
  return { source, target };
}

const statuses = (r: CompareResult) => Object.fromEntries(r.items.map((i) => [`${i.type}/${i.fullName}`, i.status]));

describe('compare: engine over in-memory environments', () => {
  it('classifies components by presence and by semantic content', async () => {
    const { source, target } = scenario();
    const r = await compareEnvironments(source, target, { now: () => new Date(D2) });
    assert.deepEqual(statuses(r), {
      'ApexClass/Changed': 'different',
      'ApexClass/Extra': 'only-in-target',
      'ApexClass/Only': 'only-in-source',
      'ApexClass/Same': 'identical',
      'PermissionSet/Sales': 'identical',
    });
    assert.deepEqual(r.items.map((i) => i.fullName), ['Changed', 'Extra', 'Only', 'Same', 'Sales'], 'sorted by type then name');
    const changed = r.items.find((i) => i.fullName === 'Changed')!;
    assert.deepEqual(changed.differingFiles, [{ path: 'classes/Changed.cls', change: 'modified' }]);
    assert.equal(changed.sourceModified, D1);
    assert.equal(changed.targetModified, D2);
    assert.equal(r.items.find((i) => i.fullName === 'Only')!.targetModified, undefined);
    assert.deepEqual(r.countsByStatus, { 'only-in-source': 1, 'only-in-target': 1, different: 1, identical: 2 });
    assert.deepEqual(r.countsByType, {
      ApexClass: { 'only-in-source': 1, 'only-in-target': 1, different: 1, identical: 1 },
      PermissionSet: { 'only-in-source': 0, 'only-in-target': 0, different: 0, identical: 1 },
    });
    assert.deepEqual(r.source, { id: '00DSOURCE', label: 'Dev' });
    assert.equal(r.startedAt, D2);
    assert.equal(r.retrievedCount, 6, 'three components on both sides, retrieved from each');
    assert.equal(r.fromCacheCount, 0);
    assert.deepEqual(source.retrievedRefs.sort(), ['ApexClass/Changed', 'ApexClass/Same', 'PermissionSet/Sales']);
  });

  it('compares only the chosen types', async () => {
    const { source, target } = scenario();
    const r = await compareEnvironments(source, target, { types: ['PermissionSet'] });
    assert.deepEqual(source.listCalls, [['PermissionSet']]);
    assert.deepEqual(statuses(r), { 'PermissionSet/Sales': 'identical' });
    assert.deepEqual(target.retrievedRefs, ['PermissionSet/Sales']);
  });

  it('compares only a change request\u2019s components and lists what neither environment has', async () => {
    const { source, target } = scenario();
    const r = await compareEnvironments(source, target, {
      components: [
        { type: 'ApexClass', fullName: 'Changed' },
        { type: 'ApexClass', fullName: 'Extra' },
        { type: 'ApexClass', fullName: 'Ghost' },
        { type: 'ApexClass', fullName: 'Ghost' },
      ],
    });
    assert.deepEqual(source.listCalls, [['ApexClass']]);
    assert.deepEqual(statuses(r), { 'ApexClass/Changed': 'different', 'ApexClass/Extra': 'only-in-target' });
    assert.deepEqual(r.notFound, [{ type: 'ApexClass', fullName: 'Ghost' }]);
    assert.deepEqual(source.retrievedRefs, ['ApexClass/Changed']);
  });

  it('retrieves in chunks with bounded concurrency, each component once per side', async () => {
    const n = 2300;
    const comps = Array.from({ length: n }, (_, i) => apexClass(`C${String(i).padStart(4, '0')}`, `class C${i} {}`));
    const source = new FakeSide('S', 'Source', comps, { retrieveDelayMs: 5 });
    const target = new FakeSide('T', 'Target', comps.map((c, i) => (i === 1234 ? apexClass(c.fullName, 'changed') : c)), {
      retrieveDelayMs: 5,
      asyncIterable: true,
    });
    const r = await compareEnvironments(source, target, { chunkSize: 500, concurrency: 3 });
    for (const side of [source, target]) {
      assert.deepEqual(side.retrieveCalls.map((c) => c.length), [500, 500, 500, 500, 300]);
      assert.equal(new Set(side.retrievedRefs).size, n);
    }
    assert.ok(source.maxInFlight <= 3 && target.maxInFlight <= 3, 'bounded');
    assert.ok(source.maxInFlight >= 1 && target.maxInFlight >= 1);
    assert.deepEqual(r.countsByStatus, { 'only-in-source': 0, 'only-in-target': 0, different: 1, identical: n - 1 });
    assert.equal(r.items.find((i) => i.status === 'different')!.fullName, 'C1234');
    assert.equal(r.retrievedCount, 2 * n);
  });

  it('by default splits each side over its share of the retrieve slots, never more than 2,500 per request', async () => {
    const make = (n: number) => Array.from({ length: n }, (_, i) => apexClass(`A${String(i).padStart(5, '0')}`, 'x'));
    // 8 slots, 2 sides: 4 requests per side.
    let source = new FakeSide('S', 'S', make(3000));
    let target = new FakeSide('T', 'T', make(3000));
    await compareEnvironments(source, target);
    assert.deepEqual(source.retrieveCalls.map((c) => c.length), [750, 750, 750, 750]);
    assert.deepEqual(target.retrieveCalls.map((c) => c.length), [750, 750, 750, 750]);
    // Large sides: capped at 2,500 per request.
    source = new FakeSide('S', 'S', make(6000));
    target = new FakeSide('T', 'T', make(6000));
    await compareEnvironments(source, target, { concurrency: 2 });
    assert.deepEqual(source.retrieveCalls.map((c) => c.length), [2500, 2500, 1000]);
    // Only one side to retrieve (the other from the cache): it gets every slot.
    const cache = new MemoryCompareCache();
    const dated = (n: number) => make(n).map((c) => ({ ...c, lastModifiedDate: D1 }));
    await compareEnvironments(new FakeSide('S', 'S', dated(800)), new FakeSide('T', 'T', dated(800)), { cache });
    source = new FakeSide('S', 'S', dated(800));
    target = new FakeSide('T', 'T', dated(800).map((c) => ({ ...c, lastModifiedDate: D2 })));
    await compareEnvironments(source, target, { cache, concurrency: 4 });
    assert.deepEqual(source.retrieveCalls, []);
    assert.deepEqual(target.retrieveCalls.map((c) => c.length), [200, 200, 200, 200]);
  });

  it('never has more retrieves in flight than the concurrency allows', async () => {
    const comps = Array.from({ length: 40 }, (_, i) => apexClass(`K${i}`, 'x'));
    const shared = { inFlight: 0, max: 0 };
    const wrap = (side: FakeSide) => {
      const original = side.retrieve.bind(side);
      side.retrieve = (refs, signal) => {
        shared.inFlight++;
        shared.max = Math.max(shared.max, shared.inFlight);
        const p = original(refs, signal) as Promise<never[]>;
        return p.finally(() => shared.inFlight--);
      };
      return side;
    };
    const source = wrap(new FakeSide('S', 'S', comps, { retrieveDelayMs: 5 }));
    const target = wrap(new FakeSide('T', 'T', comps, { retrieveDelayMs: 5 }));
    await compareEnvironments(source, target, { chunkSize: 4, concurrency: 2 });
    assert.equal(shared.max, 2);
    assert.equal(source.retrieveCalls.length, 10);
  });

  it('reports progress through listing, retrieving and comparing', async () => {
    const { source, target } = scenario();
    const events: CompareProgress[] = [];
    await compareEnvironments(source, target, { chunkSize: 2, onProgress: (p) => events.push(p) });
    const phases = events.map((e) => e.phase).filter((p, i, a) => a[i - 1] !== p);
    assert.deepEqual(phases, ['listing', 'retrieving', 'comparing']);
    const retrieving = events.filter((e) => e.phase === 'retrieving');
    assert.ok(retrieving.every((e) => e.total === 6));
    assert.equal(retrieving.at(-1)!.done, 6);
    for (let i = 1; i < retrieving.length; i++) assert.ok(retrieving[i].done >= retrieving[i - 1].done);
    assert.ok(retrieving.some((e) => /from UAT/.test(e.detail)) && retrieving.some((e) => /from Dev/.test(e.detail)));
    assert.deepEqual(events.at(-1), { phase: 'comparing', done: 3, total: 3, detail: 'Compared' });
    // Listing counts the types of both environments as their calls come back, then names what each listed.
    const listing = events.filter((e) => e.phase === 'listing');
    for (let i = 1; i < listing.length; i++) assert.ok(listing[i].done >= listing[i - 1].done, 'listing progress never goes back');
    assert.ok(listing.some((e) => /UAT: 1 of \d+ types and folders/.test(e.detail)), listing.map((e) => e.detail).join('\n'));
    const last = listing.at(-1)!;
    assert.equal(last.done, last.total);
    assert.match(last.detail, /^Listing Dev: \d+ components · UAT: \d+ components$/);
  });

  it('stops promptly when cancelled, even if the org does not react to the signal', async () => {
    const { source, target } = scenario({ target: { hangRetrieve: true } });
    const controller = new AbortController();
    const events: CompareProgress[] = [];
    const running = compareEnvironments(source, target, {
      signal: controller.signal,
      onProgress: (p) => {
        events.push(p);
        if (p.phase === 'retrieving') setTimeout(() => controller.abort(), 20);
      },
    });
    // The target's retrieve never settles: only a prompt cancel lets this finish.
    await assert.rejects(running, (e: unknown) => e instanceof CompareCancelledError && e.name === 'AbortError');
    assert.ok(target.signals.every((s) => s.aborted), 'the org calls saw the abort');
  });

  it('stops promptly when cancelled while an org is still listing', async () => {
    const { source, target } = scenario();
    target.listComponents = () => new Promise(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(compareEnvironments(source, target, { signal: controller.signal }), CompareCancelledError);
    assert.equal(source.retrieveCalls.length, 0);
  });

  it('does not start when already cancelled, and starts no new chunk after a cancel', async () => {
    const { source, target } = scenario();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(compareEnvironments(source, target, { signal: controller.signal }), CompareCancelledError);
    assert.equal(source.listCalls.length, 0);

    const many = Array.from({ length: 50 }, (_, i) => apexClass(`M${i}`, 'x'));
    const s2 = new FakeSide('S', 'S', many, { retrieveDelayMs: 30 });
    const t2 = new FakeSide('T', 'T', many, { retrieveDelayMs: 30 });
    const c2 = new AbortController();
    const run = compareEnvironments(s2, t2, {
      chunkSize: 5,
      concurrency: 1,
      signal: c2.signal,
      onProgress: (p) => p.phase === 'retrieving' && c2.abort(),
    });
    await assert.rejects(run, CompareCancelledError);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(s2.retrieveCalls.length + t2.retrieveCalls.length, 0, 'aborted before the first chunk was sent');
  });

  it('passes a side\u2019s failure through and stops the other side', async () => {
    const boom = Object.assign(new Error('INVALID_SESSION_ID'), { kind: 'expired-session' });
    const comps = Array.from({ length: 30 }, (_, i) => apexClass(`F${i}`, 'x'));
    const source = new FakeSide('S', 'S', comps, { retrieveDelayMs: 10 });
    const target = new FakeSide('T', 'T', comps, { retrieveDelayMs: 10, failRetrieve: { call: 1, error: boom } });
    await assert.rejects(compareEnvironments(source, target, { chunkSize: 3, concurrency: 2 }), (e) => e === boom);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(source.retrieveCalls.length < 10, `stopped early (${source.retrieveCalls.length} source chunks)`);
    assert.ok(source.signals.at(-1)!.aborted);
  });

  it('marks a listed component that a retrieve did not return, instead of calling it identical', async () => {
    const { source, target } = scenario({ target: { unretrievable: ['ApexClass/Same'] } });
    const r = await compareEnvironments(source, target);
    const same = r.items.find((i) => i.fullName === 'Same')!;
    assert.equal(same.status, 'different');
    assert.match(same.notes!.join(' '), /Not returned when retrieving from UAT/);
    assert.equal(r.retrievedCount, 5);
  });

  it('notes XML that was compared as text', async () => {
    const bad = (date: string): FakeComponent => ({
      type: 'CustomLabels',
      fullName: 'CustomLabels',
      lastModifiedDate: date,
      files: { 'labels/CustomLabels.labels-meta.xml': `<CustomLabels ${NS}><labels><fullName>A</fullName></CustomLabels>` },
    });
    const r = await compareEnvironments(new FakeSide('S', 'Dev', [bad(D1)]), new FakeSide('T', 'UAT', [bad(D1)]));
    assert.equal(r.items[0].status, 'identical');
    assert.equal(r.items[0].notes?.length, 2);
    assert.match(r.items[0].notes![0], /^Dev: labels\/CustomLabels\.labels-meta\.xml is not well-formed XML/);
  });

  it('takes the digests from a side that computes them itself, with the same result', async () => {
    const plain = scenario();
    const expected = await compareEnvironments(plain.source, plain.target, { now: () => new Date(D2) });
    const extra = apexClass('NotAsked', 'public class NotAsked {}');
    const { source, target } = scenario({ source: { digests: true, extraInAnswer: [extra] }, target: { digests: true } });
    const r = await compareEnvironments(source, target, { now: () => new Date(D2) });
    assert.deepEqual(r.items, expected.items);
    assert.deepEqual(r.countsByStatus, expected.countsByStatus);
    assert.equal(r.retrievedCount, expected.retrievedCount, 'a component nobody asked for is not counted');
    assert.ok(source.digestCalls > 0 && target.digestCalls > 0, 'both sides were asked for digests');
    assert.ok(!r.items.some((i) => i.fullName === 'NotAsked'), 'nor reported');
  });

  it('stops promptly when cancelled while a side is digesting', async () => {
    const { source, target } = scenario({ source: { digests: true, hangRetrieve: true }, target: { digests: true } });
    const ac = new AbortController();
    const run = compareEnvironments(source, target, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(source.digestCalls > 0, 'the digest retrieve started');
    ac.abort();
    await assert.rejects(run, CompareCancelledError);
  });

  it('rejects bad options with a clear message', async () => {
    const { source, target } = scenario();
    const bad: Array<[CompareOptions, RegExp]> = [
      [{ chunkSize: 0 }, /chunkSize must be a whole number from 1 to 10000 \(got 0\)/],
      [{ chunkSize: 1.5 }, /chunkSize/],
      [{ concurrency: 0 }, /concurrency must be/],
      [{ concurrency: Number.NaN }, /concurrency/],
      [{ types: ['ApexClass'], components: [] }, /not both/],
      [{ types: [''] }, /non-empty/],
      [{ components: [{ type: 'ApexClass', fullName: '' }] }, /type and a full name/],
    ];
    for (const [opts, message] of bad) await assert.rejects(compareEnvironments(source, target, opts), message);
    assert.equal(source.listCalls.length, 0);
    const empty = await compareEnvironments(source, target, { components: [] });
    assert.equal(empty.items.length, 0);
  });
});

describe('compare: incremental compare with a cache', () => {
  it('re-retrieves only what changed since the last compare, and a refresh retrieves all', async () => {
    const { source, target } = scenario();
    const cache = new MemoryCompareCache();
    const first = await compareEnvironments(source, target, { cache });
    assert.equal(first.retrievedCount, 6);

    source.retrieveCalls.length = 0;
    target.retrieveCalls.length = 0;
    const second = await compareEnvironments(source, target, { cache });
    assert.equal(second.retrievedCount, 0);
    assert.equal(second.fromCacheCount, 6);
    assert.deepEqual(second.items, first.items, 'same answer from the cache');
    assert.equal(source.retrieveCalls.length + target.retrieveCalls.length, 0);

    // The target's Changed now matches the source (new date); Same is edited in the source.
    target.put(apexClass('Changed', 'public class Changed { Integer a; }', '2024-04-01T00:00:00.000Z'));
    source.put(apexClass('Same', 'public class Same { /* edited */ }', '2024-04-02T00:00:00.000Z'));
    const third = await compareEnvironments(source, target, { cache });
    assert.deepEqual(target.retrievedRefs, ['ApexClass/Changed']);
    assert.deepEqual(source.retrievedRefs, ['ApexClass/Same']);
    assert.equal(third.retrievedCount, 2);
    assert.equal(third.fromCacheCount, 4);
    assert.equal(statuses(third)['ApexClass/Changed'], 'identical', 'cached source digest vs fresh target');
    assert.equal(statuses(third)['ApexClass/Same'], 'different');
    assert.deepEqual(third.items.find((i) => i.fullName === 'Same')!.differingFiles, [{ path: 'classes/Same.cls', change: 'modified' }]);

    source.retrieveCalls.length = 0;
    const full = await compareEnvironments(source, target, { cache, forceFull: true });
    assert.equal(full.retrievedCount, 6);
    assert.equal(full.fromCacheCount, 0);
    assert.equal(source.retrieveCalls.flat().length, 3);
    assert.deepEqual(statuses(full), statuses(third));
  });

  it('does not trust the cache when the content changed but the listing gives no date', async () => {
    const undated = (body: string): FakeComponent => ({ ...apexClass('U', body), lastModifiedDate: undefined });
    const source = new FakeSide('S', 'S', [undated('a')]);
    const target = new FakeSide('T', 'T', [undated('a')]);
    const cache = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache });
    target.put(undated('b'));
    const r = await compareEnvironments(source, target, { cache });
    assert.equal(r.items[0].status, 'different');
    assert.equal(r.fromCacheCount, 0);
  });

  it('drops cache entries of deleted components, but keeps types that were not compared', async () => {
    const { source, target } = scenario();
    const cache = new MemoryCompareCache();
    await compareEnvironments(source, target, { cache });
    assert.equal(cache.refs('00DTARGET').length, 3);

    source.remove('PermissionSet', 'Sales');
    await compareEnvironments(source, target, { cache, types: ['ApexClass'] });
    assert.ok(cache.get('00DSOURCE', { type: 'PermissionSet', fullName: 'Sales' }), 'not listed this time: kept');

    target.remove('ApexClass', 'Same');
    await compareEnvironments(source, target, { cache, types: ['ApexClass'] });
    assert.equal(cache.get('00DTARGET', { type: 'ApexClass', fullName: 'Same' }), undefined);
    assert.ok(cache.get('00DSOURCE', { type: 'ApexClass', fullName: 'Same' }), 'source still has it');

    await compareEnvironments(source, target, { cache });
    assert.equal(cache.get('00DSOURCE', { type: 'PermissionSet', fullName: 'Sales' }), undefined);
  });

  it('keeps what was retrieved before a cancel, so the next compare resumes from there', async () => {
    const comps = Array.from({ length: 20 }, (_, i) => apexClass(`R${String(i).padStart(2, '0')}`, 'x'));
    const source = new FakeSide('S', 'S', comps, { retrieveDelayMs: 5 });
    const target = new FakeSide('T', 'T', comps, { retrieveDelayMs: 5 });
    const cache = new MemoryCompareCache();
    const controller = new AbortController();
    let ended = 0;
    await assert.rejects(
      compareEnvironments(source, target, {
        cache,
        chunkSize: 5,
        concurrency: 1,
        signal: controller.signal,
        onProgress: (p) => p.phase === 'retrieving' && p.detail.startsWith('Retrieved') && ++ended === 2 && controller.abort(),
      }),
      CompareCancelledError,
    );
    const kept = cache.size;
    assert.ok(kept >= 10 && kept < 40, `kept ${kept}`);
    const r = await compareEnvironments(source, target, { cache, chunkSize: 5 });
    assert.equal(r.fromCacheCount, kept);
    assert.equal(r.retrievedCount, 40 - kept);
    assert.equal(r.countsByStatus.identical, 20);
  });

  it('works from a cache restored from JSON', async () => {
    const { source, target } = scenario();
    const cache = new MemoryCompareCache();
    const first = await compareEnvironments(source, target, { cache });
    const restored = MemoryCompareCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())));
    const again = await compareEnvironments(source, target, { cache: restored });
    assert.equal(again.fromCacheCount, 6);
    assert.deepEqual(again.items, first.items);
  });
});
