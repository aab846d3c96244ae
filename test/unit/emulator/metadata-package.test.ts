import { strict as assert } from 'node:assert';
import JSZip from 'jszip';
import { OrgStore } from '../../emulator/store';
import { parseManifest, writeManifest } from '../../emulator/metadata/package-xml';
import { memberForPath } from '../../emulator/metadata/registry';
import { mergeParent, splitParent } from '../../emulator/metadata/xml';
import { BadZipError, readDeployZip } from '../../emulator/metadata/zip-package';
import { planDeploy } from '../../emulator/metadata/deploy-plan';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const pkg = (types: Record<string, string[]>) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="${NS}">${Object.entries(types)
    .map(([t, ms]) => `<types>${ms.map((m) => `<members>${m}</members>`).join('')}<name>${t}</name></types>`)
    .join('')}<version>62.0</version></Package>`;
const meta = `<?xml version="1.0" encoding="UTF-8"?><ApexClass xmlns="${NS}"><apiVersion>62.0</apiVersion></ApexClass>`;

async function zip(files: Record<string, string>): Promise<string> {
  const z = new JSZip();
  for (const [p, t] of Object.entries(files)) z.file(p, t);
  return z.generateAsync({ type: 'base64' });
}

function store(): OrgStore {
  return new OrgStore({ name: 'unit', orgId: '00D000000000001AAA', isSandbox: true, sourceTracking: false, users: [] });
}

describe('emulator package.xml and zips', () => {
  it('writes a manifest that parses back to the same members', () => {
    const text = writeManifest([{ type: 'ApexClass', fullName: 'B' }, { type: 'ApexClass', fullName: 'A' }, { type: 'CustomField', fullName: 'Account.X__c' }], '62.0');
    const { manifest } = parseManifest(text);
    assert.deepEqual([...manifest!.types], [['ApexClass', ['A', 'B']], ['CustomField', ['Account.X__c']]]);
    assert.equal(manifest!.version, '62.0');
  });

  it('reports a malformed manifest with its position', () => {
    const { problem } = parseManifest(`<?xml version="1.0"?>\n<Package>\n<types><name>ApexClass</types>\n</Package>`);
    assert.equal(problem?.line, 3);
    assert.match(problem!.problem, /^Error parsing file/);
  });

  it('maps metadata-format paths to components through the SDR registry', () => {
    const cases: Array<[string, string | undefined]> = [
      ['classes/Foo.cls', 'ApexClass:Foo'],
      ['classes/Foo.cls-meta.xml', 'ApexClass:Foo'],
      ['lwc/myCard/myCard.js', 'LightningComponentBundle:myCard'],
      ['objects/Account.object', 'CustomObject:Account'],
      ['reports/Sales/Q1.report', 'Report:Sales/Q1'],
      ['reports/Sales-meta.xml', 'ReportFolder:Sales'],
      ['email/Tpl/Hello.email-meta.xml', 'EmailTemplate:Tpl/Hello'],
      ['customMetadata/Config.Rec.md', 'CustomMetadata:Config.Rec'],
      ['staticresources/Data.resource', 'StaticResource:Data'],
      ['nonsense/Foo.bar', undefined],
      ['classes/../x.cls', undefined],
    ];
    for (const [p, want] of cases) {
      const m = memberForPath(p);
      assert.equal(m ? `${m.type}:${m.fullName}` : undefined, want, p);
    }
  });

  it('splits a parent into its own XML and child fragments, and merges them back', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="${NS}">\n    <fields>\n        <fullName>B__c</fullName>\n        <type>Text</type>\n    </fields>\n    <label>W</label>\n    <fields>\n        <fullName>A__c</fullName>\n    </fields>\n</CustomObject>\n`;
    const s = splitParent(xml, new Map([['fields', 'fullName']]));
    assert.deepEqual(s.children.map((c) => [c.name, c.line]), [['B__c', 3], ['A__c', 8]]);
    assert.ok(s.hasOwnContent);
    assert.doesNotMatch(s.parent, /<fields>/);
    const merged = mergeParent(s.parent, s.children);
    assert.match(merged, /<label>W<\/label>\n    <fields>\n        <fullName>A__c[\s\S]*B__c[\s\S]*<\/CustomObject>/);
  });

  it('refuses text that is not base64 or not a zip', async () => {
    await assert.rejects(readDeployZip('@@@'), BadZipError);
    await assert.rejects(readDeployZip(Buffer.from('plain text, not a zip').toString('base64')), /zip file could not be read/);
  });

  it('strips the package folder of a multi-package zip', async () => {
    const p = await readDeployZip(await zip({ 'unpackaged/package.xml': pkg({ ApexClass: ['A'] }), 'unpackaged/classes/A.cls': 'public class A {}' }));
    assert.ok(p.packageXml?.manifest);
    assert.deepEqual(p.components.map((c) => Object.keys(c.files)), [['classes/A.cls']]);
  });
});

