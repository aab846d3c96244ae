import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newDraft } from '../../../src/core/change-requests';
import { fromChangeRequest, fromHistoryEntry, toChangeRequest, toHistoryEntry } from '../../../src/salesforce/tracking/records';
import { CR_OBJECT, defaultTrackingFolder, RECORD_VERSION_FIELD, TRACKING_SCHEMA_VERSION, VERSION_RULE, VERSION_RULE_MARK } from '../../../src/salesforce/tracking/schema';
import { append } from '../../../src/core/change-requests';

describe('tracking schema resources and record mapping', () => {
  const folder = defaultTrackingFolder();

  it('finds resources/tracking from the compiled module and from a bundle folder', () => {
    assert.ok(fs.existsSync(path.join(folder, 'objects', CR_OBJECT, `${CR_OBJECT}.object-meta.xml`)));
    const root = path.dirname(path.dirname(folder));
    assert.equal(defaultTrackingFolder(path.join(root, 'dist')), folder);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'trk-none-'));
    try {
      assert.throws(() => defaultTrackingFolder(empty), /tracking schema .* was not found/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('the shipped schema carries the version this release declares', () => {
    const xml = fs.readFileSync(path.join(folder, 'objects', CR_OBJECT, 'fields', 'Schema_Version__c.field-meta.xml'), 'utf8');
    assert.equal(/<defaultValue>(\d+)<\/defaultValue>/.exec(xml)?.[1], String(TRACKING_SCHEMA_VERSION));
  });

  it('ships the version rule, active, with the message the product recognizes as a conflict', () => {
    const xml = fs.readFileSync(path.join(folder, 'objects', CR_OBJECT, 'validationRules', `${VERSION_RULE}.validationRule-meta.xml`), 'utf8');
    assert.match(xml, /<active>true<\/active>/);
    assert.match(xml, /<errorConditionFormula>AND\(NOT\(ISNEW\(\)\), BLANKVALUE\(Version__c, 0\) &lt;&gt; BLANKVALUE\(PRIORVALUE\(Version__c\), 0\) \+ 1\)<\/errorConditionFormula>/);
    assert.ok(/<errorMessage>([^<]*)<\/errorMessage>/.exec(xml)![1]!.startsWith(VERSION_RULE_MARK));
    assert.ok(fs.existsSync(path.join(folder, 'objects', CR_OBJECT, 'fields', `${RECORD_VERSION_FIELD}.field-meta.xml`)));
  });

  it('the status picklist lists exactly the statuses of the model', async () => {
    const { STATUSES, CHANGE_TYPES } = await import('../../../src/core/change-requests');
    const values = (f: string) => [...fs.readFileSync(path.join(folder, 'objects', CR_OBJECT, 'fields', f), 'utf8').matchAll(/<fullName>([^<]+)<\/fullName>\s*<default>/g)].map((m) => m[1]);
    assert.deepEqual(values('Status__c.field-meta.xml'), [...STATUSES]);
    assert.deepEqual(values('Change_Type__c.field-meta.xml'), [...CHANGE_TYPES]);
  });

  it('the permission set grants every field a user needs, and history cannot be edited or deleted', () => {
    const ps = fs.readFileSync(path.join(folder, 'permissionsets', 'Changeline_Tracking.permissionset-meta.xml'), 'utf8');
    const granted = new Set([...ps.matchAll(/<field>([^<]+)<\/field>/g)].map((m) => m[1]));
    for (const obj of fs.readdirSync(path.join(folder, 'objects'))) {
      for (const file of fs.readdirSync(path.join(folder, 'objects', obj, 'fields'))) {
        const xml = fs.readFileSync(path.join(folder, 'objects', obj, 'fields', file), 'utf8');
        const name = `${obj}.${file.replace('.field-meta.xml', '')}`;
        // Salesforce refuses field permissions on required and master-detail fields (always visible).
        const alwaysVisible = xml.includes('<required>true</required>') || xml.includes('<type>MasterDetail</type>');
        assert.equal(granted.has(name), !alwaysVisible, name);
      }
    }
    const history = /<objectPermissions>((?:(?!<\/objectPermissions>)[\s\S])*Changeline_CR_History__c[\s\S]*?)<\/objectPermissions>/.exec(ps)?.[1] ?? '';
    assert.match(history, /<allowCreate>true<\/allowCreate>/);
    assert.match(history, /<allowEdit>false<\/allowEdit>/);
    assert.match(history, /<allowDelete>false<\/allowDelete>/);
  });

  it('maps a CR to record fields and back', () => {
    const cr = { ...newDraft({ name: 'N', overview: 'o', customizations: [{ type: 'ApexClass', fullName: 'A' }], approvers: ['005000000000002AAA', '005000000000003AAA'] }), parentId: 'a01000000000001AAA', origin: { orgId: '00D000000000001AAA', recordId: 'a01000000000009AAA' } };
    const row = { ...fromChangeRequest(cr), Id: 'a01000000000002AAA', Name: 'CR-00002', LastModifiedDate: '2026-01-01T00:00:00.000+0000' };
    const back = toChangeRequest(row);
    assert.equal(back.name, 'N');
    assert.deepEqual(back.customizations, cr.customizations);
    assert.deepEqual(back.approvers, cr.approvers);
    assert.deepEqual(back.origin, cr.origin);
    assert.equal(back.parentId, cr.parentId);
    assert.equal(back.number, 'CR-00002');
    assert.equal(back.version, 0, 'a record without a version (saved before versions) reads as 0');
    assert.equal(toChangeRequest({ ...row, Version__c: 7 }).version, 7);
    assert.equal('Version__c' in fromChangeRequest(cr), false, 'the repository sets the version, one above the one read');
  });

  it('a component list edited into garbage in the org gives a clear error', () => {
    assert.throws(() => toChangeRequest({ Id: 'a01000000000002AAA', Name: 'CR-00007', Customizations__c: '{not json' }), /Customizations__c of change request CR-00007 is not a component list Changeline can read .* fix or clear it in the org/);
    assert.throws(() => toChangeRequest({ Name: 'CR-00008', Proposed_Customizations__c: '[{"type":1}]' }), /Proposed_Customizations__c of change request CR-00008/);
  });

  it('a history entry survives the round trip through record fields', () => {
    const [e] = append([], [{ action: 'approved', actorId: '005000000000002AAA', at: '2026-01-01T00:00:00.000Z', details: { comment: 'ok' } }]);
    const row = fromHistoryEntry('a01000000000002AAA', e!);
    assert.equal(row.Chain_Key__c, 'a01000000000002AAA:1', 'unique per CR and position');
    assert.deepEqual(toHistoryEntry(row), e);
  });
});
