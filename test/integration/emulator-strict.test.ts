import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { Emulator, type EmulatedOrg } from '../emulator';
import { deploySource, failures, NS, poll } from './helpers/metadata-deploy';
import { rawConnection } from './helpers/raw-connection';

/**
 * Where an org is stricter than a lenient fake, the emulator is too: field-level security of
 * custom fields deployed through the Metadata API, the master-detail cascade on delete,
 * validation rules evaluated on every insert and update, and metadata retrieved as the org writes
 * it rather than as it was deployed. Real SDR deploys the fixture and retrieves; real jsforce
 * (through @salesforce/core) reads and writes.
 */

const xml = (root: string, inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${inner}\n</${root}>\n`;
const field = (inner: string) => xml('CustomField', inner);
const rule = (name: string, formula: string, message: string, extra = '') =>
  xml('ValidationRule', `<fullName>${name}</fullName><active>true</active><errorConditionFormula>${formula}</errorConditionFormula><errorMessage>${message}</errorMessage>${extra}`);
const fls = (f: string, editable: boolean) => `<fieldPermissions><editable>${editable}</editable><field>${f}</field><readable>true</readable></fieldPermissions>`;

const INVOICES = {
  'objects/Invoice__c/Invoice__c.object-meta.xml': xml(
    'CustomObject',
    '<deploymentStatus>Deployed</deploymentStatus><label>Invoice</label><nameField><label>Invoice Name</label><type>Text</type></nameField><pluralLabel>Invoices</pluralLabel><sharingModel>ReadWrite</sharingModel>',
  ),
  'objects/Invoice__c/fields/Customer__c.field-meta.xml': field('<fullName>Customer__c</fullName><label>Customer</label><length>80</length><required>true</required><type>Text</type>'),
  'objects/Invoice__c/fields/Amount__c.field-meta.xml': field('<fullName>Amount__c</fullName><label>Amount</label><precision>16</precision><scale>2</scale><type>Number</type>'),
  'objects/Invoice__c/fields/Status__c.field-meta.xml': field(
    '<fullName>Status__c</fullName><label>Status</label><type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition><sorted>false</sorted><value><fullName>Draft</fullName><default>true</default><label>Draft</label></value><value><fullName>Paid</fullName><default>false</default><label>Paid</label></value></valueSetDefinition></valueSet>',
  ),
  'objects/Invoice__c/fields/Note__c.field-meta.xml': field('<fullName>Note__c</fullName><label>Note</label><length>80</length><type>Text</type>'),
  'objects/Invoice__c/fields/Secret__c.field-meta.xml': field('<fullName>Secret__c</fullName><label>Secret</label><length>80</length><type>Text</type>'),
  'objects/Invoice__c/validationRules/Amount_Not_Negative.validationRule-meta.xml': rule('Amount_Not_Negative', 'Amount__c &lt; 0', 'The amount cannot be negative.', '<errorDisplayField>Amount__c</errorDisplayField>'),
  'objects/Invoice__c/validationRules/Paid_Is_Final.validationRule-meta.xml': rule(
    'Paid_Is_Final',
    'AND(NOT(ISNEW()), ISPICKVAL(PRIORVALUE(Status__c), &quot;Paid&quot;), ISCHANGED(Amount__c))',
    'A paid invoice keeps its amount.',
  ),
  'objects/Invoice__c/validationRules/Never_Active.validationRule-meta.xml': xml(
    'ValidationRule',
    '<fullName>Never_Active</fullName><active>false</active><errorConditionFormula>true</errorConditionFormula><errorMessage>An inactive rule never fires.</errorMessage>',
  ),
  'objects/Invoice_Line__c/Invoice_Line__c.object-meta.xml': xml(
    'CustomObject',
    '<deploymentStatus>Deployed</deploymentStatus><label>Invoice Line</label><nameField><displayFormat>L-{0000}</displayFormat><label>Line</label><type>AutoNumber</type></nameField><pluralLabel>Invoice Lines</pluralLabel><sharingModel>ControlledByParent</sharingModel>',
  ),
  'objects/Invoice_Line__c/fields/Invoice__c.field-meta.xml': field(
    '<fullName>Invoice__c</fullName><label>Invoice</label><referenceTo>Invoice__c</referenceTo><relationshipName>Lines</relationshipName><relationshipOrder>0</relationshipOrder><reparentableMasterDetail>false</reparentableMasterDetail><type>MasterDetail</type><writeRequiresMasterRead>false</writeRequiresMasterRead>',
  ),
  'objects/Invoice_Line__c/fields/Quantity__c.field-meta.xml': field('<fullName>Quantity__c</fullName><label>Quantity</label><precision>6</precision><scale>0</scale><type>Number</type>'),
  'permissionsets/Invoicing.permissionset-meta.xml': xml(
    'PermissionSet',
    [
      fls('Invoice__c.Amount__c', true),
      fls('Invoice__c.Status__c', true),
      fls('Invoice__c.Note__c', false),
      fls('Invoice_Line__c.Quantity__c', true),
      '<hasActivationRequired>false</hasActivationRequired><label>Invoicing</label>',
    ].join(''),
  ),
};

async function rejectsWith(p: PromiseLike<unknown>, errorCode: string, pattern?: RegExp): Promise<any> {
  let caught: any;
  await assert.rejects(Promise.resolve(p), (e: any) => {
    caught = e;
    assert.equal(e.errorCode ?? e.name, errorCode, `${e.errorCode ?? e.name}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
  return caught;
}

