import * as assert from 'node:assert/strict';
import { RestError } from '../../../test/emulator/context';
import { checkDependencyQuery, checkDependencyRowCount, dependencyRows } from '../../../test/emulator/rest/component-dependencies';
import { parseSoql } from '../../../test/emulator/rest/soql-parser';
import type { StoredComponent } from '../../../test/emulator/store';

let n = 0;
function comp(type: string, fullName: string, files: Record<string, string> = {}): StoredComponent {
  const b64: Record<string, string> = {};
  for (const [p, t] of Object.entries(files)) b64[p] = Buffer.from(t).toString('base64');
  n++;
  return { type, fullName, id: `0X0A0000000${String(n).padStart(4, '0')}AAA`, files: b64, createdDate: '', createdById: '', lastModifiedDate: '', lastModifiedById: '' };
}

const invoice = comp('CustomObject', 'Invoice__c', { 'objects/Invoice__c.object': '<CustomObject/>' });
const total = comp('CustomField', 'Invoice__c.Total__c', { 'objects/Invoice__c.field': '<fields><fullName>Total__c</fullName></fields>' });
const region = comp('CustomField', 'Account.Region__c', { 'objects/Account.field': '<fields><fullName>Region__c</fullName></fields>' });
const helper = comp('ApexClass', 'TaxHelper', { 'classes/TaxHelper.cls': 'public class TaxHelper {}' });
const service = comp('ApexClass', 'InvoiceService', {
  'classes/InvoiceService.cls': [
    'public class InvoiceService {',
    '  // Account.Region__c is only mentioned in a comment',
    "  String s = 'Nowhere__c';",
    '  public static Decimal sum() {',
    '    List<Invoice__c> rows = [SELECT Total__c FROM Invoice__c];',
    '    return TaxHelper.rate() * rows[0].Total__c + Missing__c;',
    '  }',
    '}',
  ].join('\n'),
  'classes/InvoiceService.cls-meta.xml': '<ApexClass><apiVersion>62.0</apiVersion></ApexClass>',
});
const lwc = comp('LightningComponentBundle', 'invoiceCard', {
  'lwc/invoiceCard/invoiceCard.js': "import sum from '@salesforce/apex/InvoiceService.sum';\nimport REGION from '@salesforce/schema/Account.Region__c';",
});
const layout = comp('Layout', 'Invoice__c-Invoice Layout', { 'layouts/Invoice__c-Invoice Layout.layout': '<Layout><layoutItems><field>Total__c</field></layoutItems></Layout>' });
const perms = comp('PermissionSet', 'Sales', { 'permissionsets/Sales.permissionset': '<PermissionSet><fieldPermissions><field>Account.Region__c</field></fieldPermissions></PermissionSet>' });

const rows = dependencyRows([invoice, total, region, helper, service, lwc, layout, perms]);
const refsOf = (type: string, name: string) =>
  rows
    .filter((r) => r.MetadataComponentType === type && r.MetadataComponentName === name)
    .map((r) => `${String(r.RefMetadataComponentType)} ${String(r.RefMetadataComponentName)}`)
    .sort();

describe('emulator: Tooling MetadataComponentDependency', () => {
  it('reads an Apex class: classes, objects and fields it uses that the org has, not comments, strings or unknown names', () => {
    assert.deepEqual(refsOf('ApexClass', 'InvoiceService'), ['ApexClass TaxHelper', 'CustomField Total', 'CustomObject Invoice']);
    const row = rows.find((r) => r.MetadataComponentName === 'InvoiceService' && r.RefMetadataComponentType === 'CustomField');
    assert.equal(row?.MetadataComponentId, service.id);
    assert.equal(row?.RefMetadataComponentId, total.id);
  });

  it('reads LWC imports, a field’s object, layouts and permission sets', () => {
    assert.deepEqual(refsOf('LightningComponentBundle', 'invoiceCard'), ['ApexClass InvoiceService', 'CustomField Region']);
    assert.deepEqual(refsOf('CustomField', 'Total'), ['CustomObject Invoice']);
    assert.deepEqual(refsOf('CustomField', 'Region'), []);
    assert.deepEqual(refsOf('Layout', 'Invoice__c-Invoice Layout'), ['CustomField Total']);
    assert.deepEqual(refsOf('PermissionSet', 'Sales'), ['CustomField Region']);
  });

  it('refuses the filters the documentation lists as unsupported and accepts ids, types, =, IN, AND, OR', () => {
    const base = 'SELECT MetadataComponentId, RefMetadataComponentName FROM MetadataComponentDependency';
    for (const q of [
      `${base} WHERE MetadataComponentName = 'InvoiceService'`,
      `${base} WHERE RefMetadataComponentName = 'Total'`,
      `${base} WHERE MetadataComponentType LIKE 'Apex%'`,
      `${base} WHERE RefMetadataComponentType = 'StandardEntity'`,
      `${base} ORDER BY MetadataComponentId`,
      `${base} LIMIT 10 OFFSET 5`,
    ]) {
      assert.throws(() => checkDependencyQuery(parseSoql(q)), (e: unknown) => e instanceof RestError && e.status === 400, q);
    }
    checkDependencyQuery(parseSoql(`${base} WHERE MetadataComponentId IN ('a', 'b') AND (RefMetadataComponentType = 'CustomField' OR RefMetadataComponentType != 'ApexClass')`));
  });

  it('fails a query that would return more than 2,000 rows, and answers one of exactly 2,000', () => {
    checkDependencyRowCount(2000);
    assert.throws(() => checkDependencyRowCount(2001), (e: unknown) => e instanceof RestError && e.status === 400 && /2000 records/.test(e.message));
  });
});
