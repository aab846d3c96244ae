/**
 * Realistic metadata-format content for seeding: one "unit" per call (an Apex class and its
 * test, a custom object with fields/rules/views/record types, a bundle…), plus the edit a
 * sibling org makes to a component. Pure text; seed.ts decides what goes where.
 */

export interface SeedComponent {
  type: string;
  fullName: string;
  /** zip path → text content */
  files: Record<string, string>;
}

const NS = 'http://soap.sforce.com/2006/04/metadata';
const API = '62.0';
const xml = (root: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}</${root}>\n`;
const meta = (root: string, extra = '') => xml(root, `    <apiVersion>${API}</apiVersion>\n${extra}`);

export const NOUNS = [
  'Invoice', 'Shipment', 'Project', 'Warranty', 'Ticket', 'Contract', 'Vehicle', 'Booking', 'Payment', 'Supplier',
  'Inspection', 'Campaign', 'Territory', 'Survey', 'Policy', 'Claim', 'Course', 'Device', 'Order', 'Visit',
];

export function apexClass(name: string, body: string): SeedComponent {
  return {
    type: 'ApexClass',
    fullName: name,
    files: {
      [`classes/${name}.cls`]: body,
      [`classes/${name}.cls-meta.xml`]: meta('ApexClass', '    <status>Active</status>\n'),
    },
  };
}

/**
 * A service class and its passing test class. The test also inserts a record of `sObject` (the
 * last custom object seeded before it), which covers the triggers on that object: a seeded org
 * meets Salesforce's 75 % coverage rule, as every real production org does.
 */
export function apexPair(noun: string, k: number, sObject: string): SeedComponent[] {
  const cls = `${noun}Service${k}`;
  return [
    apexClass(
      cls,
      `public with sharing class ${cls} {\n    public static Integer total(List<Integer> amounts) {\n        Integer sum = 0;\n        for (Integer a : amounts) {\n            sum += a;\n        }\n        return sum;\n    }\n\n    public static String label(String name) {\n        return '${noun}: ' + name;\n    }\n}\n`,
    ),
    apexClass(
      `${cls}Test`,
      `@isTest\nprivate class ${cls}Test {\n    @isTest\n    static void totalsAmounts() {\n        System.assertEquals(6, ${cls}.total(new List<Integer>{1, 2, 3}));\n    }\n\n    @isTest\n    static void labelsNames() {\n        System.assertEquals('${noun}: A', ${cls}.label('A'));\n    }\n\n    @isTest\n    static void savesRecords() {\n        ${sObject} rec = new ${sObject}(Name = ${cls}.label('B'));\n        insert rec;\n        System.assertNotEquals(null, rec.Id);\n    }\n}\n`,
    ),
  ];
}

export function apexTrigger(name: string, object: string): SeedComponent {
  return {
    type: 'ApexTrigger',
    fullName: name,
    files: {
      [`triggers/${name}.trigger`]: `trigger ${name} on ${object} (before insert, before update) {\n    for (${object} rec : Trigger.new) {\n        rec.Name = rec.Name == null ? 'New' : rec.Name.trim();\n    }\n}\n`,
      [`triggers/${name}.trigger-meta.xml`]: meta('ApexTrigger', '    <status>Active</status>\n'),
    },
  };
}

export function apexPage(name: string, label: string): SeedComponent {
  return {
    type: 'ApexPage',
    fullName: name,
    files: {
      [`pages/${name}.page`]: `<apex:page showHeader="true" sidebar="false">\n    <h1>${label}</h1>\n    <apex:outputText value="{!$User.FirstName}"/>\n</apex:page>\n`,
      [`pages/${name}.page-meta.xml`]: meta('ApexPage', `    <availableInTouch>false</availableInTouch>\n    <confirmationTokenRequired>false</confirmationTokenRequired>\n    <label>${label}</label>\n`),
    },
  };
}

const FIELD_TYPES = [
  (n: string) => `        <label>${n}</label>\n        <length>80</length>\n        <type>Text</type>\n`,
  (n: string) => `        <label>${n}</label>\n        <precision>18</precision>\n        <scale>2</scale>\n        <type>Currency</type>\n`,
  (n: string) => `        <label>${n}</label>\n        <type>Date</type>\n`,
  (n: string) => `        <defaultValue>false</defaultValue>\n        <label>${n}</label>\n        <type>Checkbox</type>\n`,
  (n: string) => `        <label>${n}</label>\n        <precision>18</precision>\n        <scale>0</scale>\n        <type>Number</type>\n`,
];

export function fieldFragment(name: string, label: string, kind: number): string {
  return `<fields>\n        <fullName>${name}</fullName>\n${FIELD_TYPES[kind % FIELD_TYPES.length](label)}    </fields>`;
}

/** A custom object and its children, each child its own component holding its fragment. */
export function customObject(obj: string, label: string, fields: number, rnd: () => number, mdt = false): SeedComponent[] {
  const path = `objects/${obj}.object`;
  const parent = mdt
    ? xml('CustomObject', `    <label>${label}</label>\n    <pluralLabel>${label}s</pluralLabel>\n    <visibility>Public</visibility>\n`)
    : xml(
        'CustomObject',
        `    <deploymentStatus>Deployed</deploymentStatus>\n    <enableActivities>true</enableActivities>\n    <label>${label}</label>\n    <nameField>\n        <label>${label} Name</label>\n        <type>Text</type>\n    </nameField>\n    <pluralLabel>${label}s</pluralLabel>\n    <sharingModel>ReadWrite</sharingModel>\n`,
      );
  const out: SeedComponent[] = [{ type: 'CustomObject', fullName: obj, files: { [path]: parent } }];
  const fieldNames: string[] = [];
  for (let f = 0; f < fields; f++) {
    const fname = `${['Amount', 'Status', 'Due', 'Active', 'Quantity', 'Notes', 'Region', 'Score'][f % 8]}${f >= 8 ? f : ''}__c`;
    fieldNames.push(fname);
    out.push({ type: 'CustomField', fullName: `${obj}.${fname}`, files: { 'fragment.xml': fieldFragment(fname, fname.replace('__c', ''), Math.floor(rnd() * 5)) } });
  }
  if (!mdt) {
    out.push({
      type: 'ValidationRule',
      fullName: `${obj}.Require_Name`,
      files: { 'fragment.xml': `<validationRules>\n        <fullName>Require_Name</fullName>\n        <active>true</active>\n        <errorConditionFormula>ISBLANK(Name)</errorConditionFormula>\n        <errorMessage>${label} needs a name.</errorMessage>\n    </validationRules>` },
    });
    out.push({
      type: 'ListView',
      fullName: `${obj}.All`,
      files: { 'fragment.xml': `<listViews>\n        <fullName>All</fullName>\n        <filterScope>Everything</filterScope>\n        <label>All</label>\n    </listViews>` },
    });
    out.push({
      type: 'RecordType',
      fullName: `${obj}.Standard`,
      files: { 'fragment.xml': `<recordTypes>\n        <fullName>Standard</fullName>\n        <active>true</active>\n        <label>Standard</label>\n    </recordTypes>` },
    });
  }
  return out;
}

export function layout(obj: string, label: string): SeedComponent {
  const name = `${obj}-${label} Layout`;
  return {
    type: 'Layout',
    fullName: name,
    files: {
      [`layouts/${name}.layout`]: xml(
        'Layout',
        `    <layoutSections>\n        <customLabel>false</customLabel>\n        <label>Information</label>\n        <layoutColumns>\n            <layoutItems>\n                <behavior>Required</behavior>\n                <field>Name</field>\n            </layoutItems>\n        </layoutColumns>\n        <style>TwoColumnsTopToBottom</style>\n    </layoutSections>\n`,
      ),
    },
  };
}

export function simpleXml(type: string, dir: string, suffix: string, name: string, body: string): SeedComponent {
  return { type, fullName: name, files: { [`${dir}/${name}.${suffix}`]: xml(type, body) } };
}

export function flexiPage(name: string, label: string): SeedComponent {
  return simpleXml('FlexiPage', 'flexipages', 'flexipage', name, `    <masterLabel>${label}</masterLabel>\n    <template>\n        <name>flexipage:defaultAppHomeTemplate</name>\n    </template>\n    <type>AppPage</type>\n`);
}

export function flow(name: string, label: string): SeedComponent {
  return simpleXml(
    'Flow',
    'flows',
    'flow',
    name,
    `    <apiVersion>${API}</apiVersion>\n    <label>${label}</label>\n    <processType>AutoLaunchedFlow</processType>\n    <start>\n        <locationX>50</locationX>\n        <locationY>0</locationY>\n    </start>\n    <status>Active</status>\n`,
  );
}

export function lwc(name: string, label: string): SeedComponent {
  const cls = name.charAt(0).toUpperCase() + name.slice(1);
  return {
    type: 'LightningComponentBundle',
    fullName: name,
    files: {
      [`lwc/${name}/${name}.js`]: `import { LightningElement, api } from 'lwc';\n\nexport default class ${cls} extends LightningElement {\n    @api recordId;\n    title = '${label}';\n}\n`,
      [`lwc/${name}/${name}.html`]: `<template>\n    <lightning-card title={title}>\n        <p class="slds-p-horizontal_small">${label}</p>\n    </lightning-card>\n</template>\n`,
      [`lwc/${name}/${name}.js-meta.xml`]: meta('LightningComponentBundle', '    <isExposed>true</isExposed>\n    <targets>\n        <target>lightning__RecordPage</target>\n    </targets>\n'),
    },
  };
}

export function aura(name: string, label: string): SeedComponent {
  return {
    type: 'AuraDefinitionBundle',
    fullName: name,
    files: {
      [`aura/${name}/${name}.cmp`]: `<aura:component implements="flexipage:availableForAllPageTypes">\n    <p>${label}</p>\n</aura:component>\n`,
      [`aura/${name}/${name}.cmp-meta.xml`]: meta('AuraDefinitionBundle', `    <description>${label}</description>\n`),
      [`aura/${name}/${name}Controller.js`]: `({\n    init: function (component) {\n        component.set('v.ready', true);\n    }\n})\n`,
    },
  };
}

export function staticResource(name: string, text: string): SeedComponent {
  return {
    type: 'StaticResource',
    fullName: name,
    files: {
      [`staticresources/${name}.resource`]: text,
      [`staticresources/${name}.resource-meta.xml`]: xml('StaticResource', '    <cacheControl>Public</cacheControl>\n    <contentType>text/plain</contentType>\n'),
    },
  };
}

export function permissionSet(name: string, label: string, obj: string): SeedComponent {
  return simpleXml(
    'PermissionSet',
    'permissionsets',
    'permissionset',
    name,
    `    <hasActivationRequired>false</hasActivationRequired>\n    <label>${label}</label>\n    <objectPermissions>\n        <allowCreate>true</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>${obj}</object>\n        <viewAllRecords>false</viewAllRecords>\n    </objectPermissions>\n`,
  );
}

export function profile(name: string): SeedComponent {
  return simpleXml('Profile', 'profiles', 'profile', name, `    <custom>true</custom>\n    <userLicense>Salesforce</userLicense>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>\n`);
}

export function customLabel(name: string, value: string): SeedComponent {
  return {
    type: 'CustomLabel',
    fullName: name,
    files: { 'fragment.xml': `<labels>\n        <fullName>${name}</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>${name}</shortDescription>\n        <value>${value}</value>\n    </labels>` },
  };
}

export function customLabelsParent(): SeedComponent {
  return { type: 'CustomLabels', fullName: 'CustomLabels', files: { 'labels/CustomLabels.labels': xml('CustomLabels', '') } };
}

export function tab(obj: string): SeedComponent {
  return simpleXml('CustomTab', 'tabs', 'tab', obj, `    <customObject>true</customObject>\n    <motif>Custom20: Airplane</motif>\n`);
}

export function application(name: string, label: string, tabs: string[]): SeedComponent {
  return simpleXml(
    'CustomApplication',
    'applications',
    'app',
    name,
    `    <formFactors>Large</formFactors>\n    <label>${label}</label>\n    <navType>Standard</navType>\n${tabs.map((t) => `    <tabs>${t}</tabs>\n`).join('')}    <uiType>Lightning</uiType>\n`,
  );
}

export function customMetadataRecord(typeName: string, rec: string, value: string): SeedComponent {
  return {
    type: 'CustomMetadata',
    fullName: `${typeName}.${rec}`,
    files: {
      [`customMetadata/${typeName}.${rec}.md`]: `<?xml version="1.0" encoding="UTF-8"?>\n<CustomMetadata xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n    <label>${rec}</label>\n    <protected>false</protected>\n    <values>\n        <field>Value__c</field>\n        <value xsi:type="xsd:string">${value}</value>\n    </values>\n</CustomMetadata>\n`,
    },
  };
}

/** A folder and one item in it, for EmailTemplate / Report / Dashboard. */
export function folder(kind: 'email' | 'reports' | 'dashboards', name: string, label: string): SeedComponent {
  const type = { email: 'EmailFolder', reports: 'ReportFolder', dashboards: 'DashboardFolder' }[kind];
  return { type, fullName: name, files: { [`${kind}/${name}-meta.xml`]: xml(type, `    <accessType>Public</accessType>\n    <name>${label}</name>\n    <publicFolderAccess>ReadWrite</publicFolderAccess>\n`) } };
}

export function emailTemplate(folderName: string, name: string, subject: string): SeedComponent {
  return {
    type: 'EmailTemplate',
    fullName: `${folderName}/${name}`,
    files: {
      [`email/${folderName}/${name}.email`]: `Hello {!Contact.FirstName},\n\n${subject}.\n\nRegards\n`,
      [`email/${folderName}/${name}.email-meta.xml`]: xml('EmailTemplate', `    <available>true</available>\n    <encodingKey>UTF-8</encodingKey>\n    <name>${name}</name>\n    <style>none</style>\n    <subject>${subject}</subject>\n    <type>text</type>\n`),
    },
  };
}

export function report(folderName: string, name: string, obj: string): SeedComponent {
  return {
    type: 'Report',
    fullName: `${folderName}/${name}`,
    files: { [`reports/${folderName}/${name}.report`]: xml('Report', `    <format>Tabular</format>\n    <name>${name.replace(/_/g, ' ')}</name>\n    <reportType>CustomEntity$${obj}</reportType>\n    <scope>organization</scope>\n    <showDetails>true</showDetails>\n`) },
  };
}

export function dashboard(folderName: string, name: string, title: string): SeedComponent {
  return {
    type: 'Dashboard',
    fullName: `${folderName}/${name}`,
    files: { [`dashboards/${folderName}/${name}.dashboard`]: xml('Dashboard', `    <backgroundEndColor>#FFFFFF</backgroundEndColor>\n    <backgroundFadeDirection>Diagonal</backgroundFadeDirection>\n    <backgroundStartColor>#FFFFFF</backgroundStartColor>\n    <dashboardType>SpecifiedUser</dashboardType>\n    <textColor>#000000</textColor>\n    <title>${title}</title>\n    <titleColor>#000000</titleColor>\n    <titleSize>12</titleSize>\n`) },
  };
}