describe('emulator: as strict as an org (field-level security, cascade delete, validation rules)', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let org: EmulatedOrg;
  let admin: Connection;
  let reviewer: Connection;

  const create = async (c: Connection, type: string, rec: Record<string, unknown>): Promise<string> => {
    const res = await c.sobject(type).create(rec);
    assert.equal(res.success, true, JSON.stringify(res));
    return res.id as string;
  };

  before(async () => {
    emu = await Emulator.start({ orgs: ['uat'], settings: { jobStepMs: 10 } });
    org = emu.org('uat');
    admin = await rawConnection(org);
    reviewer = await rawConnection(org, org.users.find((u) => !u.isAdmin)!.accessToken);
    const result = await deploySource(admin, INVOICES);
    assert.deepEqual(failures(result), []);
    assert.equal(result.response.success, true);
  });
  after(async () => emu?.stop());

  describe('field-level security', () => {
    it('hides custom fields deployed through the Metadata API from every user until something grants them', async () => {
      const fields = (await admin.sobject('Invoice__c').describe()).fields.map((f) => f.name);
      assert.ok(fields.includes('Name') && fields.includes('Customer__c') && fields.includes('OwnerId'), 'standard and required fields stay');
      for (const hidden of ['Amount__c', 'Status__c', 'Note__c', 'Secret__c']) assert.ok(!fields.includes(hidden), `${hidden} is not described`);
      await rejectsWith(admin.query('SELECT Id, Amount__c FROM Invoice__c'), 'INVALID_FIELD', /No such column 'Amount__c' on entity 'Invoice__c'/);
      await rejectsWith(admin.query("SELECT Id FROM Invoice__c WHERE Note__c = 'x'"), 'INVALID_FIELD', /No such column 'Note__c'/);
      await rejectsWith(admin.sobject('Invoice__c').create({ Name: 'I-1', Customer__c: 'Acme', Amount__c: 5 }), 'INVALID_FIELD', /No such column 'Amount__c' on sobject of type Invoice__c/);
      // Required fields and the master-detail field need no grant.
      const id = await create(admin, 'Invoice__c', { Name: 'I-0', Customer__c: 'Acme' });
      await create(admin, 'Invoice_Line__c', { Invoice__c: id });
      const rows = (await admin.query<any>(`SELECT Name, Customer__c FROM Invoice__c WHERE Id = '${id}'`)).records;
      assert.deepEqual(rows.map((r) => [r.Name, r.Customer__c]), [['I-0', 'Acme']]);
      const got = await admin.sobject('Invoice__c').retrieve(id) as any;
      assert.equal('Secret__c' in got, false, 'a retrieve returns no hidden field');
    });

    it('an assigned permission set grants what it lists: read and edit, or read only', async () => {
      const [ps] = (await admin.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Invoicing'")).records;
      await create(admin, 'PermissionSetAssignment', { AssigneeId: org.admin.id, PermissionSetId: ps.Id });
      const id = await create(admin, 'Invoice__c', { Name: 'I-1', Customer__c: 'Acme', Amount__c: 12.5, Status__c: 'Draft' });
      const [row] = (await admin.query<any>(`SELECT Amount__c, Status__c, Note__c FROM Invoice__c WHERE Id = '${id}'`)).records;
      assert.deepEqual([row.Amount__c, row.Status__c, row.Note__c], [12.5, 'Draft', null]);
      const described = (await admin.sobject('Invoice__c').describe()).fields.find((f) => f.name === 'Note__c')!;
      assert.deepEqual([described.createable, described.updateable], [false, false], 'a read-only grant describes the field read-only');
      await rejectsWith(
        admin.sobject('Invoice__c').update({ Id: id, Note__c: 'mine' }),
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        /Unable to create\/update fields: Note__c\. Please check the security settings of this field/,
      );
      await rejectsWith(admin.query('SELECT Secret__c FROM Invoice__c'), 'INVALID_FIELD', /No such column 'Secret__c'/);
    });

    it('a user without the permission set is still refused; a profile grant reaches only its own users', async () => {
      await rejectsWith(reviewer.query('SELECT Amount__c FROM Invoice__c'), 'INVALID_FIELD', /No such column 'Amount__c'/);
      const result = await deploySource(admin, {
        'profiles/Standard.profile-meta.xml': xml('Profile', `${fls('Invoice__c.Secret__c', true)}<custom>false</custom><userLicense>Salesforce</userLicense>`),
      });
      assert.equal(result.response.success, true);
      const id = await create(reviewer, 'Invoice__c', { Name: 'I-2', Customer__c: 'Beta', Secret__c: 'the standard profile may' });
      assert.equal((await reviewer.query<any>(`SELECT Secret__c FROM Invoice__c WHERE Id = '${id}'`)).records[0].Secret__c, 'the standard profile may');
      await rejectsWith(admin.query('SELECT Secret__c FROM Invoice__c'), 'INVALID_FIELD', /No such column 'Secret__c'/);
    });
  });

  describe('master-detail cascade', () => {
    it('deleting a master deletes its detail records, and only them', async () => {
      const doomed = await create(admin, 'Invoice__c', { Name: 'Doomed', Customer__c: 'Acme' });
      const kept = await create(admin, 'Invoice__c', { Name: 'Kept', Customer__c: 'Acme' });
      const lines = [await create(admin, 'Invoice_Line__c', { Invoice__c: doomed, Quantity__c: 1 }), await create(admin, 'Invoice_Line__c', { Invoice__c: doomed, Quantity__c: 2 })];
      const keptLine = await create(admin, 'Invoice_Line__c', { Invoice__c: kept, Quantity__c: 3 });
      await admin.sobject('Invoice__c').destroy(doomed);
      const live = (await admin.query<{ Id: string }>('SELECT Id FROM Invoice_Line__c WHERE Invoice__c != null')).records.map((r) => r.Id);
      assert.ok(live.includes(keptLine));
      for (const l of lines) assert.ok(!live.includes(l), `line ${l} went with its invoice`);
      const bin = (await admin.query<{ Id: string; IsDeleted: boolean }>(`SELECT Id, IsDeleted FROM Invoice_Line__c WHERE Invoice__c = '${doomed}'`, { scanAll: true })).records;
      assert.deepEqual(bin.map((r) => r.IsDeleted), [true, true], 'in the recycle bin, as Salesforce keeps them');
      await rejectsWith(admin.sobject('Invoice_Line__c').retrieve(lines[0]), 'ENTITY_IS_DELETED');
    });

    it('a composite delete cascades too', async () => {
      const master = await create(admin, 'Invoice__c', { Name: 'Batch', Customer__c: 'Acme' });
      const line = await create(admin, 'Invoice_Line__c', { Invoice__c: master });
      const res = await admin.sobject('Invoice__c').destroy([master], { allOrNone: true });
      assert.equal(res[0].success, true);
      assert.equal((await admin.query(`SELECT Id FROM Invoice_Line__c WHERE Id = '${line}'`)).totalSize, 0);
    });
  });

  describe('validation rules', () => {
    it('refuses an insert whose record meets an active rule, with the rule message and its field', async () => {
      const e = await rejectsWith(admin.sobject('Invoice__c').create({ Name: 'Neg', Customer__c: 'Acme', Amount__c: -1 }), 'FIELD_CUSTOM_VALIDATION_EXCEPTION', /^The amount cannot be negative\.$/);
      assert.deepEqual(e.data?.fields, ['Amount__c']);
      assert.equal((await admin.query("SELECT Id FROM Invoice__c WHERE Name = 'Neg'")).totalSize, 0, 'nothing saved');
      // The inactive rule (formula `true`) never fires.
      await create(admin, 'Invoice__c', { Name: 'Zero', Customer__c: 'Acme', Amount__c: 0 });
    });

    it('evaluates updates against the stored record: PRIORVALUE, ISCHANGED and ISNEW', async () => {
      const id = await create(admin, 'Invoice__c', { Name: 'Paid', Customer__c: 'Acme', Amount__c: 100, Status__c: 'Paid' });
      await admin.sobject('Invoice__c').update({ Id: id, Customer__c: 'Acme Ltd' });
      await rejectsWith(admin.sobject('Invoice__c').update({ Id: id, Amount__c: 90 }), 'FIELD_CUSTOM_VALIDATION_EXCEPTION', /A paid invoice keeps its amount\./);
      // Unpaid first, then the amount may change (the prior status is no longer Paid).
      await admin.sobject('Invoice__c').update({ Id: id, Status__c: 'Draft' });
      await admin.sobject('Invoice__c').update({ Id: id, Amount__c: 90 });
      assert.equal((await admin.query<any>(`SELECT Amount__c FROM Invoice__c WHERE Id = '${id}'`)).records[0].Amount__c, 90);
    });

    it('composite writes report the rule per record, and allOrNone rolls every record back', async () => {
      const res = await admin.sobject('Invoice__c').create(
        [
          { Name: 'Fine', Customer__c: 'Acme', Amount__c: 1 },
          { Name: 'Bad', Customer__c: 'Acme', Amount__c: -5 },
        ],
        { allOrNone: false },
      );
      assert.equal(res[0].success, true);
      assert.equal(res[1].success, false);
      assert.deepEqual((res[1] as any).errors.map((x: any) => [x.statusCode, x.message, x.fields]), [['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'The amount cannot be negative.', ['Amount__c']]]);
      const all = await admin.sobject('Invoice__c').create(
        [
          { Name: 'Rolled back', Customer__c: 'Acme', Amount__c: 1 },
          { Name: 'Bad again', Customer__c: 'Acme', Amount__c: -5 },
        ],
        { allOrNone: true },
      );
      assert.deepEqual(all.map((r) => r.success), [false, false]);
      assert.equal((await admin.query("SELECT Id FROM Invoice__c WHERE Name = 'Rolled back'")).totalSize, 0);
    });
  });

  describe('retrieved XML', () => {
    // Deployed with two-space indentation, no declaration, and elements out of the type's order.
    const messy = {
      'permissionsets/Messy.permissionset-meta.xml': `<PermissionSet xmlns="${NS}">\n  <label>Messy</label>\n  <fieldPermissions>\n    <readable>true</readable>\n    <field>Invoice__c.Note__c</field>\n    <editable>false</editable>\n  </fieldPermissions>\n  <description>Tom &amp; "Jerry"</description>\n  <fieldPermissions>\n    <field>Invoice__c.Amount__c</field>\n    <editable>true</editable>\n    <readable>true</readable>\n  </fieldPermissions>\n  <!-- a comment the org does not keep -->\n</PermissionSet>\n`,
      'objects/Messy__c/Messy__c.object-meta.xml': `<?xml version='1.0'?>\n<CustomObject xmlns="${NS}"><sharingModel>ReadWrite</sharingModel><pluralLabel>Messies</pluralLabel><nameField><type>Text</type><label>Messy Name</label></nameField><label>Messy</label><deploymentStatus>Deployed</deploymentStatus></CustomObject>`,
      'objects/Messy__c/fields/Size__c.field-meta.xml': `<CustomField xmlns="${NS}">\n\t<type>Number</type>\n\t<scale>0</scale>\n\t<precision>18</precision>\n\t<label>Size</label>\n\t<fullName>Size__c</fullName>\n</CustomField>`,
      'flows/Messy_Flow.flow-meta.xml': `<Flow xmlns="${NS}"><status>Draft</status><start><connector><targetReference>Set_It</targetReference></connector><locationY>0</locationY><locationX>50</locationX></start><processType>AutoLaunchedFlow</processType><label>Messy Flow</label><assignments><locationY>200</locationY><label>Set It</label><name>Set_It</name><locationX>176</locationX><assignmentItems><value><stringValue>x</stringValue></value><operator>Assign</operator><assignToReference>v</assignToReference></assignmentItems></assignments><apiVersion>62.0</apiVersion><variables><name>v</name><isInput>false</isInput><dataType>String</dataType><isOutput>false</isOutput><isCollection>false</isCollection></variables></Flow>`,
    };

    it('comes back as an org writes it: declaration, four-space indentation, elements in the type\'s order', async () => {
      const result = await deploySource(admin, messy);
      assert.deepEqual(failures(result), []);
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-strict-ret-'));
      const cs = new ComponentSet([
        { fullName: 'Messy', type: 'PermissionSet' },
        { fullName: 'Messy__c', type: 'CustomObject' },
        { fullName: 'Messy_Flow', type: 'Flow' },
      ]);
      cs.sourceApiVersion = '62.0';
      await (await cs.retrieve({ usernameOrConnection: admin, output: out, format: 'metadata', unzip: true, zipFileName: 'r.zip' })).pollStatus(poll);
      const read = (rel: string) => {
        const hit = fs.readdirSync(out, { recursive: true, encoding: 'utf8' }).find((f) => f.replace(/\\/g, '/').endsWith(rel));
        assert.ok(hit, `${rel} retrieved`);
        return fs.readFileSync(path.join(out, hit), 'utf8');
      };
      assert.equal(
        read('permissionsets/Messy.permissionset'),
        [
          '<?xml version="1.0" encoding="UTF-8"?>',
          `<PermissionSet xmlns="${NS}">`,
          '    <description>Tom &amp; &quot;Jerry&quot;</description>',
          '    <fieldPermissions>',
          '        <editable>true</editable>',
          '        <field>Invoice__c.Amount__c</field>',
          '        <readable>true</readable>',
          '    </fieldPermissions>',
          '    <fieldPermissions>',
          '        <editable>false</editable>',
          '        <field>Invoice__c.Note__c</field>',
          '        <readable>true</readable>',
          '    </fieldPermissions>',
          '    <label>Messy</label>',
          '</PermissionSet>',
          '',
        ].join('\n'),
      );
      assert.equal(
        read('objects/Messy__c.object'),
        [
          '<?xml version="1.0" encoding="UTF-8"?>',
          `<CustomObject xmlns="${NS}">`,
          '    <deploymentStatus>Deployed</deploymentStatus>',
          '    <fields>',
          '        <fullName>Size__c</fullName>',
          '        <label>Size</label>',
          '        <precision>18</precision>',
          '        <scale>0</scale>',
          '        <type>Number</type>',
          '    </fields>',
          '    <label>Messy</label>',
          '    <nameField>',
          '        <label>Messy Name</label>',
          '        <type>Text</type>',
          '    </nameField>',
          '    <pluralLabel>Messies</pluralLabel>',
          '    <sharingModel>ReadWrite</sharingModel>',
          '</CustomObject>',
          '',
        ].join('\n'),
      );
      const flow = read('flows/Messy_Flow.flow');
      assert.ok(flow.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<Flow xmlns="${NS}">\n    <apiVersion>62.0</apiVersion>\n    <assignments>\n        <name>Set_It</name>\n        <label>Set It</label>\n        <locationX>176</locationX>\n        <locationY>200</locationY>\n        <assignmentItems>\n            <assignToReference>v</assignToReference>\n            <operator>Assign</operator>\n`), flow);
      assert.match(flow, /<label>Messy Flow<\/label>\n    <processType>AutoLaunchedFlow<\/processType>\n    <start>\n        <locationX>50<\/locationX>\n        <locationY>0<\/locationY>\n        <connector>/);
      assert.match(flow, /<variables>\n        <name>v<\/name>\n        <dataType>String<\/dataType>\n        <isCollection>false<\/isCollection>\n        <isInput>false<\/isInput>\n        <isOutput>false<\/isOutput>\n    <\/variables>\n<\/Flow>\n$/);
    });
  });
});
