import * as assert from 'node:assert/strict';
import { canonicalizeXml, canonicalizeXmlByParser } from '../../../src/core/compare/xml-canonical';
import { scanXml } from '../../../src/core/compare/xml-scan';
import { seedComponents } from '../../emulator/seed';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

describe('compare: the quick XML reader gives what the general parser gives', () => {
  it('canonicalizes every XML file of a seeded org exactly as the general parser does', () => {
    let files = 0;
    for (const c of seedComponents(3, 400, 0)) {
      for (const [path, content] of Object.entries(c.files)) {
        if (!/\.xml$|\.object$|\.labels$|\.permissionset$|\.profile$|\.layout$|\.flow$/.test(path) && !content.startsWith('<?xml')) continue;
        files++;
        assert.ok(scanXml(content), `${path}: the quick reader handles what Salesforce writes`);
        assert.deepEqual(canonicalizeXml(content), canonicalizeXmlByParser(content), path);
      }
    }
    assert.ok(files > 300, `enough files compared (${files})`);
  });

  it('agrees on the details: attributes, entities, blanks, empty and self-closing elements, layout', () => {
    const cases = [
      `<?xml version="1.0" encoding="UTF-8"?>\n<CustomLabels ${NS}>\n  <labels>\n    <fullName>Greeting</fullName>\n    <value>Tom &amp; Jerry &lt;3 &quot;quoted&quot; &apos;s &gt;</value>\n  </labels>\n</CustomLabels>\n`,
      `<a ${NS} z='1' b = "two words"><b/><c   /><d></d><e>  </e><f>x</f><b>2</b></a>`,
      `  <a>\n\t<x:y xmlns:x="urn:x" x:attr="v">t</x:y>\n</a>  \n`,
      `<PermissionSet ${NS}><fieldPermissions><field>B</field><editable>true</editable></fieldPermissions><fieldPermissions><field>A</field><editable>false</editable></fieldPermissions></PermissionSet>`,
      `<a>text with > inside</a>`,
      `<a/>`,
    ];
    for (const xml of cases) {
      assert.ok(scanXml(xml), `quick reader handles ${JSON.stringify(xml)}`);
      assert.deepEqual(canonicalizeXml(xml), canonicalizeXmlByParser(xml), xml);
    }
  });

  it('leaves unusual and malformed input to the general parser, which says what is wrong', () => {
    const unusual = [
      '<a><!-- note --><b>1</b></a>',
      '<a><![CDATA[x < y]]></a>',
      '<a>&#233;</a>',
      '<a>&nbsp;</a>',
      '<!DOCTYPE a><a/>',
      '<a><?pi x?></a>',
      '<a>mixed <b>content</b> here</a>',
      '<a b="x &amp; y"/>',
      '<a b=unquoted/>',
      '<a b="1" b="2"/>',
      '<a><b></a></b>',
      '<a><b>1</b>',
      '<a/><b/>',
      'text<a/>',
      '<a/>text',
      '',
      'not xml',
      '<a>x & y</a>',
      '<1a/>',
      '<a>' + '<b>'.repeat(300) + '</b>'.repeat(300) + '</a>',
    ];
    for (const xml of unusual) {
      assert.equal(scanXml(xml), undefined, JSON.stringify(xml));
      assert.deepEqual(canonicalizeXml(xml), canonicalizeXmlByParser(xml), JSON.stringify(xml));
    }
  });
});
