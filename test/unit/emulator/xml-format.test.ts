import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sameFile } from '../../../src/core/compare/component-diff';
import { orgXml } from '../../emulator/metadata/xml-format';

/**
 * The emulator writes retrieved metadata XML as an org does (declaration, four-space indentation,
 * elements in the type's order). Whatever was deployed, what comes back must count as the same
 * file for the compare and Diff with Environment — and a real change must still count.
 */
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const root = path.resolve(__dirname, '../../../..');

function xmlFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f));
}

describe('emulator: retrieved XML as an org writes it', () => {
  it('rewrites layout, declaration, order and escaping', () => {
    const deployed = `<PermissionSet ${NS}>\n  <label>A &amp; "B"</label>\n  <fieldPermissions><readable>true</readable><field>X__c.B__c</field><editable>false</editable></fieldPermissions>\n  <description/>\n  <fieldPermissions><field>X__c.A__c</field><editable>true</editable><readable>true</readable></fieldPermissions>\n</PermissionSet>`;
    assert.equal(
      orgXml(deployed),
      `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${NS}>\n    <description/>\n    <fieldPermissions>\n        <editable>true</editable>\n        <field>X__c.A__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <fieldPermissions>\n        <editable>false</editable>\n        <field>X__c.B__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <label>A &amp; &quot;B&quot;</label>\n</PermissionSet>\n`,
    );
  });

  it('leaves alone what is not metadata XML', () => {
    assert.equal(orgXml('<html><body>x</body></html>'), undefined);
    assert.equal(orgXml(`<Flow ${NS}><a>1</a>text<b/></Flow>`), undefined, 'mixed content');
    assert.equal(orgXml(`<Flow ${NS}><a>1</b></Flow>`), undefined, 'malformed');
  });

  it('keeps the order of ordered lists (layout items, picklist values)', () => {
    const out = orgXml(`<Layout ${NS}><layoutSections><layoutColumns><layoutItems><field>Z</field></layoutItems><layoutItems><field>A</field></layoutItems></layoutColumns></layoutSections></Layout>`)!;
    assert.ok(out.indexOf('<field>Z</field>') < out.indexOf('<field>A</field>'));
  });

  it('every file of the tracking schema, and hand-written variants, come back as the same file for the compare', () => {
    const files = xmlFilesUnder(path.join(root, 'resources', 'tracking'));
    assert.ok(files.length > 20, `tracking schema files found: ${files.length}`);
    for (const f of files) {
      const deployed = fs.readFileSync(f, 'utf8');
      const variants = [
        deployed,
        deployed.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/^( {4})+/gm, (m) => '  '.repeat(m.length / 4)),
        deployed.replace(/\n/g, '\r\n').replace(/^( {4})+/gm, (m) => '\t'.repeat(m.length / 4)),
      ];
      for (const v of variants) {
        const back = orgXml(v);
        assert.ok(back, `${f} is rewritten`);
        assert.ok(sameFile(path.basename(f), v, back), `${path.relative(root, f)}: what the org writes back counts as the same file`);
      }
    }
  });

  it('a real change still differs after the org rewrote it', () => {
    const a = `<CustomField ${NS}><fullName>A__c</fullName><label>A</label><type>Checkbox</type><defaultValue>false</defaultValue></CustomField>`;
    assert.ok(sameFile('A__c.field-meta.xml', a, orgXml(a)!));
    assert.ok(!sameFile('A__c.field-meta.xml', a, orgXml(a.replace('<label>A</label>', '<label>B</label>'))!));
  });
});
