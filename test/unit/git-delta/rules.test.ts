/** The git delta's pure parts: git's name-status output, the manifests, and the delta's rules over given sides. */
import * as assert from 'node:assert/strict';
import { keepLabels, labelDelta, labelsOf, manifestXml, membersByType, NameStatusFormatError, parseNameStatus, planDelta, refProblem, sortRefs, type DeltaSides, type ResolvedComponent } from '../../../src/core/git-delta';
import { componentKey } from '../../../src/core/metadata-types';

describe('git delta: name-status parsing', () => {
  it('reads additions, modifications, type changes and deletions', () => {
    const out = parseNameStatus('A\0a.cls\0M\0b.cls\0T\0c.cls\0D\0d.cls\0');
    assert.deepEqual(out, [
      { kind: 'added', path: 'a.cls' },
      { kind: 'modified', path: 'b.cls' },
      { kind: 'modified', path: 'c.cls' },
      { kind: 'deleted', path: 'd.cls' },
    ]);
  });

  it('a rename is a deletion of the old path and an addition of the new one; a copy an addition', () => {
    const out = parseNameStatus('R087\0classes/Old.cls\0classes/New.cls\0C100\0x/a.js\0y/a.js\0');
    assert.deepEqual(out, [
      { kind: 'deleted', path: 'classes/Old.cls', renamedTo: 'classes/New.cls' },
      { kind: 'added', path: 'classes/New.cls', renamedFrom: 'classes/Old.cls' },
      { kind: 'added', path: 'y/a.js' },
    ]);
  });

  it('keeps paths with spaces and non-ASCII letters as they are (-z: no quoting)', () => {
    assert.deepEqual(parseNameStatus('M\0static resources/café menu.css\0'), [{ kind: 'modified', path: 'static resources/café menu.css' }]);
  });

  it('refuses output that is not name-status', () => {
    assert.throws(() => parseNameStatus('X\0a\0'), NameStatusFormatError);
    assert.throws(() => parseNameStatus('R100\0only-one\0'), /without its path/);
  });

  it('an empty diff is no change', () => assert.deepEqual(parseNameStatus(''), []));
});

describe('git delta: manifests', () => {
  it('groups members by type, types and members sorted, duplicates once, the version when given', () => {
    const xml = manifestXml(
      [
        { type: 'CustomField', fullName: 'Account.B__c' },
        { type: 'ApexClass', fullName: 'Zeta' },
        { type: 'CustomField', fullName: 'Account.A__c' },
        { type: 'ApexClass', fullName: 'Alpha' },
        { type: 'ApexClass', fullName: 'Zeta' },
      ],
      '62.0',
    );
    assert.equal(
      xml,
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Package xmlns="http://soap.sforce.com/2006/04/metadata">',
        '    <types>',
        '        <members>Alpha</members>',
        '        <members>Zeta</members>',
        '        <name>ApexClass</name>',
        '    </types>',
        '    <types>',
        '        <members>Account.A__c</members>',
        '        <members>Account.B__c</members>',
        '        <name>CustomField</name>',
        '    </types>',
        '    <version>62.0</version>',
        '</Package>',
        '',
      ].join('\n'),
    );
  });

  it('escapes XML in member names (a layout named with an ampersand)', () => {
    assert.match(manifestXml([{ type: 'Layout', fullName: 'Account-Sales & Service' }]), /<members>Account-Sales &amp; Service<\/members>/);
  });

  it('an empty manifest has no types', () => {
    assert.deepEqual(membersByType([]), []);
    assert.doesNotMatch(manifestXml([]), /<types>/);
  });
});

/** Sides from plain maps: path → component at TO and at FROM. */
function sides(to: Record<string, ResolvedComponent>, from: Record<string, ResolvedComponent>): DeltaSides {
  return {
    atTo: (p) => (to[p] ? [to[p]] : []),
    atFrom: (p) => (from[p] ? [from[p]] : []),
    existsAtTo: (p) => p in to,
  };
}
const keys = (cs: Array<{ type: string; fullName: string }>) => cs.map(componentKey);

