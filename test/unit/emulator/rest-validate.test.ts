import * as assert from 'node:assert/strict';
import { caseSafeSuffix } from '../../../test/emulator/ids';
import { parseCustomObject, parseFieldFragment } from '../../../test/emulator/rest/metadata-fields';
import { auditFields, makeObject, ref, type FieldDef, type ObjectDef } from '../../../test/emulator/rest/schema-types';
import { formatAutoNumber, normalizeId, parseAutoNumber, validateWrite, WriteError } from '../../../test/emulator/rest/validate';

const frag = (inner: string) => `<fields xmlns="http://soap.sforce.com/2006/04/metadata">${inner}</fields>`;
const must = (f: FieldDef | undefined): FieldDef => {
  assert.ok(f, 'field should parse');
  return f;
};

const ACCOUNT_ID = (() => {
  const id15 = '001A00000000001';
  return id15 + caseSafeSuffix(id15);
})();

function changeRequest(): ObjectDef {
  const obj = parseCustomObject(
    `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Change Request</label><pluralLabel>Change Requests</pluralLabel><nameField><label>Number</label><type>AutoNumber</type><displayFormat>CR-{00000}</displayFormat></nameField></CustomObject>`,
  );
  const fields = [
    frag('<fullName>Title__c</fullName><label>Title</label><type>Text</type><length>10</length><required>true</required>'),
    frag('<fullName>Notes__c</fullName><label>Notes</label><type>LongTextArea</type><length>50</length><visibleLines>3</visibleLines>'),
    frag(
      '<fullName>Stage__c</fullName><label>Stage</label><type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition><sorted>false</sorted><value><fullName>Draft</fullName><default>true</default><label>Draft</label></value><value><fullName>Done</fullName><default>false</default><label>Done</label></value></valueSetDefinition></valueSet>',
    ),
    frag('<fullName>Urgent__c</fullName><label>Urgent</label><type>Checkbox</type><defaultValue>false</defaultValue>'),
    frag('<fullName>Effort__c</fullName><label>Effort</label><type>Number</type><precision>5</precision><scale>2</scale>'),
    frag('<fullName>Due__c</fullName><label>Due</label><type>Date</type>'),
    frag('<fullName>Approved_At__c</fullName><label>Approved At</label><type>DateTime</type>'),
    frag('<fullName>Contact_Email__c</fullName><label>Contact Email</label><type>Email</type>'),
    frag('<fullName>Account__c</fullName><label>Account</label><type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Change_Requests</relationshipName><deleteConstraint>SetNull</deleteConstraint>'),
    frag('<fullName>Score__c</fullName><label>Score</label><type>Number</type><formula>1 + 1</formula><precision>18</precision><scale>0</scale>'),
  ].map((x) => must(parseFieldFragment(x)));
  return makeObject(
    { name: 'Change_Request__c', label: obj.label, labelPlural: obj.pluralLabel, keyPrefix: 'a01', custom: true, api: 'data', createable: true, updateable: true, deletable: true, virtual: false },
    [...auditFields(), obj.nameField, ref('OwnerId', ['User'], 'Owner'), ...fields],
  );
}

const exists = (id: string, to: string[]) => id === ACCOUNT_ID && to.includes('Account');

function rejects(input: Record<string, unknown>, code: string, pattern?: RegExp, mode: 'create' | 'update' = 'create') {
  assert.throws(
    () => validateWrite(changeRequest(), { Title__c: 'ok', ...input }, mode, exists),
    (e: unknown) => e instanceof WriteError && e.errorCode === code && (!pattern || pattern.test(e.message)),
    `${JSON.stringify(input)} should fail with ${code}`,
  );
}

