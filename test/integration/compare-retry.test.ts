/**
 * A compare rides out a passing server failure: 503s injected into one emulated org in the middle
 * of a compare (while listing, while retrieving) are tried again with backoff, the progress says
 * so, and the result is the one a compare without faults gives. A persistent 503 still ends the
 * compare with today's message. Real @salesforce/core, jsforce and SDR against the emulator.
 */
import { strict as assert } from 'node:assert';
import type { CompareProgress, CompareResult } from '../../src/core/compare';
import { compareOrgs, SalesforceError } from '../../src/salesforce';
import type { Backoff } from '../../src/salesforce/transient';
import { startEmulator, rejection, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

/** The backoff with its waits recorded, not slept: the policy (steps, tries) is the real one. */
function quickBackoff(): Backoff & { waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const statuses = (r: CompareResult) => r.items.map((i) => `${i.type}:${i.fullName} ${i.status}`);
const NOTICE = /^UAT answered 503; retrying in \d+(?:\.\d)? s \((\d) of 4\)$/;

describe('compare over emulated orgs: transient server errors', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let baseline: CompareResult;

  before(async () => {
    env = await startEmulator({ orgs: ['uat', 'dev'], seed: 7, components: 300 });
  });
  afterEach(() => env.org('uat').faults.clear());
  after(async () => env?.stop());

  /** A full compare of UAT with Dev; `inject` sees each progress and may inject faults. */
  function compare(inject?: (p: CompareProgress) => void, progress: CompareProgress[] = [], backoff = quickBackoff()): Promise<CompareResult> {
    return compareOrgs(
      { handle: env.conns.uat, label: 'UAT', backoff },
      { handle: env.conns.dev, label: 'Dev', backoff },
      {
        forceFull: true,
        chunkSize: 100,
        onProgress: (p) => {
          progress.push(p);
          inject?.(p);
        },
      },
    );
  }

  before(async () => {
    baseline = await compare();
    assert.ok(baseline.countsByStatus.different > 0 && baseline.countsByStatus.identical > 100, 'the seeded orgs differ a little');
  });

  it('three 503s while listing: the compare completes with the same result, and the progress says it retried', async () => {
    let injected = false;
    const progress: CompareProgress[] = [];
    const result = await compare((p) => {
      if (!injected && p.phase === 'listing' && p.done > 0) {
        injected = true;
        env.org('uat').faults.failNext(3, 503);
      }
    }, progress);
    assert.ok(injected);
    assert.deepEqual(statuses(result), statuses(baseline));
    const notices = progress.filter((p) => p.notice).map((p) => p.notice!);
    assert.equal(notices.length, 3, notices.join('\n'));
    for (const n of notices) assert.match(n, NOTICE);
    const said = progress.find((p) => p.notice)!;
    assert.equal(said.detail, said.notice, 'the notice is what the progress shows');
    assert.equal(said.phase, 'listing');
  });

  it('three 503s on the retrieve status checks: the same result', async () => {
    let injected = false;
    const progress: CompareProgress[] = [];
    const backoff = quickBackoff();
    const result = await compare((p) => {
      if (!injected && p.phase === 'retrieving') {
        injected = true;
        env.org('uat').faults.failNext(3, 503, undefined, 'checkRetrieveStatus');
      }
    }, progress, backoff);
    assert.equal(env.org('uat').faults.failuresLeft, 0, 'the three faults were answered');
    assert.equal(backoff.waits.length, 3, 'one wait before each new try');
    assert.deepEqual(statuses(result), statuses(baseline));
    const notices = progress.filter((p) => p.notice);
    assert.equal(notices.length, 3);
    assert.ok(notices.every((p) => p.phase === 'retrieving' && NOTICE.test(p.notice!)));
  });

  it('a persistent 503 ends the compare with today\'s message after the bounded tries', async () => {
    const progress: CompareProgress[] = [];
    let injected = false;
    const err = await rejection(
      compare((p) => {
        if (!injected && p.phase === 'listing' && p.done > 0) {
          injected = true;
          env.org('uat').faults.failNext(100_000, 503);
        }
      }, progress),
    );
    assert.ok(err instanceof SalesforceError, err.message);
    assert.equal(err.kind, 'server-error');
    assert.match(err.message, /^Listing .+: "uat" had a server error\. Try again later/);
    const notices = progress.filter((p) => p.notice).map((p) => p.notice!);
    assert.ok(notices.some((n) => n.endsWith('(4 of 4)')), 'it tried four times before giving up');
    assert.ok(!notices.some((n) => /\((?:5|6) of/.test(n)), 'and not more');
  });
});

describe('reads through the Salesforce layer: Retry-After and what is not retried', function () {
  this.timeout(60_000);
  let env: StartedEmulator;
  before(async () => {
    env = await startEmulator({ orgs: ['uat'], seed: 3, components: 20, aliasPrefix: 'retry-' });
  });
  afterEach(() => env.org('uat').faults.clear());
  after(async () => env?.stop());

  it('honours the org\'s Retry-After on a listing and on a query', async () => {
    const { listComponents, query } = await import('../../src/salesforce');
    const said: number[] = [];
    const backoff = quickBackoff();
    env.org('uat').faults.failNext(1, 503, 2);
    const classes = await listComponents(env.conns.uat, ['ApexClass'], { onRetry: (n) => said.push(n.delayMs), backoff });
    assert.ok(classes.length > 0);
    env.org('uat').faults.failNext(1, 503, 2);
    const rows = await query(env.conns.uat, 'SELECT Id FROM User', { onRetry: (n) => said.push(n.delayMs), backoff });
    assert.ok(rows.length > 0);
    assert.deepEqual(said, [2000, 2000], 'said it waits as the org asked, not the 0.5 s step');
    assert.deepEqual(backoff.waits, [2000, 2000], 'and waited so');
  });

  it('a query rides out 503s once per try, not jsforce\'s five tries on top of ours', async () => {
    const { query } = await import('../../src/salesforce');
    const tries: number[] = [];
    env.org('uat').faults.failNext(100, 503);
    const err = await rejection(query(env.conns.uat, 'SELECT Id FROM User', { onRetry: (n) => tries.push(n.attempt), backoff: quickBackoff() }));
    assert.equal((err as SalesforceError).kind, 'server-error');
    assert.deepEqual(tries, [2, 3, 4]);
    assert.equal(100 - env.org('uat').faults.failuresLeft, 4, 'four requests reached the org');
  });

  it('a deploy status check rides out 503s; starting a deploy is not retried', async () => {
    const { deploy, deployStatus } = await import('../../src/salesforce');
    const project = tempProject();
    try {
      writeClass(project, 'RetryProbe', 'public class RetryProbe {}\n');
      const uat = env.org('uat');
      uat.faults.failNext(1, 503, undefined, 'deploy');
      const refused = await rejection(deploy(env.conns.uat, { sourcePaths: [project.dir], testLevel: 'NoTestRun', pollMs: 20 }));
      assert.equal(refused.kind, 'server-error', refused.message);
      assert.match(refused.message, /^Starting the deploy to "retry-uat": "retry-uat" had a server error/);
      assert.equal(uat.faults.failuresLeft, 0);
      const classes = await (await import('../../src/salesforce')).listComponents(env.conns.uat, ['ApexClass']);
      assert.ok(!classes.some((c) => c.fullName === 'RetryProbe'), 'nothing was deployed by a second, silent try');

      const done = await deploy(env.conns.uat, { sourcePaths: [project.dir], testLevel: 'NoTestRun', pollMs: 20 });
      assert.equal(done.success, true);
      const tries: number[] = [];
      uat.faults.failNext(2, 503, undefined, 'checkDeployStatus');
      const status = await deployStatus(env.conns.uat, done.id, { onRetry: (n) => tries.push(n.attempt), backoff: quickBackoff() });
      assert.equal(status.success, true);
      assert.equal(status.id, done.id);
      assert.deepEqual(tries, [2, 3]);
    } finally {
      project.remove();
    }
  });

  it('a write is not retried: one 503 fails a record update at once', async () => {
    const { createRecord, updateRecord, getRecord } = await import('../../src/salesforce');
    const id = await createRecord(env.conns.uat, 'Account', { Name: 'Before' });
    env.org('uat').faults.failNext(1, 503);
    const err = await rejection(updateRecord(env.conns.uat, 'Account', id, { Name: 'After' }));
    assert.equal((err as SalesforceError).kind, 'server-error');
    assert.equal((await getRecord<{ Name: string }>(env.conns.uat, 'Account', id, ['Name'])).Name, 'Before');
  });
});
