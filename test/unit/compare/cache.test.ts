import * as assert from 'node:assert/strict';
import {
  CANONICAL_VERSION,
  MemoryCompareCache,
  pruneCache,
  remember,
  usableDigest,
} from '../../../src/core/compare/cache';
import { digestComponent } from '../../../src/core/compare/component-diff';
import { componentKey } from '../../../src/core/compare/retrieval';
import { componentOfKey } from '../../../src/core/metadata-types';

const ORG = '00D000000000001AAA';
const digest = (body: string) => digestComponent(new Map([['classes/A.cls', body]]));
const listed = (fullName: string, lastModifiedDate?: string) => ({ type: 'ApexClass', fullName, lastModifiedDate });

describe('compare: incremental cache rules', () => {
  it('uses an entry only while the listed lastModifiedDate is the one it was computed at', () => {
    const cache = new MemoryCompareCache();
    const d = digest('class A {}');
    remember(cache, ORG, listed('A', '2024-01-01T00:00:00.000Z'), d);
    assert.deepEqual(usableDigest(cache, ORG, listed('A', '2024-01-01T00:00:00.000Z'), false), d);
    assert.equal(usableDigest(cache, ORG, listed('A', '2024-02-01T00:00:00.000Z'), false), undefined, 'changed since');
    assert.equal(usableDigest(cache, ORG, listed('A'), false), undefined, 'date unknown');
    assert.equal(usableDigest(cache, ORG, listed('B', '2024-01-01T00:00:00.000Z'), false), undefined, 'no entry');
    assert.equal(usableDigest(cache, '00D000000000002AAA', listed('A', '2024-01-01T00:00:00.000Z'), false), undefined, 'other org');
    assert.equal(usableDigest(cache, ORG, listed('A', '2024-01-01T00:00:00.000Z'), true), undefined, 'forceFull');
    assert.equal(usableDigest(undefined, ORG, listed('A', '2024-01-01T00:00:00.000Z'), false), undefined, 'no cache');
    const a = listed('A', '2024-01-01T00:00:00.000Z');
    assert.deepEqual(usableDigest(cache, ORG, a, false, componentKey(a)), d, 'found by the key the engine holds');
  });

  it('does not keep a digest it could not validate later', () => {
    const cache = new MemoryCompareCache();
    remember(cache, ORG, listed('A', '2024-01-01T00:00:00.000Z'), digest('x'));
    remember(cache, ORG, listed('A'), digest('y'));
    assert.equal(cache.get(ORG, listed('A')), undefined);
    assert.equal(cache.size, 0);
  });

  it('drops entries of components no longer listed, only within the listed scope', () => {
    const cache = new MemoryCompareCache();
    for (const name of ['A', 'B', 'C']) remember(cache, ORG, listed(name, 'd1'), digest(name));
    remember(cache, ORG, { type: 'ApexTrigger', fullName: 'T', lastModifiedDate: 'd1' }, digest('t'));
    remember(cache, 'other-org', listed('A', 'd1'), digest('A'));

    const dropped = pruneCache(cache, ORG, new Set([listed('A'), listed('C')].map(componentKey)), (key) => componentOfKey(key).type === 'ApexClass');
    assert.equal(dropped, 1);
    assert.deepEqual(cache.refs(ORG).map((r) => r.fullName).sort(), ['A', 'C', 'T']);
    assert.ok(cache.get('other-org', listed('A')), 'other orgs untouched');

    pruneCache(cache, ORG, new Set<string>(), () => true);
    assert.deepEqual(cache.refs(ORG), []);
    assert.equal(cache.size, 1);
  });

  it('survives a JSON round trip, keeping full names with odd characters', () => {
    const cache = new MemoryCompareCache();
    const notes = digestComponent(new Map([['x.xml', '<a>']]));
    assert.ok(notes.notes, 'fixture has notes');
    remember(cache, ORG, { type: 'Layout', fullName: 'Account-Account Layout (Sales) é', lastModifiedDate: 'd1' }, notes);
    remember(cache, ORG, listed('A', 'd2'), digest('a'));
    const restored = MemoryCompareCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())));
    assert.equal(restored.size, 2);
    assert.deepEqual(restored.get(ORG, { type: 'Layout', fullName: 'Account-Account Layout (Sales) é' }), {
      lastModifiedDate: 'd1',
      digest: notes,
    });
    assert.deepEqual(restored.toJSON(), cache.toJSON());
  });

  it('loads empty from another canonicalization version or from garbage, and skips damaged entries', () => {
    const cache = new MemoryCompareCache();
    remember(cache, ORG, listed('A', 'd1'), digest('a'));
    const json = cache.toJSON();
    assert.equal(json.version, CANONICAL_VERSION);
    assert.equal(MemoryCompareCache.fromJSON({ ...json, version: '0:old' }).size, 0);
    for (const garbage of [null, 42, 'x', [], {}, { version: CANONICAL_VERSION, orgs: [] }]) {
      assert.equal(MemoryCompareCache.fromJSON(garbage).size, 0, JSON.stringify(garbage));
    }
    const damaged = JSON.parse(JSON.stringify(json));
    damaged.orgs[ORG]['ApexClass:B'] = { lastModifiedDate: 'd1', digest: { fingerprint: 'f', files: { a: 1 } } };
    damaged.orgs[ORG]['no-separator'] = json.orgs[ORG]['ApexClass:A'];
    damaged.orgs.other = 'nope';
    const loaded = MemoryCompareCache.fromJSON(damaged);
    assert.deepEqual(loaded.refs(ORG), [{ type: 'ApexClass', fullName: 'A' }]);
  });
});
