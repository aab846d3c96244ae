/**
 * The emulator's Metadata API driven by the real SDR and @salesforce/core: deploy/retrieve
 * round trips, failures with file and line, Apex tests, cancel, quick deploy, destructive
 * changes, listMetadata dates and deploy history.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet, MetadataApiDeploy, type FileResponse } from '@salesforce/source-deploy-retrieve';
import { Emulator, type EmulatedOrg } from '../emulator';
import { getDeployResult } from '../emulator/metadata/service';
import { rawConnection } from './helpers/raw-connection';
import { NS, poll, classMeta, project, apexClass, deploySource, deployZip, packageXml, waitDeploy, failures, WIDGET, LWC, GREETER, GREETER_TEST } from './helpers/metadata-deploy';

describe('emulator Metadata API through SDR', function () {
  this.timeout(60000);
  let emu: Emulator;
  let prod: EmulatedOrg;
  let dev: EmulatedOrg;
  let prodConn: Connection;
  let devConn: Connection;

  before(async () => {
    emu = await Emulator.start({ orgs: ['prod', 'dev'], settings: { jobStepMs: 20 } });
    prod = emu.org('prod');
    dev = emu.org('dev');
    prodConn = await rawConnection(prod);
    devConn = await rawConnection(dev);
  });
  after(async () => emu?.stop());
  beforeEach(() => emu.reset());

  it('deploys an Apex class, an LWC bundle and a custom object with a field, and retrieves them back unchanged', async () => {
    const files: Record<string, string> = { ...GREETER, ...LWC, ...WIDGET };
    const res = await deploySource(devConn, files);
    assert.equal(res.response.status, 'Succeeded');
    const states = new Set(res.getFileResponses().map((f) => `${f.type}:${f.fullName}:${f.state}`));
    for (const k of ['ApexClass:Greeter:Created', 'LightningComponentBundle:helloCard:Created', 'CustomObject:Widget__c:Created', 'CustomField:Widget__c.Size__c:Created']) {
      assert.ok(states.has(k), `missing ${k} in ${[...states].join(', ')}`);
    }
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ret-'));
    const cs = new ComponentSet([
      { fullName: 'Greeter', type: 'ApexClass' },
      { fullName: 'helloCard', type: 'LightningComponentBundle' },
      { fullName: 'Widget__c', type: 'CustomObject' },
    ]);
    cs.sourceApiVersion = '62.0';
    const ret = await (await cs.retrieve({ usernameOrConnection: devConn, output: out, merge: false })).pollStatus(poll);
    assert.equal(ret.response.status, 'Succeeded');
    const got = new Map(ret.getFileResponses().map((f) => [path.basename(f.filePath ?? ''), f.filePath as string]));
    assert.equal(fs.readFileSync(got.get('Greeter.cls')!, 'utf8'), files['classes/Greeter.cls']);
    assert.equal(fs.readFileSync(got.get('helloCard.js')!, 'utf8'), LWC['lwc/helloCard/helloCard.js']);
    // The object comes back with its field merged in, and SDR decomposes it again.
    const field = fs.readFileSync(got.get('Size__c.field-meta.xml')!, 'utf8');
    assert.match(field, /<fullName>Size__c<\/fullName>[\s\S]*<type>Number<\/type>/);
    assert.match(fs.readFileSync(got.get('Widget__c.object-meta.xml')!, 'utf8'), /<label>Widget<\/label>/);
  });

  it('retrieves by wildcard, a child by Parent.Child, and reports missing members as messages', async () => {
    await deploySource(devConn, { ...GREETER, ...GREETER_TEST, ...WIDGET });
    const cs = new ComponentSet([
      { fullName: '*', type: 'ApexClass' },
      { fullName: 'Widget__c.Size__c', type: 'CustomField' },
      { fullName: 'Missing', type: 'ApexClass' },
    ]);
    cs.sourceApiVersion = '62.0';
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-ret-'));
    const ret = await (await cs.retrieve({ usernameOrConnection: devConn, output: out, merge: false })).pollStatus(poll);
    assert.equal(ret.response.status, 'Succeeded');
    const names = ret.getFileResponses().filter((f) => f.state !== 'Failed').map((f) => `${f.type}:${f.fullName}`);
    assert.ok(names.includes('ApexClass:Greeter') && names.includes('ApexClass:GreeterTest'));
    assert.ok(names.includes('CustomField:Widget__c.Size__c'));
    // A child alone comes in an otherwise empty parent: none of the object's own settings.
    const objectFile = ret.getFileResponses().find((f) => f.type === 'CustomObject')?.filePath;
    assert.ok(objectFile && fs.existsSync(objectFile), 'the parent object\'s file is written');
    assert.doesNotMatch(fs.readFileSync(objectFile, 'utf8'), /<label>Widget<\/label>/);
    const messages = [ret.response.messages ?? []].flat();
    assert.deepEqual(
      messages.map((m) => m.problem),
      ["Entity of type 'ApexClass' named 'Missing' cannot be found"],
    );
  });

  it('fails components with file, line and column: Apex braces, class name, malformed XML, field on a missing object', async () => {
    const res = await deploySource(devConn, {
      ...apexClass('Broken', `public class Broken {\n    public void run() {\n        Integer i = 1;\n\n}\n`),
      ...apexClass('Named', `public class OtherName {\n}\n`),
      'classes/BadMeta.cls': `public class BadMeta {\n}\n`,
      'classes/BadMeta.cls-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="${NS}">\n  <apiVersion>62.0</apiVersion>\n  <status>Active</stat>\n</ApexClass>\n`,
      'objects/Nope__c/fields/Gone__c.field-meta.xml': WIDGET['objects/Widget__c/fields/Size__c.field-meta.xml'].replace(/Size__c/g, 'Gone__c'),
      ...GREETER,
    });
    assert.equal(res.response.status, 'Failed');
    const byName = new Map(failures(res).map((f) => [f.fullName, f]));
    const broken = byName.get('Broken') as FileResponse & { lineNumber?: number; error?: string };
    assert.equal(broken.lineNumber, 6);
    assert.match(broken.error ?? '', /Expecting '\}'/);
    const named = byName.get('Named') as FileResponse & { lineNumber?: number; error?: string };
    assert.equal(named.lineNumber, 1);
    assert.match(named.error ?? '', /OtherName/);
    const meta = byName.get('BadMeta') as FileResponse & { lineNumber?: number; error?: string };
    assert.equal(meta.lineNumber, 4);
    assert.match(meta.error ?? '', /Error parsing file/);
    const field = byName.get('Nope__c.Gone__c') as FileResponse & { error?: string };
    assert.match(field.error ?? '', /no CustomObject named Nope__c found/);
    // rollbackOnError (default): the good class was not saved either.
    assert.equal(dev.store.getComponent('ApexClass', 'Greeter'), undefined);
    const details = getDeployResult(dev, res.response.id)!;
    assert.equal(details.numberComponentErrors, 4);
  });

  it('with rollbackOnError false commits the good components and reports SucceededPartial', async () => {
    const res = await deploySource(devConn, { ...GREETER, ...apexClass('Named', `public class OtherName {\n}\n`) }, { rollbackOnError: false });
    assert.equal(res.response.status, 'SucceededPartial');
    assert.ok(dev.store.getComponent('ApexClass', 'Greeter'));
    assert.equal(dev.store.getComponent('ApexClass', 'Named'), undefined);
  });

  it('fails a zip without package.xml and a package.xml naming components that are not in the zip', async () => {
    const noManifest = await deployZip(devConn, { 'classes/A.cls': 'public class A {}', 'classes/A.cls-meta.xml': classMeta });
    assert.equal(noManifest.response.status, 'Failed');
    const f1 = [noManifest.response.details.componentFailures ?? []].flat();
    assert.equal(f1[0].problem, 'No package.xml found');
    const ghost = await deployZip(devConn, {
      'package.xml': packageXml({ ApexClass: ['A', 'Ghost'] }),
      'classes/A.cls': 'public class A {}',
      'classes/A.cls-meta.xml': classMeta,
    });
    assert.equal(ghost.response.status, 'Failed');
    const f2 = [ghost.response.details.componentFailures ?? []].flat();
    assert.equal(f2.length, 1);
    assert.equal(f2[0].fileName, 'package.xml');
    assert.equal(f2[0].fullName, 'Ghost');
    assert.match(String(f2[0].problem), /named in package\.xml, but was not found in zipped directory/);
  });

  it('runs @isTest methods, reports a failing assertion and fails the deploy', async () => {
    const res = await deploySource(
      devConn,
      {
        ...GREETER,
        ...apexClass(
          'GreeterTest',
          `@isTest\nprivate class GreeterTest {\n    @isTest static void ok() {\n        System.assertEquals('Hello A', Greeter.hello('A'));\n    }\n    static testMethod void broken() {\n        Assert.fail('greeting was wrong');\n    }\n}\n`,
        ),
      },
      { testLevel: 'RunSpecifiedTests', runTests: ['GreeterTest'] },
    );
    assert.equal(res.response.status, 'Failed');
    assert.equal(res.response.numberTestsTotal, 2);
    assert.equal(res.response.numberTestErrors, 1);
    const rtr = res.response.details.runTestResult!;
    const fails = [rtr.failures ?? []].flat();
    assert.equal(fails.length, 1);
    assert.equal(fails[0].methodName, 'broken');
    assert.match(String(fails[0].message), /Assertion Failed: greeting was wrong/);
    assert.match(String(fails[0].stackTrace), /Class\.GreeterTest\.broken: line 7/);
    assert.deepEqual([rtr.successes ?? []].flat().map((s) => s.methodName), ['ok']);
    assert.ok([rtr.codeCoverage ?? []].flat().some((c) => c.name === 'Greeter'));
    assert.equal(dev.store.getComponent('ApexClass', 'Greeter'), undefined);
  });

  it('refuses NoTestRun in production at the deploy call (whatever the package holds), and runs local tests there by default', async () => {
    await assert.rejects(deploySource(prodConn, { ...GREETER }, { testLevel: 'NoTestRun' }), /INVALID_OPERATION: testLevel of NoTestRun cannot be used in production organizations/);
    await assert.rejects(deploySource(prodConn, LWC, { testLevel: 'NoTestRun' }), /NoTestRun cannot be used in production/);
    assert.equal(prod.store.getComponent('ApexClass', 'Greeter'), undefined);
    const ok = await deploySource(prodConn, { ...GREETER, ...GREETER_TEST });
    assert.equal(ok.response.status, 'Succeeded');
    assert.equal(ok.response.numberTestsTotal, 1);
    assert.equal(ok.response.numberTestsCompleted, 1);
  });

  it('cancels a deploy in progress: Canceled, nothing committed', async () => {
    const cs = ComponentSet.fromSource(project({ ...GREETER }));
    cs.sourceApiVersion = '62.0';
    const op = await cs.deploy({ usernameOrConnection: devConn });
    await op.cancel();
    const res = await op.pollStatus(poll);
    assert.equal(res.response.status, 'Canceled');
    assert.equal(dev.store.getComponent('ApexClass', 'Greeter'), undefined);
    assert.equal(dev.store.table('DeployRequest').get(res.response.id)?.Status, 'Canceled');
  });

  it('validates with checkOnly (nothing saved) and quick-deploys the validation by id', async () => {
    const validation = await deploySource(prodConn, { ...GREETER, ...GREETER_TEST }, { checkOnly: true, testLevel: 'RunLocalTests' });
    assert.equal(validation.response.status, 'Succeeded');
    assert.equal(prod.store.getComponent('ApexClass', 'Greeter'), undefined, 'checkOnly persists nothing');
    const quick = new MetadataApiDeploy({ usernameOrConnection: prodConn, id: validation.response.id });
    const newId = await quick.deployRecentValidation();
    assert.notEqual(newId, validation.response.id);
    const res = await new MetadataApiDeploy({ usernameOrConnection: prodConn, id: newId }).pollStatus(poll);
    assert.equal(res.response.status, 'Succeeded');
    assert.equal(res.response.numberTestsTotal, 0, 'a quick deploy does not rerun tests');
    assert.ok(prod.store.getComponent('ApexClass', 'Greeter'));
  });

  it('refuses a quick deploy once another deployment reached the org', async () => {
    const validation = await deploySource(prodConn, { ...GREETER, ...GREETER_TEST }, { checkOnly: true, testLevel: 'RunLocalTests' });
    assert.equal(validation.response.status, 'Succeeded');
    await deploySource(prodConn, LWC);
    await assert.rejects(
      new MetadataApiDeploy({ usernameOrConnection: prodConn, id: validation.response.id }).deployRecentValidation(),
      (e: Error) => /INVALID_ID_FIELD/.test(`${e.name} ${e.message}`) && /There have been deploys in the org since the source validate happened/.test(e.message),
    );
    // A validation that ran no tests is not eligible either.
    const noTests = await deploySource(devConn, LWC, { checkOnly: true });
    await assert.rejects(new MetadataApiDeploy({ usernameOrConnection: devConn, id: noTests.response.id }).deployRecentValidation(), /Source validate did not run tests in the org/);
  });

  it('applies destructive changes; deleting a missing component is a warning that fails unless ignoreWarnings', async () => {
    await deploySource(devConn, { ...GREETER, ...LWC });
    const del = { 'package.xml': packageXml({}), 'destructiveChanges.xml': packageXml({ ApexClass: ['Greeter', 'NotThere'] }) };
    const strict = await deployZip(devConn, del);
    assert.equal(strict.response.status, 'Failed');
    const warn = [strict.response.details.componentFailures ?? []].flat().find((f) => f.fullName === 'NotThere');
    assert.equal(warn?.problemType, 'Warning');
    assert.equal(warn?.problem, 'No ApexClass named: NotThere found');
    assert.ok(dev.store.getComponent('ApexClass', 'Greeter'), 'rolled back');
    const lenient = await deployZip(devConn, del, { ignoreWarnings: true });
    assert.equal(lenient.response.status, 'Succeeded');
    assert.equal(dev.store.getComponent('ApexClass', 'Greeter'), undefined);
    assert.ok(dev.store.getComponent('LightningComponentBundle', 'helloCard'));
    const deleted = [lenient.response.details.componentSuccesses ?? []].flat().find((s) => s.fullName === 'Greeter');
    assert.equal(String(deleted?.deleted), 'true');
  });

  it('listMetadata reports FileProperties whose lastModifiedDate moves with a deploy while createdDate stays', async () => {
    await deploySource(devConn, GREETER);
    const [before] = await devConn.metadata.list([{ type: 'ApexClass' }]);
    assert.equal(before.fullName, 'Greeter');
    assert.equal(before.fileName, 'classes/Greeter.cls');
    assert.equal(before.createdByName, 'Ada Admin');
    assert.equal(before.manageableState, 'unmanaged');
    await new Promise((r) => setTimeout(r, 15));
    await deploySource(devConn, apexClass('Greeter', `public class Greeter {\n    public static String hello(String n) {\n        return 'Hi ' + n;\n    }\n}\n`));
    const [after] = await devConn.metadata.list([{ type: 'ApexClass' }]);
    assert.equal(after.id, before.id);
    assert.equal(after.createdDate, before.createdDate);
    assert.ok(Date.parse(after.lastModifiedDate) > Date.parse(before.lastModifiedDate));
  });

  it('answers describeMetadata and faults on an unknown operation and on a ZipFile that is not base64', async () => {
    const d = await devConn.metadata.describe('62.0');
    const apex = d.metadataObjects.find((o) => o.xmlName === 'ApexClass');
    assert.equal(apex?.directoryName, 'classes');
    assert.equal(apex?.suffix, 'cls');
    const post = (body: string) =>
      fetch(`${dev.instanceUrl}/services/Soap/m/62.0`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml' },
        body: `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${NS}"><soapenv:Header><SessionHeader><sessionId>${dev.admin.accessToken}</sessionId></SessionHeader></soapenv:Header><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`,
      });
    const unknown = await post('<explodeMetadata/>');
    assert.equal(unknown.status, 500);
    assert.match(await unknown.text(), /sf:INVALID_OPERATION/);
    const bad = await post('<deploy><ZipFile>%%% not base64 %%%</ZipFile><DeployOptions/></deploy>');
    assert.equal(bad.status, 500);
    assert.match(await bad.text(), /not valid base64/);
    const garbage = await devConn.metadata.deploy(Buffer.from('this is not a zip'), {});
    const status = await waitDeploy(devConn, garbage.id);
    assert.equal(status.status, 'Failed');
    assert.match(String(status.errorMessage), /zip file could not be read/);
  });

  it('records every deployment as a DeployRequest row', async () => {
    const res = await deploySource(devConn, GREETER);
    const row = dev.store.table('DeployRequest').get(res.response.id)!;
    assert.equal(row.Id.slice(0, 3), '0Af');
    assert.equal(row.Status, 'Succeeded');
    assert.equal(row.CheckOnly, false);
    assert.equal(row.NumberComponentsDeployed, 1);
    assert.equal(row.CreatedById, dev.admin.id);
    assert.match(String(row.CompletedDate), /^\d{4}-\d\d-\d\dT.*\+0000$/);
  });
});