describe('emulator field metadata and validation', () => {
  it('reads field definitions from CustomField XML', () => {
    const o = changeRequest();
    const stage = o.fields.get('stage__c') as FieldDef;
    assert.equal(stage.type, 'picklist');
    assert.equal(stage.restrictedPicklist, true);
    assert.deepEqual(stage.picklistValues?.map((p) => p.value), ['Draft', 'Done']);
    assert.equal(stage.defaultValue, 'Draft');
    const acc = o.fields.get('account__c') as FieldDef;
    assert.deepEqual([acc.type, acc.referenceTo, acc.relationshipName, acc.childRelationshipName], ['reference', ['Account'], 'Account__r', 'Change_Requests__r']);
    assert.deepEqual([o.fields.get('title__c')?.length, o.fields.get('title__c')?.required], [10, true]);
    assert.equal(o.fields.get('notes__c')?.type, 'textarea');
    assert.equal(o.fields.get('score__c')?.createable, false);
    assert.equal(o.fields.get('name')?.autoNumberFormat, 'CR-{00000}');
  });

  it('treats MasterDetail as required and Text name fields as required', () => {
    const md = must(parseFieldFragment(frag('<fullName>Parent__c</fullName><type>MasterDetail</type><referenceTo>Account</referenceTo><relationshipName>Kids</relationshipName>')));
    assert.deepEqual([md.required, md.nillable], [true, false]);
    const named = parseCustomObject('<CustomObject><nameField><label>Title</label><type>Text</type></nameField></CustomObject>');
    assert.deepEqual([named.nameField.required, named.nameField.createable], [true, true]);
  });

  it('accepts a valid record, applies defaults and normalizes values', () => {
    const out = validateWrite(
      changeRequest(),
      { attributes: { type: 'Change_Request__c' }, title__c: 'Fix', Effort__c: '12.345', Due__c: '2025-02-28', Approved_At__c: '2025-02-28T10:00:00+01:00', Account__c: ACCOUNT_ID.slice(0, 15) },
      'create',
      exists,
    );
    assert.deepEqual(out, {
      Title__c: 'Fix',
      Effort__c: 12.35,
      Due__c: '2025-02-28',
      Approved_At__c: '2025-02-28T09:00:00.000+0000',
      Account__c: ACCOUNT_ID,
      Stage__c: 'Draft',
      Urgent__c: false,
    });
  });

  it('rejects unknown, read-only and missing required fields', () => {
    rejects({ Nope__c: 1 }, 'INVALID_FIELD', /No such column 'Nope__c' on sobject of type Change_Request__c/);
    rejects({ Name: 'CR-9' }, 'INVALID_FIELD_FOR_INSERT_UPDATE', /Unable to create\/update fields: Name/);
    rejects({ CreatedDate: '2025-01-01T00:00:00Z' }, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    rejects({ Score__c: 3 }, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    rejects({ Id: ACCOUNT_ID }, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    assert.throws(
      () => validateWrite(changeRequest(), { Notes__c: 'x' }, 'create', exists),
      (e: unknown) => e instanceof WriteError && e.errorCode === 'REQUIRED_FIELD_MISSING' && e.message === 'Required fields are missing: [Title__c]',
    );
    rejects({ Title__c: null }, 'REQUIRED_FIELD_MISSING', undefined, 'update');
  });

  it('enforces lengths, picklists, numbers, dates, emails and booleans', () => {
    rejects({ Title__c: 'x'.repeat(11) }, 'STRING_TOO_LONG', /max length=10/);
    rejects({ Notes__c: 'x'.repeat(51) }, 'STRING_TOO_LONG');
    rejects({ Stage__c: 'Shipped' }, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', /bad value for restricted picklist field: Shipped/);
    rejects({ Effort__c: 1000 }, 'NUMBER_OUTSIDE_VALID_RANGE');
    rejects({ Effort__c: 'lots' }, 'JSON_PARSER_ERROR');
    rejects({ Due__c: '2025-02-30' }, 'JSON_PARSER_ERROR');
    rejects({ Approved_At__c: 'yesterday' }, 'JSON_PARSER_ERROR');
    rejects({ Contact_Email__c: 'not-an-email' }, 'INVALID_EMAIL_ADDRESS');
    rejects({ Urgent__c: 'yes' }, 'JSON_PARSER_ERROR');
    rejects({ Title__c: { nested: true } }, 'JSON_PARSER_ERROR');
    assert.equal(validateWrite(changeRequest(), { Effort__c: 999.994 }, 'update', exists).Effort__c, 999.99);
  });

  it('checks lookups exist and have the right object type', () => {
    rejects({ Account__c: 'garbage' }, 'MALFORMED_ID');
    const other = '001A00000000002';
    rejects({ Account__c: other }, 'INVALID_CROSS_REFERENCE_KEY');
    assert.equal(validateWrite(changeRequest(), { Account__c: null }, 'update', exists).Account__c, null);
  });

  it('rejects bodies that are not objects', () => {
    for (const body of [null, [], 'x', 3]) {
      assert.throws(() => validateWrite(changeRequest(), body, 'create', exists), (e: unknown) => e instanceof WriteError && e.errorCode === 'JSON_PARSER_ERROR');
    }
  });

  it('formats and parses auto-numbers', () => {
    const when = new Date(Date.UTC(2025, 0, 5));
    assert.equal(formatAutoNumber('CR-{00000}', 42, when), 'CR-00042');
    assert.equal(formatAutoNumber('{YYYY}-{MM}-{000}', 7, when), '2025-01-007');
    assert.equal(parseAutoNumber('CR-{00000}', 'CR-00042'), 42);
    assert.equal(parseAutoNumber('{YYYY}-{MM}-{000}', '2025-01-007'), 7);
    assert.equal(parseAutoNumber('CR-{00000}', 'XX-00042'), undefined);
  });

  it('normalizes ids and rejects malformed ones', () => {
    assert.equal(normalizeId(ACCOUNT_ID.slice(0, 15)), ACCOUNT_ID);
    assert.equal(normalizeId(ACCOUNT_ID), ACCOUNT_ID);
    assert.equal(normalizeId(`${ACCOUNT_ID.slice(0, 15)}ZZZ`), undefined);
    assert.equal(normalizeId('short'), undefined);
  });
});
