/** Deploy helpers shared by the emulator Metadata API suites (real SDR against the emulator). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, MetadataApiDeploy, type DeployResult, type FileResponse } from '@salesforce/source-deploy-retrieve';
export const NS = 'http://soap.sforce.com/2006/04/metadata';
export const poll = { frequency: Duration.milliseconds(20), timeout: Duration.minutes(1) };
export const classMeta = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="${NS}"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>\n`;


/** A throwaway source-format project: files relative to force-app/main/default. */
export function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-md-'));
  for (const [p, text] of Object.entries(files)) {
    const f = path.join(dir, 'force-app/main/default', p);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  }
  return path.join(dir, 'force-app');
}

export function apexClass(name: string, body: string): Record<string, string> {
  return { [`classes/${name}.cls`]: body, [`classes/${name}.cls-meta.xml`]: classMeta };
}

export async function deploySource(conn: Connection, files: Record<string, string>, apiOptions: Record<string, unknown> = {}): Promise<DeployResult> {
  const cs = ComponentSet.fromSource(project(files));
  cs.sourceApiVersion = '62.0';
  const op = await cs.deploy({ usernameOrConnection: conn, apiOptions });
  return op.pollStatus(poll);
}

/** Deploys a hand-made metadata zip (for packages SDR would never build). */
export async function deployZip(conn: Connection, files: Record<string, string>, apiOptions: Record<string, unknown> = {}): Promise<DeployResult> {
  const zip = new JSZip();
  for (const [p, t] of Object.entries(files)) zip.file(p, t);
  const zipPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-zip-')), 'pkg.zip');
  fs.writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer' }));
  const op = new MetadataApiDeploy({ usernameOrConnection: conn, zipPath, apiOptions });
  await op.start();
  return op.pollStatus(poll);
}

export function packageXml(types: Record<string, string[]>): string {
  const body = Object.entries(types)
    .map(([t, ms]) => `<types>${ms.map((m) => `<members>${m}</members>`).join('')}<name>${t}</name></types>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Package xmlns="${NS}">${body}<version>62.0</version></Package>`;
}

export async function waitDeploy(conn: Connection, id: string) {
  for (let i = 0; i < 500; i++) {
    const s = await conn.metadata.checkDeployStatus(id, true);
    if (String(s.done) === 'true') return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`deploy ${id} did not finish`);
}

export function failures(r: DeployResult): FileResponse[] {
  return r.getFileResponses().filter((f) => f.state === 'Failed');
}

export const WIDGET = {
  'objects/Widget__c/Widget__c.object-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject xmlns="${NS}">\n    <deploymentStatus>Deployed</deploymentStatus>\n    <label>Widget</label>\n    <nameField>\n        <label>Widget Name</label>\n        <type>Text</type>\n    </nameField>\n    <pluralLabel>Widgets</pluralLabel>\n    <sharingModel>ReadWrite</sharingModel>\n</CustomObject>\n`,
  'objects/Widget__c/fields/Size__c.field-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="${NS}">\n    <fullName>Size__c</fullName>\n    <label>Size</label>\n    <precision>18</precision>\n    <scale>0</scale>\n    <type>Number</type>\n</CustomField>\n`,
};
export const LWC = {
  'lwc/helloCard/helloCard.js': `import { LightningElement } from 'lwc';\nexport default class HelloCard extends LightningElement {}\n`,
  'lwc/helloCard/helloCard.html': `<template><p>Hello</p></template>\n`,
  'lwc/helloCard/helloCard.js-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<LightningComponentBundle xmlns="${NS}"><apiVersion>62.0</apiVersion><isExposed>false</isExposed></LightningComponentBundle>\n`,
};
export const GREETER = apexClass('Greeter', `public class Greeter {\n    public static String hello(String n) {\n        return 'Hello ' + n;\n    }\n}\n`);
export const GREETER_TEST = apexClass(
  'GreeterTest',
  `@isTest\nprivate class GreeterTest {\n    @isTest\n    static void greets() {\n        System.assertEquals('Hello A', Greeter.hello('A'));\n    }\n}\n`,
);