/** The edit a sibling org made to a component: a realistic change to its main file. */
export function editComponent(c: SeedComponent, tag: string): SeedComponent {
  const files = { ...c.files };
  const main = Object.keys(files).find((f) => !f.endsWith('-meta.xml')) ?? Object.keys(files)[0];
  const text = files[main];
  if (/\.(cls)$/.test(main)) {
    files[main] = text.replace(/\}\s*$/, `\n    public static String version() {\n        return '${tag}';\n    }\n}\n`);
  } else if (/\.trigger$/.test(main)) {
    files[main] = text.replace(/\}\s*$/, `    System.debug('${tag}');\n}\n`);
  } else if (/\.html$/.test(main) || /\.page$/.test(main) || /\.cmp$/.test(main)) {
    files[main] = text.replace(/(<\/(template|apex:page|aura:component)>\s*)$/, `    <!-- ${tag} -->\n$1`);
  } else if (main === 'fragment.xml') {
    files[main] = text.replace(/(<\/fullName>)/, `$1\n        <description>${tag}</description>`);
  } else if (text.trimStart().startsWith('<?xml')) {
    files[main] = text.replace(/(<[A-Za-z]+ xmlns="[^"]*"[^>]*>\n)/, `$1    <description>${tag}</description>\n`);
  } else {
    files[main] = `${text}\n// ${tag}\n`;
  }
  return { ...c, files };
}
