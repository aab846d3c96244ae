import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cancelDeploy, deploy, deployStatus, describeTypes, listComponents, quickDeploy, retrieve, type DeployProgress } from '../../src/salesforce';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass, type TempProject } from './helpers/project';

/** Metadata through the real SDR + @salesforce/core against the emulator's SOAP Metadata API. */
describe('salesforce layer: metadata', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let proj: TempProject;
  const poll = { pollMs: 20 };

  before(async () => {
    env = await startEmulator({ orgs: ['prod', 'dev'], seed: 1, components: 80, aliasPrefix: 'md-' });
  });
  after(async () => env?.stop());
  beforeEach(() => {
    proj = tempProject();
  });
  afterEach(() => {
    proj.remove();
    env.org('dev').settings.jobStepMs = 20;
  });

  const dev = () => env.conns.dev;
  const names = (type: string) => env.org('dev').store.listComponents(type).map((c) => c.fullName).sort();

  it('describes the metadata types of the org', async () => {
    const types = await describeTypes(dev());
    const apex = types.find((t) => t.name === 'ApexClass');
    assert.equal(apex?.suffix, 'cls');
    assert.equal(apex?.metaFile, true);
    assert.equal(types.find((t) => t.name === 'Report')?.inFolder, true);
    assert.ok(types.find((t) => t.name === 'CustomObject')?.childXmlNames.includes('CustomField'));
  });

  it('lists components by type, foldered types through their folders', async () => {
    const list = await listComponents(dev(), ['ApexClass', 'Report', 'EmailTemplate', 'CustomObject'], { concurrency: 2 });
    const of = (t: string) => list.filter((c) => c.type === t).map((c) => c.fullName).sort();
    assert.deepEqual(of('ApexClass'), names('ApexClass'));
    assert.deepEqual(of('CustomObject'), names('CustomObject'));
    assert.ok(of('Report').length > 0, 'reports found inside their folder');
    assert.deepEqual(of('Report'), names('Report'));
    assert.ok(of('Report').every((n) => n.startsWith('Sales_Reports/')));
    assert.deepEqual(of('ReportFolder'), ['Sales_Reports']);
    assert.deepEqual(of('EmailTemplate'), names('EmailTemplate'));
    const cls = list.find((c) => c.type === 'ApexClass')!;
    assert.match(cls.fileName, /^classes\/.+\.cls$/);
    assert.ok(cls.lastModifiedByName && cls.lastModifiedDate && cls.id);
  });

  it('lists every type the org describes when no type is given, and rejects unknown types clearly', async () => {
    const [all, types] = await Promise.all([listComponents(dev()), describeTypes(dev())]);
    // Every top-level component the org holds (children such as CustomField are not types of their own).
    const topLevel = new Set(types.map((t) => t.name));
    const expected = env.org('dev').store.allComponents().filter((c) => topLevel.has(c.type) || /Folder$/.test(c.type)).map((c) => `${c.type}:${c.fullName}`).sort();
    assert.ok(expected.length > 20);
    assert.deepEqual(all.map((c) => `${c.type}:${c.fullName}`).sort(), expected);
    const e = await rejection(listComponents(dev(), ['NoSuchType']));
    assert.equal(e.kind, 'invalid-request');
    assert.match(e.message, /NoSuchType/);
  });

  it('retrieves into a folder in source format and warns about missing members', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-retrieve-'));
    try {
      const cls = names('ApexClass')[0];
      const obj = names('CustomObject').find((n) => n.endsWith('__c'))!;
      const statuses: string[] = [];
      const res = await retrieve(
        dev(),
        [
          { type: 'ApexClass', fullName: cls },
          { type: 'CustomObject', fullName: obj },
          { type: 'ApexClass', fullName: 'Does_Not_Exist' },
        ],
        out,
        { ...poll, onProgress: (s) => statuses.push(s) },
      );
      // `out` is a package directory, as with the sf CLI: files land under main/default.
      const clsFile = path.join(out, 'main', 'default', 'classes', `${cls}.cls`);
      assert.ok(fs.existsSync(clsFile), 'class source written');
      assert.ok(fs.existsSync(`${clsFile}-meta.xml`), 'class meta written');
      const stored = env.org('dev').store.listComponents('ApexClass').find((c) => c.fullName === cls)!;
      const body = Object.entries(stored.files).find(([p]) => p.endsWith('.cls'))![1];
      assert.equal(fs.readFileSync(clsFile, 'utf8'), Buffer.from(body, 'base64').toString('utf8'));
      // Source format: objects decomposed into a folder with one file per field.
      const objDir = path.join(out, 'main', 'default', 'objects', obj);
      assert.ok(fs.existsSync(path.join(objDir, `${obj}.object-meta.xml`)));
      const fields = env.org('dev').store.listComponents('CustomField').filter((c) => c.fullName.startsWith(`${obj}.`));
      assert.deepEqual(
        fs.readdirSync(path.join(objDir, 'fields')).sort(),
        fields.map((f) => `${f.fullName.split('.')[1]}.field-meta.xml`).sort(),
      );
      assert.ok(res.files.some((f) => f.filePath === clsFile));
      assert.ok(res.warnings.some((w) => /Does_Not_Exist/.test(w)), JSON.stringify(res.warnings));
      assert.ok(statuses.length > 0);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('retrieves custom labels into the project labels file, and explains when there is no project', async () => {
    const labels = names('CustomLabel').slice(0, 2);
    assert.equal(labels.length, 2);
    const refs = labels.map((fullName) => ({ type: 'CustomLabel', fullName }));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-noproject-'));
    try {
      const e = await rejection(retrieve(dev(), refs, outside, poll));
      assert.equal(e.kind, 'invalid-request');
      assert.match(e.message, /needs a Salesforce DX project/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
    const res = await retrieve(dev(), refs, path.join(proj.root, 'force-app'), poll);
    const file = path.join(proj.dir, 'labels', 'CustomLabels.labels-meta.xml');
    assert.ok(res.files.some((f) => f.filePath === file), JSON.stringify(res.files));
    const xml = fs.readFileSync(file, 'utf8');
    for (const l of labels) assert.ok(xml.includes(`<fullName>${l}</fullName>`), l);
  });

  it('validates with specified tests (nothing changes in the org), then quick-deploys the validation', async () => {
    writeClass(proj, 'Hello', 'public class Hello {\n    public static String greet(String n) {\n        return \'Hello \' + n;\n    }\n}\n');
    writeClass(proj, 'HelloTest', '@isTest\nprivate class HelloTest {\n    @isTest static void greets() {\n        System.assertEquals(\'Hello A\', Hello.greet(\'A\'));\n    }\n}\n');
    const progress: DeployProgress[] = [];
    const v = await deploy(dev(), { sourcePaths: [proj.dir], checkOnly: true, testLevel: 'RunSpecifiedTests', runTests: ['HelloTest'], ...poll, onProgress: (p) => progress.push(p) });
    assert.equal(v.success, true, JSON.stringify(v.failures));
    assert.equal(v.checkOnly, true);
    assert.equal(v.status, 'Succeeded');
    assert.equal(v.tests.run, 1);
    assert.equal(v.componentsTotal, 2);
    assert.ok(v.coverage.some((c) => c.name === 'Hello'), JSON.stringify(v.coverage));
    assert.ok(progress.length > 0 && progress.some((p) => p.componentsTotal === 2));
    assert.ok(!names('ApexClass').includes('Hello'), 'a validation changes nothing');

    const q = await quickDeploy(dev(), v.id, poll);
    assert.equal(q.success, true);
    assert.notEqual(q.id, v.id);
    assert.equal(q.checkOnly, false);
    assert.ok(names('ApexClass').includes('Hello'));
    assert.ok(names('ApexClass').includes('HelloTest'));
    assert.equal((await deployStatus(dev(), q.id)).status, 'Succeeded');
  });

  it('deploys with created/changed outcomes and local file paths', async () => {
    const file = writeClass(proj, 'Counter', 'public class Counter {\n    public Integer n = 0;\n}\n');
    const first = await deploy(dev(), { sourcePaths: [path.dirname(file)], testLevel: 'NoTestRun', ...poll });
    assert.equal(first.success, true, JSON.stringify(first.failures));
    assert.deepEqual(
      first.successes.filter((s) => s.type === 'ApexClass').map((s) => [s.fullName, s.state, s.filePath]),
      [['Counter', 'Created', file]],
    );
    fs.writeFileSync(file, 'public class Counter {\n    public Integer n = 1;\n}\n');
    const second = await deploy(dev(), { sourcePaths: [file], ...poll });
    assert.equal(second.successes.find((s) => s.fullName === 'Counter')?.state, 'Changed');
  });

  it('reports a compile error with file, line and column, and deploys nothing', async () => {
    writeClass(proj, 'GoodOne', 'public class GoodOne {\n}\n');
    const bad = writeClass(proj, 'BadOne', 'public class BadOne {\n    public void run() {\n        Integer x = 1;\n    \n}\n');
    const r = await deploy(dev(), { sourcePaths: [proj.dir], ...poll });
    assert.equal(r.success, false);
    assert.equal(r.status, 'Failed');
    const f = r.failures.find((x) => x.fullName === 'BadOne');
    assert.ok(f, JSON.stringify(r.failures));
    assert.equal(f.filePath, bad);
    assert.equal(f.problemType, 'Error');
    assert.ok(f.line && f.line >= 1 && f.column && f.column >= 1, `line ${f.line} column ${f.column}`);
    assert.ok(f.problem.length > 0);
    assert.ok(!names('ApexClass').includes('GoodOne'), 'rolled back');
  });

  it('reports a failing test with its class, method and message', async () => {
    writeClass(proj, 'Calc', 'public class Calc {\n    public static Integer add(Integer a, Integer b) { return a + b; }\n}\n');
    writeClass(proj, 'CalcTest', '@isTest\nprivate class CalcTest {\n    @isTest static void adds() {\n        System.assertEquals(3, Calc.add(1, 2));\n    }\n    @isTest static void breaks() {\n        Assert.fail(\'deliberately broken\');\n    }\n}\n');
    const r = await deploy(dev(), { sourcePaths: [proj.dir], testLevel: 'RunSpecifiedTests', runTests: ['CalcTest'], ...poll });
    assert.equal(r.success, false);
    assert.equal(r.tests.run, 2);
    assert.equal(r.tests.failures.length, 1);
    assert.equal(r.tests.failures[0].className, 'CalcTest');
    assert.equal(r.tests.failures[0].methodName, 'breaks');
    assert.ok(r.testErrors >= 1);
    assert.ok(!names('ApexClass').includes('Calc'));
  });

  it('cancels a running deploy in the org when the signal aborts', async () => {
    env.org('dev').settings.jobStepMs = 400;
    writeClass(proj, 'Slow', 'public class Slow {\n}\n');
    const ac = new AbortController();
    const progress: DeployProgress[] = [];
    const r = await deploy(dev(), {
      sourcePaths: [proj.dir],
      ...poll,
      signal: ac.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.status === 'InProgress' || progress.length === 2) ac.abort();
      },
    });
    assert.equal(r.canceled, true);
    assert.equal(r.success, false);
    // How long the cancel takes is measured by `npm run bench -- responsiveness`.
    // The org itself reports the deploy cancelled, and nothing was deployed.
    const s = await pollUntil(() => deployStatus(dev(), r.id), (x) => x.status === 'Canceled');
    assert.equal(s.status, 'Canceled');
    assert.ok(!names('ApexClass').includes('Slow'));
  });

  it('cancels a deploy by id', async () => {
    env.org('dev').settings.jobStepMs = 400;
    writeClass(proj, 'Slow2', 'public class Slow2 {\n}\n');
    let id = '';
    const running = deploy(dev(), { sourcePaths: [proj.dir], ...poll, onProgress: () => undefined });
    const s0 = await pollUntil(() => latestDeployId(), (x) => !!x);
    id = s0!;
    await cancelDeploy(dev(), id);
    const r = await running;
    assert.equal(r.status, 'Canceled');
    assert.equal(r.canceled, true);
  });

  it('deletes components with destructive changes (pre and post)', async () => {
    writeClass(proj, 'Doomed', 'public class Doomed {\n}\n');
    writeClass(proj, 'AlsoDoomed', 'public class AlsoDoomed {\n}\n');
    assert.equal((await deploy(dev(), { sourcePaths: [proj.dir], ...poll })).success, true);
    assert.ok(names('ApexClass').includes('Doomed'));
    const proj2 = tempProject();
    try {
      writeClass(proj2, 'Replacement', 'public class Replacement {\n}\n');
      const r = await deploy(dev(), {
        sourcePaths: [proj2.dir],
        destructive: { pre: [{ type: 'ApexClass', fullName: 'AlsoDoomed' }], post: [{ type: 'ApexClass', fullName: 'Doomed' }] },
        ...poll,
      });
      assert.equal(r.success, true, JSON.stringify(r.failures));
      assert.deepEqual(
        r.successes.filter((s) => s.state === 'Deleted').map((s) => s.fullName).sort(),
        ['AlsoDoomed', 'Doomed'],
      );
      const now = names('ApexClass');
      assert.ok(!now.includes('Doomed') && !now.includes('AlsoDoomed') && now.includes('Replacement'));
    } finally {
      proj2.remove();
    }
    // Deletions alone, without any source.
    const onlyDelete = await deploy(dev(), { destructive: { post: [{ type: 'ApexClass', fullName: 'Replacement' }] }, ...poll });
    assert.equal(onlyDelete.success, true, JSON.stringify(onlyDelete.failures));
    assert.ok(!names('ApexClass').includes('Replacement'));
  });

  it('deploys when asked for an API version above the org\'s (SDR lowers it)', async () => {
    writeClass(proj, 'Future', 'public class Future {}\n');
    const r = await deploy(dev(), { sourcePaths: [proj.dir], apiVersion: '66.0', ...poll });
    assert.equal(r.success, true, JSON.stringify(r.failures));
    assert.ok(names('ApexClass').includes('Future'));
  });

  it('stops a retrieve when the signal aborts, as cancelled', async () => {
    env.org('dev').settings.jobStepMs = 400;
    const out = path.join(proj.root, 'force-app');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const e = await rejection(retrieve(dev(), [{ type: 'ApexClass', fullName: names('ApexClass')[0] }], out, { ...poll, signal: ac.signal }));
    assert.equal(e.kind, 'cancelled');
    assert.ok(!fs.existsSync(path.join(proj.dir, 'classes')), 'nothing written');
  });

  it('rejects bad deploy input with clear messages', async () => {
    const missing = await rejection(deploy(dev(), { sourcePaths: [path.join(proj.dir, 'nope')] }));
    assert.equal(missing.kind, 'invalid-request');
    assert.match(missing.message, /does not exist/);
    assert.match((await rejection(deploy(dev(), {}))).message, /Nothing to deploy/);
    writeClass(proj, 'X1', 'public class X1 {}\n');
    assert.match((await rejection(deploy(dev(), { sourcePaths: [proj.dir], testLevel: 'RunSpecifiedTests' }))).message, /needs the test classes/);
    assert.equal((await rejection(quickDeploy(dev(), 'not-an-id'))).kind, 'invalid-request');
    assert.equal((await rejection(retrieve(dev(), [{ type: 'Nope', fullName: 'x' }], proj.root))).kind, 'invalid-request');
  });

  it('surfaces an expired session during a deploy as expired-session', async () => {
    writeClass(proj, 'Late', 'public class Late {}\n');
    env.org('dev').faults.sessionExpired = true;
    try {
      const e = await rejection(deploy(dev(), { sourcePaths: [proj.dir], ...poll }));
      assert.equal(e.kind, 'expired-session');
    } finally {
      env.org('dev').faults.sessionExpired = false;
    }
  });

  async function latestDeployId(): Promise<string | undefined> {
    const { toolingQuery } = await import('../../src/salesforce');
    const rows = await toolingQuery<{ Id: string; Status: string }>(dev(), "SELECT Id, Status FROM DeployRequest WHERE Status = 'InProgress' OR Status = 'Pending'");
    return rows[0]?.Id;
  }
});

async function pollUntil<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await fn();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    v = await fn();
  }
  return v;
}
