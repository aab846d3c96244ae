/**
 * The demo's workspace: a small sfdx project (an invoicing feature: a custom object, a service class
 * and its test) with a release pipeline Dev → UAT → Production over the emulated orgs `dev`, `uat`, `prod`.
 * Also used by the e2e tests, so what they see is what the demo shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const API = '62.0';

export const DEMO_PIPELINE = {
  version: 1,
  environments: [
    { name: 'Dev', org: 'dev', role: 'development', next: 'UAT', testLevel: 'NoTestRun' },
    { name: 'UAT', org: 'uat', role: 'staging', next: 'Production' },
    { name: 'Production', org: 'prod', role: 'production' },
  ],
  // No `connections`: the defaults apply (each stage to its next, Production back to every lower stage).
};

const classMeta = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>${API}</apiVersion>
    <status>Active</status>
</ApexClass>
`;

const FILES: Record<string, string> = {
  'sfdx-project.json': JSON.stringify(
    {
      packageDirectories: [{ path: 'force-app', default: true }],
      name: 'acme-invoicing',
      namespace: '',
      sfdcLoginUrl: 'https://login.salesforce.com',
      sourceApiVersion: API,
    },
    null,
    2,
  ),
  '.forceignore': '# Files the Salesforce tools never deploy\n**/jsconfig.json\n**/.eslintrc.json\n**/__tests__/**\n',
  '.changeline/pipeline.json': JSON.stringify(DEMO_PIPELINE, null, 2),
  'README.md': `# Acme invoicing (Changeline demo project)

The three orgs of the pipeline (\`dev\`, \`uat\`, \`prod\`) are emulated on this machine and
authorized in a private sf state folder, so nothing here touches a real org or your own \`~/.sfdx\`.
Open the **Changeline** view in the activity bar to see the environments.
`,
  'force-app/main/default/classes/InvoiceService.cls': `public with sharing class InvoiceService {
    public static final String STATUS_SENT = 'Sent';

    /** Marks draft invoices as sent and returns how many changed. */
    public static Integer send(List<Invoice__c> invoices) {
        List<Invoice__c> toSend = new List<Invoice__c>();
        for (Invoice__c inv : invoices) {
            if (inv.Status__c == 'Draft' && inv.Amount__c != null && inv.Amount__c > 0) {
                inv.Status__c = STATUS_SENT;
                toSend.add(inv);
            }
        }
        update toSend;
        return toSend.size();
    }
}
`,
  'force-app/main/default/classes/InvoiceService.cls-meta.xml': classMeta,
  'force-app/main/default/classes/InvoiceServiceTest.cls': `@IsTest
private class InvoiceServiceTest {
    @IsTest
    static void sendsOnlyDraftInvoicesWithAnAmount() {
        List<Invoice__c> invoices = new List<Invoice__c>{
            new Invoice__c(Status__c = 'Draft', Amount__c = 120),
            new Invoice__c(Status__c = 'Draft', Amount__c = 0),
            new Invoice__c(Status__c = 'Paid', Amount__c = 75)
        };
        insert invoices;
        Test.startTest();
        Integer sent = InvoiceService.send(invoices);
        Test.stopTest();
        System.assertEquals(1, sent, 'only the draft invoice with an amount is sent');
    }
}
`,
  'force-app/main/default/classes/InvoiceServiceTest.cls-meta.xml': classMeta,
  'force-app/main/default/objects/Invoice__c/Invoice__c.object-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <deploymentStatus>Deployed</deploymentStatus>
    <label>Invoice</label>
    <nameField>
        <displayFormat>INV-{00000}</displayFormat>
        <label>Invoice Number</label>
        <type>AutoNumber</type>
    </nameField>
    <pluralLabel>Invoices</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>
`,
  'force-app/main/default/objects/Invoice__c/fields/Amount__c.field-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Amount__c</fullName>
    <label>Amount</label>
    <precision>16</precision>
    <scale>2</scale>
    <type>Currency</type>
</CustomField>
`,
  'force-app/main/default/objects/Invoice__c/fields/Status__c.field-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Status__c</fullName>
    <label>Status</label>
    <type>Picklist</type>
    <valueSet>
        <valueSetDefinition>
            <sorted>false</sorted>
            <value><fullName>Draft</fullName><default>true</default><label>Draft</label></value>
            <value><fullName>Sent</fullName><default>false</default><label>Sent</label></value>
            <value><fullName>Paid</fullName><default>false</default><label>Paid</label></value>
        </valueSetDefinition>
    </valueSet>
</CustomField>
`,
};

/**
 * The invoicing feature as UAT has it: an older InvoiceService that does not check the amount yet.
 * The demo deploys the project to Dev and this to UAT (Production has none of it), so "Diff with
 * Environment…" on InvoiceService.cls shows a change against UAT, the same file against Dev, and a
 * class Production does not have. The e2e tests put the same file in their UAT.
 */
export const UAT_INVOICE_SERVICE = FILES['force-app/main/default/classes/InvoiceService.cls'].replace(
  " && inv.Amount__c != null && inv.Amount__c > 0) {",
  ') {',
);

/** The demo project's files whose copy in `org` differs from the project (relative path → text). */
export function demoOrgVariant(org: 'dev' | 'uat'): Record<string, string> {
  return org === 'uat' ? { 'force-app/main/default/classes/InvoiceService.cls': UAT_INVOICE_SERVICE } : {};
}

/** Writes the demo project into `dir`; files that already exist are kept (the user may have edited them). */
export function writeDemoWorkspace(dir: string): void {
  for (const [rel, text] of Object.entries(FILES)) {
    const file = path.join(dir, rel);
    if (fs.existsSync(file)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text.endsWith('\n') ? text : text + '\n');
  }
}
