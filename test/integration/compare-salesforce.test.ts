/**
 * "Compare environments" end to end on the Salesforce side: the core engine with two
 * SalesforceCompareSide over real @salesforce/core + SDR, against two seeded emulated orgs whose
 * differences are known (seedDifferences). Then a change deployed to one org, compared again
 * with the same cache; then a change request's component list.
 */
import { strict as assert } from 'node:assert';
import { CompareCancelledError, compareEnvironments, MemoryCompareCache, type CompareResult, type ComponentRef } from '../../src/core/compare';
import { compareSide, deploy } from '../../src/salesforce';
import { digestComponent } from '../../src/core/compare';
import { connectionOf } from '../../src/salesforce/connection';
import { retrieveZip } from '../../src/salesforce/compare/compare-retrieve';
import { componentsFromZip } from '../../src/salesforce/compare/compare-zip';
import { seedDifferences } from '../emulator/seed';
import { startEmulator, rejection, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

const SEED = 7;
const COMPONENTS = 300;
const key = (r: ComponentRef) => `${r.type}:${r.fullName}`;
const keys = (refs: readonly ComponentRef[]) => refs.map(key).sort();
const withStatus = (res: CompareResult, status: string) => keys(res.items.filter((i) => i.status === status));

describe('compare environments over emulated orgs (SalesforceCompareSide)', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  const cache = new MemoryCompareCache();
  let first: CompareResult;
  const expected = seedDifferences(SEED, COMPONENTS, 1);

  before(async () => {
    env = await startEmulator({ orgs: ['uat', 'dev'], seed: SEED, components: COMPONENTS });
  });
  after(async () => {
    await env?.stop();
  });

  const sides = () => [compareSide(env.conns.uat, { pollMs: 20 }), compareSide(env.conns.dev, { pollMs: 20 })] as const;

  it('reports exactly the seeded differences; everything else identical', async () => {
    const [uat, dev] = sides();
    const listing: string[] = [];
    first = await compareEnvironments(uat, dev, { cache, chunkSize: 100, onProgress: (p) => p.phase === 'listing' && listing.push(p.detail) });
    // Listing says how far each org is, type by type, then how many components each has.
    assert.ok(listing.some((d) => /: \d+ of \d+ types and folders/.test(d)), listing.slice(0, 5).join('\n'));
    assert.match(listing.at(-1)!, /^Listing .+: \d+ components · .+: \d+ components$/);
    assert.deepEqual(withStatus(first, 'only-in-source'), keys(expected.onlyInBase));
    assert.deepEqual(withStatus(first, 'only-in-target'), keys(expected.onlyInSibling));
    assert.deepEqual(withStatus(first, 'different'), keys(expected.changed));
    const diffs = expected.onlyInBase.length + expected.onlyInSibling.length + expected.changed.length;
    assert.equal(first.countsByStatus.identical, first.items.length - diffs);
    assert.ok(first.countsByStatus.identical > COMPONENTS / 2, `most components identical (got ${first.countsByStatus.identical})`);
    for (const item of first.items.filter((i) => i.status === 'different')) {
      assert.ok(item.differingFiles && item.differingFiles.length > 0, `${key(item)} names its differing files`);
      assert.equal(item.notes, undefined, `${key(item)}: ${String(item.notes)}`);
    }
    // Fields are compared as their own components, with their own files.
    const field = first.items.find((i) => i.type === 'CustomField');
    assert.ok(field, 'custom fields are compared');
    const both = first.countsByStatus.identical + first.countsByStatus.different;
    assert.equal(first.retrievedCount, 2 * both);
    assert.equal(first.fromCacheCount, 0);
  });

  it('splits objects into fields (and labels into labels) the quick way exactly as through the general XML parser', async () => {
    const refs = first.items.filter((i) => i.status !== 'only-in-target').map((i) => ({ type: i.type, fullName: i.fullName }));
    const zip = await retrieveZip(connectionOf(env.conns.uat), refs, { label: 'uat', pollMs: 20, timeoutMs: 60_000, signal: new AbortController().signal });
    const digests = async (generalParser: boolean) =>
      new Map((await componentsFromZip(zip, { generalParser })).map((c) => [key(c), digestComponent(c.files)]));
    const quick = await digests(false);
    const general = await digests(true);
    assert.deepEqual([...quick.keys()].sort(), [...general.keys()].sort());
    assert.deepEqual(quick, general);
    assert.ok([...quick.keys()].filter((k) => k.startsWith('CustomField:')).length > 10, 'fields were split out');
    assert.ok([...quick.keys()].some((k) => k.startsWith('CustomLabel:')), 'labels were split out');
  });

  it('after a deploy to one org, re-retrieves only that component and reports it', async () => {
    const target = first.items.find((i) => i.type === 'ApexClass' && i.status === 'identical');
    assert.ok(target, 'an identical Apex class to change');
    const project = tempProject();
    try {
      writeClass(project, target.fullName, `public class ${target.fullName} {\n    public static Integer answer() {\n        return 42;\n    }\n}\n`);
      const res = await deploy(env.conns.dev, { sourcePaths: [project.dir], testLevel: 'NoTestRun', pollMs: 20 });
      assert.equal(res.success, true);
    } finally {
      project.remove();
    }
    const [uat, dev] = sides();
    const second = await compareEnvironments(uat, dev, { cache, chunkSize: 100 });
    assert.equal(second.retrievedCount, 1, 'only the changed side of the changed component is retrieved');
    assert.equal(second.fromCacheCount, first.retrievedCount - 1);
    const item = second.items.find((i) => key(i) === key(target));
    assert.equal(item?.status, 'different');
    assert.deepEqual(item?.differingFiles, [{ path: `classes/${target.fullName}.cls`, change: 'modified' }]);
    assert.deepEqual(withStatus(second, 'different'), [...keys(expected.changed), key(target)].sort());
  });

  it('compares only a change request\u2019s components, and names those neither org has', async () => {
    const changed = expected.changed[0];
    const removed = expected.onlyInBase[0];
    const same = first.items.find((i) => i.status === 'identical' && i.type !== 'ApexClass')!;
    const ghost = { type: 'ApexClass', fullName: 'NoSuchClass_Anywhere' };
    const [uat, dev] = sides();
    const res = await compareEnvironments(uat, dev, { components: [changed, removed, same, ghost], forceFull: true });
    const want = new Map([
      [key(changed), 'different'],
      [key(removed), 'only-in-source'],
      [key(same), 'identical'],
    ]);
    assert.deepEqual(new Map(res.items.map((i) => [key(i), i.status])), want);
    assert.deepEqual(res.notFound, [ghost]);
    assert.equal(res.retrievedCount, 4, 'the two components present in both orgs, from each org');
  });

  it('refuses an unknown metadata type with a clear error', async () => {
    const [uat] = sides();
    const err = await rejection(Promise.resolve(uat.retrieve([{ type: 'NoSuchType', fullName: 'X' }], new AbortController().signal)));
    assert.equal(err.kind, 'invalid-request');
    assert.match(err.message, /"NoSuchType" is not a metadata type/);
  });

  it('says what to do when the session expires or the org refuses, listing or retrieving', async () => {
    const [, dev] = sides();
    const refs = first.items.filter((i) => i.status === 'identical').slice(0, 5).map((i) => ({ type: i.type, fullName: i.fullName }));
    const signal = new AbortController().signal;
    const devOrg = env.org('dev');
    devOrg.faults.sessionExpired = true;
    try {
      const listing = await rejection(dev.listComponents(undefined, signal));
      assert.equal(listing.kind, 'expired-session', listing.message);
      const retrieving = await rejection(Promise.resolve(dev.retrieve(refs, signal)));
      assert.equal(retrieving.kind, 'expired-session', retrieving.message);
      assert.match(retrieving.message, /dev/);
    } finally {
      devOrg.faults.sessionExpired = false;
    }
    // A SOAP fault other than an expired session is the org's refusal, reported with its reason.
    devOrg.faults.failNext(1, 500);
    const failed = await rejection(Promise.resolve(dev.retrieve(refs, signal)));
    assert.equal(failed.kind, 'server-error', failed.message);
  });

  it('stops when cancelled, with a cancellation error', async () => {
    const [uat, dev] = sides();
    const ctl = new AbortController();
    const run = compareEnvironments(uat, dev, { forceFull: true, signal: ctl.signal, chunkSize: 50, onProgress: (p) => p.phase === 'retrieving' && ctl.abort() });
    const err = await rejection(run);
    assert.ok(err instanceof CompareCancelledError, `cancellation reported as such (got ${err.message})`);
  });

  // Last: the emulated org is not brought back up for later tests.
  it('reports an org that does not answer as unreachable', async () => {
    const [, dev] = sides();
    const refs = first.items.filter((i) => i.status === 'identical').slice(0, 5).map((i) => ({ type: i.type, fullName: i.fullName }));
    await env.org('dev').setDown(true);
    const down = await rejection(Promise.resolve(dev.retrieve(refs, new AbortController().signal)));
    assert.equal(down.kind, 'unreachable', down.message);
    assert.match(down.message, /cannot be reached/);
  });
});
