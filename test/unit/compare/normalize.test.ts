import * as assert from 'node:assert/strict';
import { normalizeText, normalizeXml, UNORDERED_ELEMENTS } from '../../../src/core/compare/normalize';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

/** Canonical text of a well-formed XML document (fails the test when it is not well-formed). */
function canon(xml: string): string {
  const r = normalizeXml(xml);
  assert.equal(r.mode, 'xml', r.mode === 'text' ? `expected well-formed XML: ${r.reason}` : '');
  return r.text;
}

function permissionSet(entries: string[]): string {
  return `${DECL}\n<PermissionSet ${NS}>\n    <label>Sales</label>\n${entries.join('\n')}\n</PermissionSet>\n`;
}

const FIELD_A = '    <fieldPermissions>\n        <editable>true</editable>\n        <field>Account.Rating</field>\n        <readable>true</readable>\n    </fieldPermissions>';
const FIELD_B = '    <fieldPermissions>\n        <editable>false</editable>\n        <field>Account.Industry</field>\n        <readable>true</readable>\n    </fieldPermissions>';
const CLASS_A = '    <classAccesses>\n        <apexClass>OrderService</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>';
const OBJ_A = '    <objectPermissions>\n        <allowRead>true</allowRead>\n        <object>Account</object>\n    </objectPermissions>';
const USER_A = '    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>';
const USER_B = '    <userPermissions>\n        <enabled>true</enabled>\n        <name>ViewSetup</name>\n    </userPermissions>';

describe('compare: text normalization', () => {
  it('ignores line endings, trailing whitespace, trailing blank lines and a BOM', () => {
    const lf = 'public class A {\n    Integer x = 1;\n}\n';
    const variants = [
      'public class A {\r\n    Integer x = 1;\r\n}\r\n',
      'public class A {\r    Integer x = 1;\r}',
      '\uFEFFpublic class A {  \n    Integer x = 1;\t\n}\n\n\n',
    ];
    for (const v of variants) assert.equal(normalizeText(v), normalizeText(lf), JSON.stringify(v));
  });

  it('keeps indentation, inner blank lines and content', () => {
    const base = normalizeText('if (a) {\n    b();\n}\n');
    assert.notEqual(normalizeText('if (a) {\n  b();\n}\n'), base);
    assert.notEqual(normalizeText('if (a) {\n\n    b();\n}\n'), base);
    assert.notEqual(normalizeText('if (a) {\n    c();\n}\n'), base);
    assert.notEqual(normalizeText('  if (a) {\n    b();\n}\n'), base);
  });

  it('treats only blanks at the end of a line as trailing, also in very long runs of blanks', () => {
    const run = ' '.repeat(200_000);
    assert.equal(normalizeText(`a${run}b${run}\u00a0\t\n`), `a${run}b`);
    assert.equal(normalizeText(`x = 1;\u000b\f \ny = 2;\u2028 \n`), 'x = 1;\ny = 2;\u2028');
  });
});

