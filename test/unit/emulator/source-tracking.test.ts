import { strict as assert } from 'node:assert';
import { OrgStore } from '../../emulator/store';
import { sourceTrackingFor } from '../../emulator';

/** OrgStore's SourceMember rows, without HTTP: which changes make a row, and when none is made. */

const user = '005A00000000001AAA';
const cls = (fullName: string) => ({ type: 'ApexClass', fullName, files: { [`classes/${fullName}.cls`]: Buffer.from(`public class ${fullName} {}`).toString('base64') } });
const store = (sourceTracking: boolean) => new OrgStore({ name: 'unit', orgId: '00D000000000001AAA', isSandbox: true, sourceTracking, users: [] });
const rows = (s: OrgStore) =>
  [...s.table('SourceMember').values()]
    .sort((a, b) => Number(a.RevisionCounter) - Number(b.RevisionCounter))
    .map((r) => `${r.MemberType}:${r.MemberName} rev=${r.RevisionCounter} new=${r.IsNewMember} obsolete=${r.IsNameObsolete}`);

describe('emulator source tracking in the org store', () => {
  it('one row per component, updated in place, with an org-wide revision', () => {
    const s = store(true);
    s.commitMetadata([cls('A'), cls('B')], [], user);
    s.commitMetadata([cls('A')], [{ type: 'ApexClass', fullName: 'B' }], user);
    assert.deepEqual(rows(s), ['ApexClass:A rev=3 new=false obsolete=false', 'ApexClass:B rev=4 new=false obsolete=true']);
    assert.equal(s.sourceMembers.revision, 4);
  });

  it("an LWC or Aura bundle also has a row per file (what sf's tracking waits for), the files it dropped marked obsolete", () => {
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const lwc = (files: string[]) => ({ type: 'LightningComponentBundle', fullName: 'tile', files: Object.fromEntries(files.map((f) => [`lwc/tile/${f}`, b64(f)])) });
    const s = store(true);
    s.commitMetadata([lwc(['tile.js', 'tile.html', 'tile.js-meta.xml'])], [], user);
    s.commitMetadata([lwc(['tile.js', 'tile.js-meta.xml', 'utils/format.js'])], [], user);
    assert.deepEqual(rows(s), [
      'LightningComponentBundle:tile rev=5 new=false obsolete=false',
      'LightningComponentResource:tile/tile.js rev=6 new=false obsolete=false',
      'LightningComponentResource:tile/tile.js-meta.xml rev=7 new=false obsolete=false',
      'LightningComponentResource:tile/utils/format.js rev=8 new=true obsolete=false',
      'LightningComponentResource:tile/tile.html rev=9 new=false obsolete=true',
    ]);
    const aura = store(true);
    const files = { 'aura/card/card.cmp': b64('<aura:component/>'), 'aura/card/card.cmp-meta.xml': b64('<x/>'), 'aura/card/cardController.js': b64('({})') };
    aura.commitMetadata([{ type: 'AuraDefinitionBundle', fullName: 'card', files }], [], user);
    aura.commitMetadata([], [{ type: 'AuraDefinitionBundle', fullName: 'card' }], user);
    assert.deepEqual(rows(aura), [
      'AuraDefinitionBundle:card rev=4 new=false obsolete=true',
      'AuraDefinition:card/card.cmp rev=5 new=false obsolete=true',
      'AuraDefinition:card/cardController.js rev=6 new=false obsolete=true',
    ]);
  });

  it('a delete of a component the org does not hold is no change', () => {
    const s = store(true);
    s.commitMetadata([], [{ type: 'ApexClass', fullName: 'Missing' }], user);
    assert.deepEqual(rows(s), []);
    assert.equal(s.sourceMembers.revision, 0);
  });

  it('seeding and orgs without tracking record nothing', () => {
    const seeded = store(true);
    seeded.loadComponents([{ ...cls('Seeded'), id: '01pA00000000001AAA', createdDate: '2024-01-01T00:00:00.000Z', createdById: user, lastModifiedDate: '2024-01-01T00:00:00.000Z', lastModifiedById: user }]);
    assert.deepEqual(rows(seeded), []);
    const off = store(false);
    off.commitMetadata([cls('A')], [], user);
    assert.deepEqual(rows(off), []);
    assert.equal(off.sourceMembers.revision, 0);
  });

  it('resolves the emulator option: default every sandbox, never production', () => {
    const names = ['prod', 'uat', 'dev'];
    assert.deepEqual(sourceTrackingFor(names, undefined), [false, true, true]);
    assert.deepEqual(sourceTrackingFor(names, true), [false, true, true]);
    assert.deepEqual(sourceTrackingFor(names, false), [false, false, false]);
    assert.deepEqual(sourceTrackingFor(names, ['dev']), [false, false, true]);
    assert.throws(() => sourceTrackingFor(names, ['Production']), /not one of the orgs/);
    assert.throws(() => sourceTrackingFor(['Production', 'dev'], ['Production']), /production orgs never have source tracking/);
  });
});
