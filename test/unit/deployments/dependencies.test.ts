import * as assert from 'node:assert/strict';
import { describeNeed, mergeReferences, missingDependencies, scanPackage, type PackageFile, type Reference } from '../../../src/core/deployments';
import type { ComponentRef } from '../../../src/core/metadata-types';

const SERVICE = `public with sharing class InvoiceService {
    // Fake__c in a comment does not count, nor /* Other__c */ this
    public static Decimal total(Id accountId) {
        List<Invoice__c> invoices = [
            SELECT Id, Total__c, Customer__r.Name, (SELECT Id, Amount__c FROM Lines__r)
            FROM Invoice__c
            WHERE Account__c = :accountId AND Status__c = 'Open'
        ];
        Decimal sum = 0;
        for (Invoice__c inv : invoices) {
            sum += inv.Discount__c;
        }
        Account acc = new Account(Tier__c = 'Gold', Name = 'x');
        String title = Label.Invoice_Title;
        String s = 'Ignored__c';
        Schema.DescribeFieldResult d = Schema.SObjectType.Invoice__c.fields.Due_Date__c;
        Boolean rated = Account.Rating__c != null;
        TaxCalculator.apply(invoices);
        invoices[0].Memo__c = 'x';
        return sum;
    }
}
`;

const TRIGGER = `trigger InvoiceTrigger on Invoice__c (before insert) {
    for (Invoice__c i : Trigger.new) {
        i.Paid__c = false;
        InvoiceService.total(null);
    }
}
`;

const LWC = `import { LightningElement, wire } from 'lwc';
import getInvoices from '@salesforce/apex/InvoiceController.getInvoices';
import TOTAL from '@salesforce/schema/Invoice__c.Total__c';
import NAME from '@salesforce/schema/Account.Name';
import TITLE from '@salesforce/label/c.Invoice_Title';
import { formatMoney } from 'c/moneyUtils';
// import nope from '@salesforce/apex/Commented.out';
import managed from '@salesforce/apex/ns.Managed.run';
export default class InvoiceList extends LightningElement {}
`;

const LAYOUT = `<?xml version="1.0" encoding="UTF-8"?>
<Layout xmlns="http://soap.sforce.com/2006/04/metadata">
    <layoutSections>
        <layoutColumns>
            <layoutItems>
                <behavior>Required</behavior>
                <field>Name</field>
            </layoutItems>
            <layoutItems>
                <field>Total__c</field>
            </layoutItems>
        </layoutColumns>
    </layoutSections>
</Layout>
`;

const PERMSET = `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <classAccesses>
        <apexClass>InvoiceService</apexClass>
        <enabled>true</enabled>
    </classAccesses>
    <fieldPermissions>
        <editable>true</editable>
        <field>Invoice__c.Total__c</field>
        <readable>true</readable>
    </fieldPermissions>
    <fieldPermissions>
        <field>Account.Name</field>
    </fieldPermissions>
    <objectPermissions>
        <allowRead>true</allowRead>
        <object>Invoice__c</object>
    </objectPermissions>
    <!-- <object>Commented__c</object> -->
</PermissionSet>
`;

const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <actionCalls>
        <name>Mail</name>
        <actionName>InvoiceMailer</actionName>
        <actionType>apex</actionType>
    </actionCalls>
    <actionCalls>
        <name>Post</name>
        <actionName>chatterPost</actionName>
        <actionType>chatterPost</actionType>
    </actionCalls>
    <recordLookups>
        <name>Open_Invoices</name>
        <filters>
            <field>Status__c</field>
            <operator>EqualTo</operator>
        </filters>
        <object>Invoice__c</object>
        <queriedFields>Total__c</queriedFields>
    </recordLookups>
    <start>
        <object>Account</object>
        <filters>
            <field>Tier__c</field>
        </filters>
    </start>
    <assignments>
        <assignmentItems>
            <value><elementReference>$Record.Credit_Limit__c</elementReference></value>
        </assignmentItems>
    </assignments>
    <subflows>
        <name>Notify</name>
        <flowName>Notify_Finance</flowName>
    </subflows>
</Flow>
`;

const LOOKUP = `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Batch__c</fullName>
    <referenceTo>Batch__c</referenceTo>
    <type>Lookup</type>
