import { strict as assert } from 'node:assert';
import { baseComponents, seedComponents, seedDifferences } from '../../emulator/seed';
import { checkApex, findTests } from '../../emulator/metadata/apex';
import { checkXml } from '../../emulator/metadata/xml';
import { memberForPath } from '../../emulator/metadata/registry';

const key = (c: { type: string; fullName: string }) => `${c.type}:${c.fullName}`;

describe('emulator seed', () => {
  it('is deterministic and exactly the requested size', () => {
    assert.deepEqual(baseComponents(5, 300), baseComponents(5, 300));
    assert.notDeepEqual(baseComponents(5, 300), baseComponents(6, 300));
    assert.equal(baseComponents(5, 300).length, 300);
  });

  it('covers the common metadata types', () => {
    const types = new Set(baseComponents(1, 200).map((c) => c.type));
    for (const t of ['ApexClass', 'ApexTrigger', 'ApexPage', 'CustomObject', 'CustomField', 'ValidationRule', 'ListView', 'RecordType', 'Layout', 'FlexiPage', 'Flow', 'LightningComponentBundle', 'AuraDefinitionBundle', 'StaticResource', 'PermissionSet', 'Profile', 'CustomLabel', 'CustomTab', 'CustomApplication', 'CustomMetadata', 'EmailTemplate', 'Report', 'Dashboard', 'ReportFolder']) {
      assert.ok(types.has(t), `no ${t}`);
    }
  });

  it('produces content the emulator itself accepts: compiling Apex, passing tests, well-formed XML, known paths', () => {
    for (const c of baseComponents(2, 400)) {
      for (const [p, text] of Object.entries(c.files)) {
        if (p === 'fragment.xml' || p.endsWith('.xml') || /\.(object|layout|flow|flexipage|permissionset|profile|tab|app|report|dashboard|md|labels)$/.test(p)) {
          assert.equal(checkXml(text), undefined, `${key(c)} ${p}`);
        }
        if (p !== 'fragment.xml') assert.equal(key(memberForPath(p) ?? { type: '?', fullName: p }), key(c), p);
        if (p.endsWith('.cls')) {
          assert.equal(checkApex('class', c.fullName, text), undefined, c.fullName);
          assert.ok(!(findTests(c.fullName, text)?.methods ?? []).some((m) => m.failure), `${c.fullName} has a failing test`);
        }
        if (p.endsWith('.trigger')) assert.equal(checkApex('trigger', c.fullName, text), undefined, c.fullName);
      }
    }
  });

  it('makes siblings differ from the base exactly as seedDifferences says', () => {
    const base = new Map(seedComponents(9, 500, 0).map((c) => [key(c), JSON.stringify(c.files)]));
    assert.deepEqual(seedDifferences(9, 500, 0), { changed: [], onlyInBase: [], onlyInSibling: [] });
    for (const idx of [1, 2]) {
      const sib = new Map(seedComponents(9, 500, idx).map((c) => [key(c), JSON.stringify(c.files)]));
      const d = seedDifferences(9, 500, idx);
      const actual = {
        changed: [...sib.keys()].filter((k) => base.has(k) && base.get(k) !== sib.get(k)).sort(),
        onlyInBase: [...base.keys()].filter((k) => !sib.has(k)).sort(),
        onlyInSibling: [...sib.keys()].filter((k) => !base.has(k)).sort(),
      };
      assert.deepEqual(actual, { changed: d.changed.map(key).sort(), onlyInBase: d.onlyInBase.map(key).sort(), onlyInSibling: d.onlyInSibling.map(key).sort() });
      assert.ok(d.changed.length >= 2 && d.onlyInBase.length >= 1 && d.onlyInSibling.length >= 1);
    }
    assert.notDeepEqual(seedDifferences(9, 500, 1), seedDifferences(9, 500, 2));
  });
});
