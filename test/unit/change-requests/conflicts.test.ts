import * as assert from 'node:assert/strict';
import { newDraft, resolve, threeWay } from '../../../src/core/change-requests';

const base = { ...newDraft({ name: 'Base', overview: 'o', customizations: [{ type: 'ApexClass', fullName: 'A' }] }), id: 'a00000000000001AAA', lastModified: '2026-01-01T00:00:00.000Z' };

describe('change requests: three-way conflicts', () => {
  it('merges changes made on one side only, from either side', () => {
    const mine = { ...base, name: 'Mine' };
    const theirs = { ...base, overview: 'their overview', lastModified: '2026-01-02T00:00:00.000Z' };
    const r = threeWay(base, mine, theirs);
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.fromMine, ['name']);
    assert.deepEqual(r.fromTheirs, ['overview']);
    assert.equal(r.merged.name, 'Mine');
    assert.equal(r.merged.overview, 'their overview');
    assert.equal(r.merged.lastModified, '2026-01-02T00:00:00.000Z', 'the merged copy is based on the current record');
  });

  it('the same change on both sides is no conflict', () => {
    const r = threeWay(base, { ...base, name: 'Same' }, { ...base, name: 'Same' });
    assert.deepEqual(r.conflicts, []);
    assert.equal(r.merged.name, 'Same');
  });

  it('reports fields changed differently on both sides with both values, and needs a choice for each', () => {
    const mine = { ...base, name: 'Mine', customizations: [{ type: 'ApexClass', fullName: 'B' }] };
    const theirs = { ...base, name: 'Theirs', customizations: [{ type: 'Flow', fullName: 'C' }], overview: 'new' };
    const r = threeWay(base, mine, theirs);
    assert.deepEqual(
      r.conflicts.map((c) => [c.field, c.mine, c.theirs]),
      [
        ['name', 'Mine', 'Theirs'],
        ['customizations', mine.customizations, theirs.customizations],
      ],
    );
    const missing = resolve(r, { name: 'mine' });
    assert.equal(missing.ok, false);
    assert.match((missing as { reason: string }).reason, /Choose your version or theirs for: Customizations/);
    const done = resolve(r, { name: 'mine', customizations: 'theirs' });
    assert.ok(done.ok);
    assert.equal(done.cr.name, 'Mine');
    assert.deepEqual(done.cr.customizations, [{ type: 'Flow', fullName: 'C' }]);
    assert.equal(done.cr.overview, 'new');
  });
});