describe('git delta: the rules', () => {
  const bundle = (files: string[]): ResolvedComponent => ({ type: 'LightningComponentBundle', fullName: 'tile', files });
  const cls = (name: string): ResolvedComponent => ({ type: 'ApexClass', fullName: name, files: [`c/${name}.cls`, `c/${name}.cls-meta.xml`] });

  it('a changed file deploys its component once, however many of its files changed', () => {
    const b = bundle(['lwc/tile/tile.js-meta.xml', 'lwc/tile/tile.html', 'lwc/tile/tile.js']);
    const plan = planDelta(
      [
        { kind: 'modified', path: 'lwc/tile/tile.html' },
        { kind: 'modified', path: 'lwc/tile/tile.js' },
      ],
      sides({ 'lwc/tile/tile.html': b, 'lwc/tile/tile.js': b, 'lwc/tile/tile.js-meta.xml': b }, {}),
    );
    assert.deepEqual(keys(plan.deploy), ['LightningComponentBundle:tile']);
    assert.deepEqual(plan.deploy[0].files, ['lwc/tile/tile.html', 'lwc/tile/tile.js', 'lwc/tile/tile.js-meta.xml']);
    assert.deepEqual(plan.destroy, []);
  });

  it('a deleted file of a component that is still there at TO deploys the component instead of deleting it', () => {
    const before = bundle(['lwc/tile/tile.js-meta.xml', 'lwc/tile/tile.css', 'lwc/tile/tile.js']);
    const after = bundle(['lwc/tile/tile.js-meta.xml', 'lwc/tile/tile.js']);
    const plan = planDelta([{ kind: 'deleted', path: 'lwc/tile/tile.css' }], sides({ 'lwc/tile/tile.js': after, 'lwc/tile/tile.js-meta.xml': after }, { 'lwc/tile/tile.css': before }));
    assert.deepEqual(keys(plan.deploy), ['LightningComponentBundle:tile']);
    assert.deepEqual(plan.deploy[0].files, ['lwc/tile/tile.js', 'lwc/tile/tile.js-meta.xml'], 'its files at TO, not the deleted one');
    assert.deepEqual(plan.destroy, []);
    assert.equal(plan.changes[0].effect, 'deploy');
  });

  it('a rename deletes the old component and deploys the new one', () => {
    const plan = planDelta(
      parseNameStatus('R100\0c/Old.cls\0c/New.cls\0R100\0c/Old.cls-meta.xml\0c/New.cls-meta.xml\0'),
      sides({ 'c/New.cls': cls('New'), 'c/New.cls-meta.xml': cls('New') }, { 'c/Old.cls': cls('Old'), 'c/Old.cls-meta.xml': cls('Old') }),
    );
    assert.deepEqual(keys(plan.deploy), ['ApexClass:New']);
    assert.deepEqual(keys(plan.destroy), ['ApexClass:Old']);
  });

  it('a component both deleted (one path) and deployed (another) is deployed, not deleted', () => {
    const plan = planDelta(
      [
        { kind: 'deleted', path: 'old/X.cls' },
        { kind: 'added', path: 'new/X.cls' },
      ],
      sides({ 'new/X.cls': { ...cls('X'), files: ['new/X.cls', 'new/X.cls-meta.xml'] } }, { 'old/X.cls': { ...cls('X'), files: ['old/X.cls', 'old/X.cls-meta.xml'] } }),
    );
    assert.deepEqual(keys(plan.deploy), ['ApexClass:X']);
    assert.deepEqual(plan.destroy, []);
  });

  it('files that hold no metadata are left out and listed', () => {
    const plan = planDelta(
      [
        { kind: 'modified', path: 'README.md' },
        { kind: 'deleted', path: 'scripts/setup.sh' },
      ],
      sides({}, {}),
    );
    assert.deepEqual(plan.deploy, []);
    assert.deepEqual(plan.destroy, []);
    assert.deepEqual(plan.ignored, ['README.md', 'scripts/setup.sh']);
    assert.deepEqual(
      plan.changes.map((c) => c.effect),
      ['none', 'none'],
    );
  });
});

describe('git delta: refs', () => {
  it('refuses what is not one ref, saying what to give', () => {
    assert.equal(refProblem('main', '--from'), undefined);
    assert.equal(refProblem('origin/release-1.2', '--to'), undefined);
    assert.match(refProblem('', '--from')!, /needs a branch, tag or commit/);
    assert.match(refProblem('--output=x', '--from')!, /not an option/);
    assert.match(refProblem('main...feature', '--to')!, /range.*--merge-base/);
    assert.match(refProblem('my branch', '--to')!, /spaces/);
  });

  it('lists the current branch first, then branches, tags and remote branches', () => {
    const sorted = sortRefs(
      [
        { name: 'origin/main', kind: 'remote' },
        { name: 'v1', kind: 'tag' },
        { name: 'zeta', kind: 'branch' },
        { name: 'feature', kind: 'branch' },
        { name: 'alpha', kind: 'branch' },
      ],
      'feature',
    );
    assert.deepEqual(
      sorted.map((r) => r.name),
      ['feature', 'alpha', 'zeta', 'v1', 'origin/main'],
    );
  });
});

describe('git delta: custom labels, label by label', () => {
  const label = (name: string, value: string) => `    <labels>\n        <fullName>${name}</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>${name}</shortDescription>\n        <value>${value}</value>\n    </labels>\n`;
  const file = (...labels: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<CustomLabels xmlns="http://soap.sforce.com/2006/04/metadata">\n${labels.join('')}</CustomLabels>\n`;

  it('a changed or added label deploys, a removed one is deleted, an untouched one (reindented too) is left out', () => {
    const before = file(label('Greeting', 'Hello'), label('Farewell', 'Bye'), label('Old', 'x'));
    const after = file(label('Greeting', 'Hi there'), label('Farewell', 'Bye').replace(/\n {8}/g, '\n\t\t'), label('Added', 'New'));
    assert.deepEqual(labelDelta(before, after), { changed: ['Added', 'Greeting'], deleted: ['Old'] });
    assert.deepEqual(labelDelta(undefined, after).changed, ['Added', 'Farewell', 'Greeting'], 'a new file: every label');
    assert.deepEqual(labelDelta(before, undefined).deleted, ['Farewell', 'Greeting', 'Old'], 'a deleted file: every label');
  });

  it('the written file keeps only the labels deployed', () => {
    const kept = keepLabels(file(label('Greeting', 'Hi'), label('Farewell', 'Bye'), label('Added', 'New')), new Set(['Greeting', 'Added']));
    assert.deepEqual([...labelsOf(kept).keys()], ['Greeting', 'Added']);
    assert.match(kept, /^<\?xml[^\n]*\n<CustomLabels [^\n]*>\n {4}<labels>/);
    assert.match(kept, /<\/labels>\n<\/CustomLabels>\n$/);
  });
});
