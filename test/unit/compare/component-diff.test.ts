import * as assert from 'node:assert/strict';
import { diffComponent, digestComponent, fileModeFor, fingerprint } from '../../../src/core/compare/component-diff';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const files = (entries: Record<string, string | Uint8Array>) => new Map(Object.entries(entries));

const LWC = {
  'lwc/orderTable/orderTable.js': "import { LightningElement, api } from 'lwc';\n\nexport default class OrderTable extends LightningElement {\n    @api recordId;\n}\n",
  'lwc/orderTable/orderTable.html': '<template>\n    <lightning-card title="Orders"></lightning-card>\n</template>\n',
  'lwc/orderTable/orderTable.css': ':host {\n    display: block;\n}\n',
  'lwc/orderTable/orderTable.js-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<LightningComponentBundle ${NS}>\n    <apiVersion>60.0</apiVersion>\n    <isExposed>true</isExposed>\n</LightningComponentBundle>\n`,
};

const crlf = (s: string) => s.replace(/\n/g, '\r\n');

describe('compare: component diff', () => {
  it('finds a bundle identical when only line endings and layout whitespace differ', () => {
    const target = files(Object.fromEntries(Object.entries(LWC).map(([p, c]) => [p, Buffer.from(crlf(c) + '\r\n')])));
    const meta = 'lwc/orderTable/orderTable.js-meta.xml';
    target.set(meta, Buffer.from(`<LightningComponentBundle ${NS}><isExposed>true</isExposed><apiVersion>60.0</apiVersion></LightningComponentBundle>`));
    const diff = diffComponent(files(LWC), target);
    assert.deepEqual(diff, { status: 'identical', differingFiles: [], notes: [] });
    assert.equal(fingerprint(target), fingerprint(files(LWC)));
  });

  it('names the one file of a bundle that changed', () => {
    const target = files({ ...LWC, 'lwc/orderTable/orderTable.html': LWC['lwc/orderTable/orderTable.html'].replace('Orders', 'Open orders') });
    const diff = diffComponent(files(LWC), target);
    assert.equal(diff.status, 'different');
    assert.deepEqual(diff.differingFiles, [{ path: 'lwc/orderTable/orderTable.html', change: 'modified' }]);
    assert.notEqual(fingerprint(target), fingerprint(files(LWC)));
  });

  it('reports files present on one side only', () => {
    const source = files({ ...LWC, 'lwc/orderTable/utils.js': 'export const x = 1;\n' });
    const target = files(LWC);
    target.delete('lwc/orderTable/orderTable.css');
    const diff = diffComponent(source, target);
    assert.equal(diff.status, 'different');
    assert.deepEqual(diff.differingFiles, [
      { path: 'lwc/orderTable/orderTable.css', change: 'only-in-source' },
      { path: 'lwc/orderTable/utils.js', change: 'only-in-source' },
    ]);
    assert.deepEqual(diffComponent(target, source).differingFiles.map((f) => f.change), ['only-in-target', 'only-in-target']);
  });

  it('does not ignore indentation changes in code', () => {
    const target = files({ ...LWC, 'lwc/orderTable/orderTable.js': LWC['lwc/orderTable/orderTable.js'].replace('    @api', '  @api') });
    assert.deepEqual(diffComponent(files(LWC), target).differingFiles, [{ path: 'lwc/orderTable/orderTable.js', change: 'modified' }]);
  });

  it('compares an object and its fields (source format) file by file', () => {
    const object = `<CustomObject ${NS}><label>Invoice</label><pluralLabel>Invoices</pluralLabel><sharingModel>ReadWrite</sharingModel></CustomObject>`;
    const field = (len: number) => `<CustomField ${NS}><fullName>Number__c</fullName><label>Number</label><length>${len}</length><type>Text</type></CustomField>`;
    const source = files({
      'objects/Invoice__c/Invoice__c.object-meta.xml': object,
      'objects/Invoice__c/fields/Number__c.field-meta.xml': field(20),
      'objects/Invoice__c/fields/Total__c.field-meta.xml': `<CustomField ${NS}><fullName>Total__c</fullName><type>Currency</type></CustomField>`,
    });
    const target = new Map(source);
    target.set('objects/Invoice__c/fields/Number__c.field-meta.xml', field(40));
    target.set('objects/Invoice__c/Invoice__c.object-meta.xml', object.replace('<label>Invoice</label><pluralLabel>Invoices</pluralLabel>', '<pluralLabel>Invoices</pluralLabel>\n  <label>Invoice</label>'));
    assert.deepEqual(diffComponent(source, target).differingFiles, [
      { path: 'objects/Invoice__c/fields/Number__c.field-meta.xml', change: 'modified' },
    ]);
  });

  it('compares binary static resources byte for byte', () => {
    const body = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x0d, 0x0a, 0xff, 0x10]);
    const meta = `<StaticResource ${NS}><cacheControl>Public</cacheControl><contentType>application/zip</contentType></StaticResource>`;
    const source = files({ 'staticresources/lib.resource': body, 'staticresources/lib.resource-meta.xml': meta });
    assert.equal(diffComponent(source, files({ 'staticresources/lib.resource': Buffer.from(body), 'staticresources/lib.resource-meta.xml': crlf(meta) })).status, 'identical');

    const changed = Buffer.from(body);
    changed[8] = 0x11;
    const diff = diffComponent(source, files({ 'staticresources/lib.resource': changed, 'staticresources/lib.resource-meta.xml': meta }));
    assert.deepEqual(diff.differingFiles, [{ path: 'staticresources/lib.resource', change: 'modified' }]);

    // A resource body is bytes even when it happens to be text: CRLF vs LF is a real change there.
    const text = files({ 'staticresources/cfg.resource': Buffer.from('a=1\nb=2\n') });
    assert.equal(diffComponent(text, files({ 'staticresources/cfg.resource': Buffer.from('a=1\r\nb=2\r\n') })).status, 'different');
  });

  it('says when XML was compared as text because it is not well-formed', () => {
    const broken = `<ApexClass ${NS}><apiVersion>60.0</apiVersion><status>Active</ApexClass>`;
    const source = files({ 'classes/A.cls': 'public class A {}', 'classes/A.cls-meta.xml': broken });
    const target = files({ 'classes/A.cls': 'public class A {}', 'classes/A.cls-meta.xml': crlf(broken) + '\r\n' });
    const same = diffComponent(source, target);
    assert.equal(same.status, 'identical');
    assert.equal(same.notes.length, 2);
    assert.match(same.notes[0], /^source classes\/A\.cls-meta\.xml: not well-formed XML \(.+\); compared as text$/);
    assert.equal(digestComponent(source).notes?.['classes/A.cls-meta.xml']?.includes('not well-formed'), true);

    const fixed = files({ 'classes/A.cls': 'public class A {}', 'classes/A.cls-meta.xml': broken.replace('Active</', 'Active</status></') });
    const diff = diffComponent(source, fixed);
    assert.deepEqual(diff.differingFiles, [{ path: 'classes/A.cls-meta.xml', change: 'modified' }]);
    assert.equal(diff.notes.length, 1);
  });

  it('chooses text, XML or bytes by file name and content', () => {
    assert.equal(fileModeFor('classes/A.cls', 'x'), 'text');
    assert.equal(fileModeFor('classes/A.cls-meta.xml', '<a/>'), 'xml');
    assert.equal(fileModeFor('profiles/Admin.profile', '<?xml version="1.0"?><Profile/>'), 'xml');
    assert.equal(fileModeFor('pages/P.page', '<?xml version="1.0"?><apex:page/>'), 'text');
    assert.equal(fileModeFor('staticresources/x.resource', Buffer.from('hello')), 'bytes');
    assert.equal(fileModeFor('documents/x.bin', Buffer.from([0xc3, 0x28])), 'bytes');
    assert.equal(fileModeFor('email/a.email', Buffer.from([0x61, 0x00, 0x62])), 'bytes');
    assert.equal(fileModeFor('README', Buffer.from('plain')), 'text');
  });

  it('fingerprints the same whatever the map order or content representation', () => {
    const a = files(LWC);
    const b = new Map([...a.entries()].reverse().map(([p, c]) => [p, Buffer.from(c as string)]));
    assert.equal(fingerprint(b), fingerprint(a));
    assert.match(fingerprint(a), /^[0-9a-f]{64}$/);
    // A renamed file is a different component even with the same content.
    const renamed = new Map(a);
    renamed.set('lwc/orderTable/other.css', renamed.get('lwc/orderTable/orderTable.css')!);
    renamed.delete('lwc/orderTable/orderTable.css');
    assert.notEqual(fingerprint(renamed), fingerprint(a));
    assert.equal(fingerprint(new Map()), fingerprint(new Map()));
  });
});
