/**
 * Compare reading the orgs' source tracking (Tooling SourceMember) over real @salesforce/core
 * and SDR: a developer sandbox with source tracking is not listed again when nothing changed in
 * it, and only the changed type is listed again after a deploy; production (no source tracking)
 * is listed in full every time.
 */
import { strict as assert } from 'node:assert';
import { compareEnvironments, MemoryCompareCache, type CompareResult } from '../../src/core/compare';
import { compareSide, deploy } from '../../src/salesforce';
import { sourceChangesSince } from '../../src/salesforce/metadata/source-tracking';
import { startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

describe('compare with source tracking (SourceMember) as the change log', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  const cache = new MemoryCompareCache();
  let first: CompareResult;

  before(async () => {
    env = await startEmulator({ orgs: ['prod', 'dev'], seed: 7, components: 300 });
  });
  after(async () => {
    await env?.stop();
  });

  /** Metadata API requests (listMetadata, retrieve, status checks) each org answered during `fn`. */
  async function requestsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; dev: number; prod: number }> {
    const count = () => ({ dev: env.org('dev').metadata.stats.requests, prod: env.org('prod').metadata.stats.requests });
    const before = count();
    const value = await fn();
    const after = count();
    return { value, dev: after.dev - before.dev, prod: after.prod - before.prod };
  }

  const compare = (opts: { sourceTracking?: boolean; forceFull?: boolean } = {}) =>
    compareEnvironments(compareSide(env.conns.dev, { pollMs: 20, sourceTracking: opts.sourceTracking }), compareSide(env.conns.prod, { pollMs: 20 }), {
      cache,
      forceFull: opts.forceFull,
    });

  it('tells a sandbox with source tracking from production, which has none', async () => {
    assert.equal(await sourceChangesSince(env.conns.prod, undefined), undefined);
    const now = await sourceChangesSince(env.conns.dev, undefined);
    assert.ok(now && /^\d+$/.test(now.revision), JSON.stringify(now));
    assert.deepEqual(await sourceChangesSince(env.conns.dev, now.revision), { revision: now.revision, types: [], count: 0 });
  });

  it('lists both orgs in full the first time', async () => {
    const run = await requestsDuring(() => compare());
    first = run.value;
    assert.deepEqual(first.listing, { source: { mode: 'full' }, target: { mode: 'full' } });
    assert.ok(run.dev > 20, `the sandbox was listed (${run.dev} requests)`);
    assert.ok(first.items.length > 200);
  });

  it('with nothing changed, does not list the sandbox again; production is listed again', async () => {
    const run = await requestsDuring(() => compare());
    assert.equal(run.dev, 0, 'no Metadata API request to the sandbox');
    assert.ok(run.prod > 20, `production was listed (${run.prod} requests)`);
    assert.equal(run.value.listing.source.mode, 'tracked');
    assert.equal(run.value.listing.source.changes, 0);
    assert.deepEqual(run.value.listing.target, { mode: 'full' });
    assert.deepEqual(run.value.items, first.items, 'the same answer');
  });

  it('after a deploy to the sandbox, lists again only Apex classes there and reports the change', async () => {
    const cls = first.items.find((i) => i.type === 'ApexClass' && i.status === 'identical');
    assert.ok(cls, 'an identical class to change');
    const project = tempProject();
    try {
      writeClass(project, cls.fullName, `public class ${cls.fullName} {\n    public static Integer answer() {\n        return 7;\n    }\n}\n`);
      writeClass(project, 'BrandNewSinceLastCompare', 'public class BrandNewSinceLastCompare {}\n');
      assert.equal((await deploy(env.conns.dev, { sourcePaths: [project.dir], testLevel: 'NoTestRun', pollMs: 20 })).success, true);
    } finally {
      project.remove();
    }
    const run = await requestsDuring(() => compare());
    const r = run.value;
    const { mode, changes, relistedTypes, listedAt } = r.listing.source;
    assert.deepEqual({ mode, changes, relistedTypes }, { mode: 'tracked', changes: 2, relistedTypes: 1 }, 'two classes changed: one type listed again');
    assert.ok(listedAt && listedAt >= first.startedAt, `the reused listing is the first compare's (${String(listedAt)})`);
    assert.ok(run.dev > 0 && run.dev < 10, `one listMetadata call and one retrieve with its checks (${run.dev} requests)`);
    assert.equal(r.items.find((i) => i.type === 'ApexClass' && i.fullName === cls.fullName)?.status, 'different');
    assert.equal(r.items.find((i) => i.fullName === 'BrandNewSinceLastCompare')?.status, 'only-in-source');
    assert.equal(r.retrievedCount, 1, 'only the edited class, from the sandbox');
  });

  it('with source tracking turned off, or on a full refresh, the sandbox is listed in full', async () => {
    const off = await requestsDuring(() => compare({ sourceTracking: false }));
    assert.ok(off.dev > 20);
    assert.deepEqual(off.value.listing.source, { mode: 'full' });
    const full = await requestsDuring(() => compare({ forceFull: true }));
    assert.ok(full.dev > 20);
    assert.deepEqual(full.value.listing.source, { mode: 'full' });
  });
});