describe('compare: XML canonical form', () => {
  it('treats reordered permission set entries as the same permission set', () => {
    const a = permissionSet([CLASS_A, FIELD_A, FIELD_B, OBJ_A, USER_A, USER_B]);
    const b = permissionSet([USER_B, FIELD_B, OBJ_A, USER_A, FIELD_A, CLASS_A]);
    assert.equal(canon(b), canon(a));
  });

  it('still sees a changed permission inside a reordered permission set', () => {
    const a = permissionSet([FIELD_A, FIELD_B]);
    const b = permissionSet([FIELD_B.replace('<editable>false', '<editable>true'), FIELD_A]);
    assert.notEqual(canon(b), canon(a));
  });

  it('ignores layout whitespace, the declaration, comments, attribute order, CRLF, BOM, entity and CDATA spelling', () => {
    const a = `${DECL}\n<CustomLabels ${NS}>\n    <labels>\n        <fullName>Greeting</fullName>\n        <value>Tom &amp; Jerry</value>\n    </labels>\n</CustomLabels>\n`;
    const b =
      `\uFEFF<CustomLabels ${NS}><!-- exported -->\r\n<labels><fullName>Greeting</fullName>` +
      `<value><![CDATA[Tom & Jerry]]></value></labels></CustomLabels>`;
    assert.equal(canon(b), canon(a));
    const attrs1 = '<Root a="1" b="2"><x>1</x></Root>';
    const attrs2 = "<Root b='2'   a='1'>\n  <x>1</x>\n</Root>";
    assert.equal(canon(attrs2), canon(attrs1));
  });

  it('does not ignore whitespace inside a value, or a changed value', () => {
    const a = `<CustomLabels ${NS}><labels><fullName>G</fullName><value>Hello world</value></labels></CustomLabels>`;
    assert.notEqual(canon(a.replace('Hello world', 'Hello  world')), canon(a));
    assert.notEqual(canon(a.replace('Hello world', 'Hello world ')), canon(a));
    assert.notEqual(canon(a.replace('Hello world', 'Hello World')), canon(a));
  });

  it('ignores the order of different properties but keeps the order within a list', () => {
    const a = '<Thing><description>d</description><label>L</label><item>1</item><item>2</item></Thing>';
    const b = '<Thing><item>1</item><label>L</label><item>2</item><description>d</description></Thing>';
    assert.equal(canon(b), canon(a));
    const c = '<Thing><description>d</description><label>L</label><item>2</item><item>1</item></Thing>';
    assert.notEqual(canon(c), canon(a));
  });

  it('keeps picklist value order (meaningful) while record type availability is a set', () => {
    const field = (values: string[]) =>
      `<CustomField ${NS}><fullName>Priority__c</fullName><type>Picklist</type><valueSet><valueSetDefinition><sorted>false</sorted>` +
      values.map((v) => `<value><fullName>${v}</fullName><default>false</default><label>${v}</label></value>`).join('') +
      '</valueSetDefinition></valueSet></CustomField>';
    assert.notEqual(canon(field(['High', 'Medium', 'Low'])), canon(field(['Low', 'Medium', 'High'])));

    const recordType = (values: string[]) =>
      `<RecordType ${NS}><fullName>Account.Partner</fullName><active>true</active><label>Partner</label>` +
      `<picklistValues><picklist>Rating</picklist>${values.map((v) => `<values><fullName>${v}</fullName><default>false</default></values>`).join('')}</picklistValues>` +
      `<picklistValues><picklist>Industry</picklist><values><fullName>Energy</fullName><default>false</default></values></picklistValues>` +
      '</RecordType>';
    const rt1 = recordType(['Hot', 'Warm', 'Cold']);
    const rt2 = recordType(['Cold', 'Hot', 'Warm']).replace(
      /(<picklistValues><picklist>Rating<\/picklist>.*?<\/picklistValues>)(<picklistValues><picklist>Industry<\/picklist>.*?<\/picklistValues>)/,
      '$2$1',
    );
    assert.notEqual(rt2, recordType(['Cold', 'Hot', 'Warm']), 'fixture: the picklists were swapped');
    assert.equal(canon(rt2), canon(rt1));
    assert.notEqual(canon(recordType(['Hot', 'Warm'])), canon(rt1));
  });

  it('keeps layout sections and items in order', () => {
    const layout = (fields: string[]) =>
      `<Layout ${NS}><layoutSections><label>Information</label><layoutColumns>` +
      fields.map((f) => `<layoutItems><behavior>Edit</behavior><field>${f}</field></layoutItems>`).join('') +
      '</layoutColumns><style>TwoColumnsTopToBottom</style></layoutSections></Layout>';
    assert.notEqual(canon(layout(['Name', 'Phone', 'Industry'])), canon(layout(['Phone', 'Name', 'Industry'])));
    assert.equal(canon(layout(['Name', 'Phone']).replace('<style>', '\n   <style>')), canon(layout(['Name', 'Phone'])));
  });

  it('keeps list view columns in order', () => {
    const listView = (cols: string[]) =>
      `<ListView ${NS}><fullName>Mine</fullName>${cols.map((c) => `<columns>${c}</columns>`).join('')}<filterScope>Mine</filterScope><label>Mine</label></ListView>`;
    assert.notEqual(canon(listView(['NAME', 'PHONE'])), canon(listView(['PHONE', 'NAME'])));
  });

  it('treats flow elements as a set keyed by name, but keeps decision rules in order', () => {
    const flow = (decisions: string[], rules: string[]) =>
      `<Flow ${NS}><apiVersion>60.0</apiVersion>` +
      decisions
        .map(
          (d) =>
            `<decisions><name>${d}</name><label>${d}</label><defaultConnectorLabel>Default</defaultConnectorLabel>` +
            rules.map((r) => `<rules><name>${d}_${r}</name><conditionLogic>and</conditionLogic><label>${r}</label></rules>`).join('') +
            '</decisions>',
        )
        .join('') +
      '<label>Route</label><processType>AutoLaunchedFlow</processType></Flow>';
    assert.equal(canon(flow(['Check_B', 'Check_A'], ['r1', 'r2'])), canon(flow(['Check_A', 'Check_B'], ['r1', 'r2'])));
    assert.notEqual(canon(flow(['Check_A', 'Check_B'], ['r2', 'r1'])), canon(flow(['Check_A', 'Check_B'], ['r1', 'r2'])));
  });

  it('orders entries with the same key by their content, whatever the input order', () => {
    const x = '<profileActionOverrides><actionName>View</actionName><content>A</content></profileActionOverrides>';
    const y = '<profileActionOverrides><actionName>View</actionName><content>B</content></profileActionOverrides>';
    assert.equal(canon(`<Profile ${NS}>${y}${x}</Profile>`), canon(`<Profile ${NS}>${x}${y}</Profile>`));
  });

  it('sorts text-only set members (permission set group members)', () => {
    const g = (sets: string[]) => `<PermissionSetGroup ${NS}>${sets.map((s) => `<permissionSets>${s}</permissionSets>`).join('')}<label>G</label></PermissionSetGroup>`;
    assert.equal(canon(g(['B', 'A', 'C'])), canon(g(['A', 'B', 'C'])));
    assert.notEqual(canon(g(['A', 'B'])), canon(g(['A', 'B', 'C'])));
  });

  it('does not apply one type\u2019s rules to another type', () => {
    const doc = (root: string) => `<${root} ${NS}><fieldPermissions><field>B</field></fieldPermissions><fieldPermissions><field>A</field></fieldPermissions></${root}>`;
    const swapped = (root: string) => `<${root} ${NS}><fieldPermissions><field>A</field></fieldPermissions><fieldPermissions><field>B</field></fieldPermissions></${root}>`;
    assert.equal(canon(doc('Profile')), canon(swapped('Profile')));
    assert.notEqual(canon(doc('CustomApplication')), canon(swapped('CustomApplication')));
  });

  it('keeps mixed content in order', () => {
    assert.notEqual(canon('<p>a <b>x</b> c <i>y</i></p>'), canon('<p>a <i>y</i> c <b>x</b></p>'));
  });

  it('produces readable, indented output', () => {
    assert.equal(
      canon(`${DECL}<CustomLabels ${NS}><labels><value>a &lt; b</value><fullName>X</fullName></labels><labels/></CustomLabels>`),
      [
        `<CustomLabels ${NS}>`,
        '    <labels/>',
        '    <labels>',
        '        <fullName>X</fullName>',
        '        <value>a &lt; b</value>',
        '    </labels>',
        '</CustomLabels>',
      ].join('\n'),
    );
  });

  it('falls back to text comparison for malformed XML and says why', () => {
    const cases: Array<[string, RegExp]> = [
      [`<PermissionSet ${NS}><label>x</PermissionSet>`, /closing tag/i],
      ['<a/><b/>', /2 root elements/],
      ['not xml at all', /char 'n'/i],
      ['', /./],
      ['<a>x & y</a>', /&/],
    ];
    for (const [xml, why] of cases) {
      const r = normalizeXml(xml);
      assert.equal(r.mode, 'text', JSON.stringify(xml));
      if (r.mode === 'text') assert.match(r.reason, why, JSON.stringify(xml));
    }
    // Compared as text: whitespace at line ends still does not count, content does.
    const bad = '<a>\n  <b>1</b>\n<a>';
    assert.equal(normalizeXml(bad.replace(/\n/g, '  \r\n')).text, normalizeXml(bad).text);
    assert.notEqual(normalizeXml(bad.replace('1', '2')).text, normalizeXml(bad).text);
  });

  it('neither expands nested entities nor fails on very deep nesting', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>';
    assert.ok(normalizeXml(laughs).text.length < 200);
    const deep = normalizeXml('<a>'.repeat(5000) + '</a>'.repeat(5000));
    assert.equal(deep.mode, 'text');
    if (deep.mode === 'text') assert.match(deep.reason, /nested/i);
  });

  it('documents every order-insensitivity rule', () => {
    let rules = 0;
    for (const [type, list] of Object.entries(UNORDERED_ELEMENTS)) {
      assert.match(type, /^[A-Z][A-Za-z]+$/, `type ${type}`);
      const paths = new Set<string>();
      for (const r of list) {
        rules++;
        assert.ok(r.why.length > 10, `${type}/${r.path} needs a why`);
        assert.match(r.path, /^[a-zA-Z]+(\/[a-zA-Z]+)*$/, `${type}/${r.path}`);
        assert.ok(!paths.has(r.path), `${type}/${r.path} is listed twice`);
        paths.add(r.path);
      }
    }
    assert.ok(rules > 50);
  });
});