</CustomField>
`;
const CUSTOMER = `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Customer__c</fullName>
    <referenceTo>Account</referenceTo>
    <type>Lookup</type>
</CustomField>
`;
const FORMULA = `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Net__c</fullName>
    <formula>Total__c - Discount__c + $Setup.Tax_Settings__c.Rate__c + Customer__r.AnnualRevenue</formula>
    <type>Currency</type>
</CustomField>
`;

function file(type: string, fullName: string, path: string, text: string): PackageFile {
  return { ref: { type, fullName }, path, text };
}
const refsOf = (refs: Reference[], from: string): string[] =>
  refs
    .filter((r) => `${r.from.type} ${r.from.fullName}` === from)
    .map((r) => `${r.to.type} ${r.to.fullName}`)
    .sort();
const find = (refs: Reference[], from: string, to: string): Reference => {
  const r = refs.find((x) => x.from.fullName === from && x.to.fullName === to);
  assert.ok(r, `${from} → ${to} not found`);
  return r;
};

describe('deployments: dependency scan', () => {
  it('Apex: classes, objects, fields from SOQL, records, constructors, Schema and static references, labels', () => {
    const refs = scanPackage([file('ApexClass', 'InvoiceService', 'classes/InvoiceService.cls', SERVICE)], { apexClasses: ['TaxCalculator', 'Unused'] });
    assert.deepEqual(refsOf(refs, 'ApexClass InvoiceService'), [
      'ApexClass TaxCalculator',
      'CustomField Account.Rating__c',
      'CustomField Account.Tier__c',
      'CustomField Invoice__c.Account__c',
      'CustomField Invoice__c.Customer__c',
      'CustomField Invoice__c.Discount__c',
      'CustomField Invoice__c.Due_Date__c',
      'CustomField Invoice__c.Memo__c',
      'CustomField Invoice__c.Status__c',
      'CustomField Invoice__c.Total__c',
      'CustomLabel Invoice_Title',
      'CustomObject Invoice__c',
    ]);
    const total = find(refs, 'InvoiceService', 'Invoice__c.Total__c');
    assert.equal(total.line, 5);
    assert.equal(total.why, 'queries Invoice__c.Total__c');
    assert.equal(find(refs, 'InvoiceService', 'Invoice__c.Discount__c').line, 11);
    assert.equal(find(refs, 'InvoiceService', 'Account.Tier__c').why, 'sets Account.Tier__c');
    assert.equal(find(refs, 'InvoiceService', 'Invoice__c').line, 4, 'the first place it is used');
    assert.deepEqual(find(refs, 'InvoiceService', 'Invoice__c').sources, ['static scan']);
  });

  it('Apex triggers: their object, fields of the records they loop over, classes they call', () => {
    const refs = scanPackage([file('ApexTrigger', 'InvoiceTrigger', 'triggers/InvoiceTrigger.trigger', TRIGGER), file('ApexClass', 'InvoiceService', 'classes/InvoiceService.cls', SERVICE)]);
    assert.deepEqual(refsOf(refs, 'ApexTrigger InvoiceTrigger'), ['ApexClass InvoiceService', 'CustomField Invoice__c.Paid__c', 'CustomObject Invoice__c']);
    assert.equal(find(refs, 'InvoiceTrigger', 'Invoice__c').why, 'is a trigger on Invoice__c');
  });

  it('LWC: Apex, schema and label imports and other components; not comments, standard fields or managed classes', () => {
    const refs = scanPackage([
      file('LightningComponentBundle', 'invoiceList', 'lwc/invoiceList/invoiceList.js', LWC),
      file('LightningComponentBundle', 'invoiceList', 'lwc/invoiceList/invoiceList.html', '<template><c-money-utils></c-money-utils></template>'),
      file('LightningComponentBundle', 'invoiceList', 'lwc/invoiceList/invoiceList.js-meta.xml', '<LightningComponentBundle/>'),
    ]);
    assert.deepEqual(refsOf(refs, 'LightningComponentBundle invoiceList'), [
      'ApexClass InvoiceController',
      'CustomField Invoice__c.Total__c',
      'CustomLabel Invoice_Title',
      'CustomObject Invoice__c',
      'LightningComponentBundle moneyUtils',
    ]);
    assert.equal(find(refs, 'invoiceList', 'InvoiceController').line, 2);
    assert.equal(find(refs, 'invoiceList', 'InvoiceController').why, "imports @salesforce/apex/InvoiceController.getInvoices");
  });

  it('layouts: their object and custom fields, standard fields left out', () => {
    const refs = scanPackage([
      file('Layout', 'Invoice__c-Invoice Layout', 'layouts/Invoice__c-Invoice Layout.layout-meta.xml', LAYOUT),
      file('Layout', 'Account-Account Layout', 'layouts/Account-Account Layout.layout-meta.xml', LAYOUT),
    ]);
    assert.deepEqual(refsOf(refs, 'Layout Invoice__c-Invoice Layout'), ['CustomField Invoice__c.Total__c', 'CustomObject Invoice__c']);
    assert.deepEqual(refsOf(refs, 'Layout Account-Account Layout'), ['CustomField Account.Total__c']);
    assert.equal(find(refs, 'Invoice__c-Invoice Layout', 'Invoice__c.Total__c').line, 10);
  });

  it('permission sets and profiles: fields, objects and classes they grant', () => {
    for (const type of ['PermissionSet', 'Profile']) {
      const refs = scanPackage([file(type, 'Billing', `x/Billing.${type}-meta.xml`, PERMSET)]);
      assert.deepEqual(refsOf(refs, `${type} Billing`), ['ApexClass InvoiceService', 'CustomField Invoice__c.Total__c', 'CustomObject Invoice__c'], type);
      assert.equal(find(refs, 'Billing', 'Invoice__c.Total__c').why, 'grants access to Invoice__c.Total__c');
    }
  });

  it('flows: record elements with their fields, $Record fields, Apex actions and subflows', () => {
    const refs = scanPackage([file('Flow', 'Invoice_Check', 'flows/Invoice_Check.flow-meta.xml', FLOW)]);
    assert.deepEqual(refsOf(refs, 'Flow Invoice_Check'), [
      'ApexClass InvoiceMailer',
      'CustomField Account.Credit_Limit__c',
      'CustomField Account.Tier__c',
      'CustomField Invoice__c.Status__c',
      'CustomField Invoice__c.Total__c',
      'CustomObject Invoice__c',
      'Flow Notify_Finance',
    ]);
    assert.equal(find(refs, 'Invoice_Check', 'Invoice__c.Status__c').why, 'uses Invoice__c.Status__c (Open_Invoices)');
    assert.equal(find(refs, 'Invoice_Check', 'InvoiceMailer').line, 5);
  });

  it('custom fields: their object, lookup targets (custom only), formula fields and custom settings', () => {
    const refs = scanPackage([
      file('CustomField', 'Invoice__c.Batch__c', 'objects/Invoice__c/fields/Batch__c.field-meta.xml', LOOKUP),
      file('CustomField', 'Invoice__c.Customer__c', 'objects/Invoice__c/fields/Customer__c.field-meta.xml', CUSTOMER),
      file('CustomField', 'Invoice__c.Net__c', 'objects/Invoice__c/fields/Net__c.field-meta.xml', FORMULA),
    ]);
    assert.deepEqual(refsOf(refs, 'CustomField Invoice__c.Batch__c'), ['CustomObject Batch__c', 'CustomObject Invoice__c']);
    assert.deepEqual(refsOf(refs, 'CustomField Invoice__c.Customer__c'), ['CustomObject Invoice__c']);
    assert.deepEqual(refsOf(refs, 'CustomField Invoice__c.Net__c'), [
      'CustomField Invoice__c.Customer__c',
      'CustomField Invoice__c.Discount__c',
      'CustomField Invoice__c.Total__c',
      'CustomField Tax_Settings__c.Rate__c',
      'CustomObject Invoice__c',
      'CustomObject Tax_Settings__c',
    ]);
    assert.equal(find(refs, 'Invoice__c.Batch__c', 'Batch__c').why, 'looks up Batch__c');
  });
});

describe('deployments: missing dependencies', () => {
  const files = [
    file('ApexClass', 'InvoiceService', 'main/default/classes/InvoiceService.cls', SERVICE),
    file('CustomField', 'Invoice__c.Total__c', 'main/default/objects/Invoice__c/fields/Total__c.field-meta.xml', '<CustomField><fullName>Total__c</fullName></CustomField>'),
  ];
  const target = new Set(
    ['CustomObject:Invoice__c', 'ApexClass:TaxCalculator', 'CustomLabel:Invoice_Title', ...['Account__c', 'Customer__c', 'Discount__c', 'Memo__c', 'Status__c'].map((f) => `CustomField:Invoice__c.${f}`), 'CustomField:Account.Tier__c', 'CustomField:Account.Rating__c'].map((k) => k.toLowerCase()),
  );
  const targetHas = (r: ComponentRef) => target.has(`${r.type}:${r.fullName}`.toLowerCase());

  it('finds the field a class uses that is neither in the package nor in the target, with the file and line', () => {
    const refs = scanPackage(files, { apexClasses: ['TaxCalculator'] });
    const missing = missingDependencies(refs, files.map((f) => f.ref), targetHas);
    assert.deepEqual(missing.map((m) => `${m.ref.type} ${m.ref.fullName}`), ['CustomField Invoice__c.Due_Date__c']);
    assert.equal(describeNeed(missing[0].neededBy[0]), 'ApexClass InvoiceService (main/default/classes/InvoiceService.cls, line 16) uses Invoice__c.Due_Date__c');
  });

  it('a field whose object is in the package counts as packaged; each needing component is listed', () => {
    const refs = scanPackage(
      [...files, file('ApexTrigger', 'InvoiceTrigger', 'triggers/InvoiceTrigger.trigger', TRIGGER), file('Flow', 'Invoice_Check', 'flows/Invoice_Check.flow-meta.xml', FLOW)],
      { apexClasses: ['TaxCalculator'] },
    );
    const nothing = () => false;
    const withObject = missingDependencies(refs, [...files.map((f) => f.ref), { type: 'CustomObject', fullName: 'Invoice__c' }], nothing);
    assert.ok(!withObject.some((m) => m.ref.fullName.startsWith('Invoice__c')), 'fields of a packaged object are not missing');
    const status = missingDependencies(refs, files.map((f) => f.ref), nothing).find((m) => m.ref.fullName === 'Invoice__c.Status__c');
    assert.deepEqual(status?.neededBy.map((r) => r.from.fullName).sort(), ['InvoiceService', 'Invoice_Check']);
  });

  it('asks the target once per component', () => {
    const asked: string[] = [];
    const refs = scanPackage([...files, file('ApexTrigger', 'InvoiceTrigger', 'triggers/InvoiceTrigger.trigger', TRIGGER)]);
    missingDependencies(refs, [], (r) => (asked.push(r.fullName), true));
    assert.equal(asked.length, new Set(asked).size);
  });

  it('merges the org\'s dependency rows with the scan, each saying its source', () => {
    const refs = scanPackage(files, { apexClasses: ['TaxCalculator'] });
    const merged = mergeReferences(refs, [
      { metadataComponentType: 'ApexClass', metadataComponentName: 'InvoiceService', refMetadataComponentType: 'CustomField', refMetadataComponentName: 'Invoice__c.Total__c' },
      { metadataComponentType: 'ApexClass', metadataComponentName: 'InvoiceService', refMetadataComponentType: 'ApexClass', refMetadataComponentName: 'AuditLog' },
      { metadataComponentType: 'ApexClass', metadataComponentName: 'InvoiceService', refMetadataComponentType: 'StandardEntity', refMetadataComponentName: 'Account' },
    ]);
    assert.equal(merged.length, refs.length + 1);
    assert.deepEqual(find(merged, 'InvoiceService', 'Invoice__c.Total__c').sources, ['static scan', 'org dependencies']);
    const audit = find(merged, 'InvoiceService', 'AuditLog');
    assert.deepEqual(audit.sources, ['org dependencies']);
    assert.equal(describeNeed(audit), 'ApexClass InvoiceService depends on ApexClass AuditLog (the org says)');
    assert.deepEqual(find(refs, 'InvoiceService', 'Invoice__c.Total__c').sources, ['static scan'], 'the scan\'s list is not changed');
    const missing = missingDependencies(merged, files.map((f) => f.ref), targetHas);
    assert.deepEqual(missing.map((m) => m.ref.fullName), ['AuditLog', 'Invoice__c.Due_Date__c']);
  });
});
