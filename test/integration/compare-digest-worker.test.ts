/**
 * Compare reads retrieve zips in worker threads (src/salesforce/compare/zip-digests.ts) over real
 * @salesforce/core and SDR: the digests are those the same zip gives on the caller's thread, a
 * worker that stops hands its work back, a cancel does not wait for the worker, and a zip that
 * cannot be read is an error that names the org.
 */
import { strict as assert } from 'node:assert';
import { digestComponent } from '../../src/core/compare/component-diff';
import type { ComponentRef } from '../../src/core/compare/types';
import { SalesforceCompareSide, SalesforceError } from '../../src/salesforce';
import { retrieveZip } from '../../src/salesforce/compare/compare-retrieve';
import { compareSide } from '../../src/salesforce/compare/compare-side';
import { connectionOf } from '../../src/salesforce/connection';
import { digestsOfZip, digestWorkerStatus, stopDigestWorkers } from '../../src/salesforce/compare/zip-digests';
import { componentsFromZip } from '../../src/salesforce/compare/compare-zip';
import { startEmulator, type StartedEmulator } from './helpers/emulator';

const key = (r: ComponentRef) => `${r.type}/${r.fullName}`;

describe('compare: retrieve zips read in worker threads', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let refs: ComponentRef[];
  let zip: Buffer;
  /** Fingerprints of the zip's components, read on this thread. */
  let expected: Map<string, string>;

  before(async () => {
    env = await startEmulator({ orgs: ['uat'], seed: 3, components: 300 });
    const side = compareSide(env.conns.uat, { pollMs: 20 });
    refs = (await side.listComponents(undefined, new AbortController().signal)).map((c) => ({ type: c.type, fullName: c.fullName }));
    zip = await retrieveZip(connectionOf(env.conns.uat), refs, { label: 'uat', pollMs: 20, timeoutMs: 60_000, signal: new AbortController().signal });
    expected = new Map((await componentsFromZip(zip)).map((c) => [key(c), digestComponent(c.files).fingerprint]));
  });
  after(async () => {
    await stopDigestWorkers();
    await env?.stop();
  });

  it('gives every component the digest it has when read on this thread, from a worker', async () => {
    const before = digestWorkerStatus();
    const side = compareSide(env.conns.uat, { pollMs: 20 });
    const digested = [...(await side.retrieveDigests!(refs, new AbortController().signal))];
    const after = digestWorkerStatus();
    assert.ok(digested.length > 250, `${digested.length} components`);
    assert.deepEqual(new Map(digested.map((c) => [key(c), c.digest.fingerprint])), expected);
    assert.equal(after.inWorker - before.inWorker, 1, 'the zip went to a worker');
    assert.equal(after.inThread, before.inThread, 'and was not read here');
    assert.match(after.file, /zip-digest-worker\.js$/);
  });

  it('finishes on this thread what a stopped worker had not answered', async () => {
    const before = digestWorkerStatus();
    const pending = digestsOfZip(zip);
    await stopDigestWorkers();
    const digested = await pending;
    assert.deepEqual(new Map(digested.map((c) => [key(c), c.digest.fingerprint])), expected);
    assert.equal(digestWorkerStatus().inThread - before.inThread, 1);
    assert.equal(digestWorkerStatus().workers, 0);
    // The next zip starts a worker again.
    await digestsOfZip(zip);
    assert.equal(digestWorkerStatus().inWorker - before.inWorker, 1);
  });

  it('stops waiting for the worker when cancelled', async () => {
    const ac = new AbortController();
    const pending = digestsOfZip(zip, ac.signal);
    ac.abort(new Error('cancelled by the test'));
    await assert.rejects(pending, /cancelled by the test/);
    // The worker is still good for the next zip.
    assert.equal((await digestsOfZip(zip)).length, expected.size);
  });

  it('says which org sent a zip that cannot be read', async () => {
    const side = new SalesforceCompareSide(env.conns.uat, { pollMs: 20, label: 'UAT' });
    // The org's answer replaced by bytes that are not a zip; the worker reads them.
    (side as unknown as { retrieveZip: () => Promise<Buffer> }).retrieveZip = async () => Buffer.from('this is not a zip file');
    const err = await side.retrieveDigests(refs.slice(0, 3), new AbortController().signal).then(
      () => assert.fail('a broken zip was read'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof SalesforceError, String(err));
    assert.match(err.message, /Reading what was retrieved from "UAT"/);
  });
});