describe('emulator deploy plan', () => {
  const now = '2026-01-01T00:00:00.000Z';

  it('stores object children as fragments and fails fields of objects that exist nowhere', async () => {
    const obj = (name: string, field: string, label = true) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="${NS}">\n${label ? '    <label>L</label>\n' : ''}    <fields>\n        <fullName>${field}</fullName>\n        <type>Text</type>\n    </fields>\n</CustomObject>\n`;
    const p = await readDeployZip(
      await zip({
        'package.xml': pkg({ CustomObject: ['W__c'], CustomField: ['W__c.Size__c', 'Gone__c.X__c', 'Account.Tier__c'] }),
        'objects/W__c.object': obj('W__c', 'Size__c'),
        'objects/Gone__c.object': obj('Gone__c', 'X__c', false),
        'objects/Account.object': obj('Account', 'Tier__c', false),
      }),
    );
    const plan = planDeploy(p, store(), now);
    assert.deepEqual(plan.failures.map((f) => [f.fullName, f.fileName, f.lineNumber, f.problem]), [
      ['Gone__c.X__c', 'objects/Gone__c.object', 3, 'In field: X__c - no CustomObject named Gone__c found'],
    ]);
    const up = new Map(plan.upserts.map((u) => [`${u.type}:${u.fullName}`, u.files]));
    assert.deepEqual(Object.keys(up.get('CustomField:W__c.Size__c')!), ['fragment.xml']);
    assert.match(Buffer.from(up.get('CustomField:Account.Tier__c')!['fragment.xml'], 'base64').toString(), /^<fields>[\s\S]*Tier__c[\s\S]*<\/fields>$/);
    assert.doesNotMatch(Buffer.from(up.get('CustomObject:W__c')!['objects/W__c.object'], 'base64').toString(), /<fields>/);
  });

  it('reports unchanged components as not changed, and ghost members and unknown types in package.xml', async () => {
    const s = store();
    const cls = 'public class A {}';
    s.commitMetadata([{ type: 'ApexClass', fullName: 'A', files: { 'classes/A.cls': Buffer.from(cls).toString('base64'), 'classes/A.cls-meta.xml': Buffer.from(meta).toString('base64') } }], [], 'u');
    const p = await readDeployZip(await zip({ 'package.xml': pkg({ ApexClass: ['A', 'Ghost'], NotAType: ['X'] }), 'classes/A.cls': cls, 'classes/A.cls-meta.xml': meta }));
    const plan = planDeploy(p, s, now);
    assert.deepEqual(plan.successes.map((m) => [m.fullName, m.created, m.changed]), [['A', false, false]]);
    assert.deepEqual(plan.failures.map((f) => [f.componentType, f.fullName, f.fileName]), [
      ['ApexClass', 'Ghost', 'package.xml'],
      ['NotAType', 'NotAType', 'package.xml'],
    ]);
  });

  it('turns destructive changes into deletes, and missing components into warnings', async () => {
    const s = store();
    s.commitMetadata([{ type: 'ApexClass', fullName: 'Old', files: { 'classes/Old.cls': Buffer.from('public class Old {}').toString('base64') } }], [], 'u');
    const p = await readDeployZip(await zip({ 'package.xml': pkg({}), 'destructiveChangesPost.xml': pkg({ ApexClass: ['Old', 'Never'] }) }));
    const plan = planDeploy(p, s, now);
    assert.deepEqual(plan.deletes, [{ type: 'ApexClass', fullName: 'Old' }]);
    assert.deepEqual(plan.warnings.map((w) => [w.fullName, w.problemType, w.problem]), [['Never', 'Warning', 'No ApexClass named: Never found']]);
  });

  it('fails a zip without package.xml as a whole', async () => {
    const plan = planDeploy(await readDeployZip(await zip({ 'classes/A.cls': 'public class A {}' })), store(), now);
    assert.equal(plan.packageError?.problem, 'No package.xml found');
    assert.equal(plan.packageError?.componentType, '');
  });

  it('fails malformed XML of any metadata file with its line', async () => {
    const p = await readDeployZip(
      await zip({ 'package.xml': pkg({ Layout: ['Account-Main'] }), 'layouts/Account-Main.layout': `<?xml version="1.0"?>\n<Layout xmlns="${NS}">\n<layoutSections>\n</Layout>` }),
    );
    const plan = planDeploy(p, store(), now);
    assert.equal(plan.failures[0].fileName, 'layouts/Account-Main.layout');
    assert.equal(plan.failures[0].lineNumber, 4);
    assert.equal(plan.upserts.length, 0);
  });
});
