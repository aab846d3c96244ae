/**
 * What the snapshot a deploy keeps for a revert adds to a deployment record's deploy: a
 * 2,000-component package (retrieved from the seeded base org, as a record's package) released to
 * a sibling org that has most of the components, the way release.ts does it, measured with and
 * without the snapshot in alternating rounds:
 * - without: the package read back from the org holding it, the overwrite check (the target's
 *   listing of the package's types), then the deploy;
 * - with: the snapshot's retrieve of the target started first (startSnapshotRetrieve, as release.ts
 *   starts it once the record is read), running while the package is read and checked, then takeSnapshotInto (the check's listing reused, the snapshot file
 *   built and stored with a record in the org holding it, one small update recording it), then the
 *   deploy.
 * The share (median with − median without, over median without) is the figure the issue bounds
 * (at most 25 %). The snapshot's own steps, taken alone, are reported too.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Emulator } from '../test/emulator';
import { SILENT_LOG } from '../src/core/log-sink';
import type { Environment } from '../src/core/pipeline';
import * as salesforce from '../src/salesforce';
import { checkOverwrites } from '../src/workflows/deploy/overwrite';
import { startSnapshotRetrieve, takeSnapshotInto, type SnapshotHolder } from '../src/workflows/deploy/snapshot';
import { runDeploy } from '../src/workflows/deploy/run';
import { OrgSessions } from '../src/workflows/sessions';
import type { WorkflowDeps } from '../src/workflows/types';
import { withMemorySampling } from './sampler';
import type { Bench, BenchRow } from './types';

const POLL_MS = 250;
/** Alternating rounds with and without the snapshot (the median of each is compared). */
const ROUNDS = 5;

type Where = 'in this process' | 'own process';

interface Orgs {
  orgs: Array<{ name: string; accessToken: string; instanceUrl: string }>;
  /** Time spent in the emulator's handlers so far (in this process only). */
  emulatorMs(): number | undefined;
  stop(): Promise<void>;
}

/**
 * The two emulated orgs, in this process (their work shares this thread with the client's) or in
 * a process of their own (as a real org's work runs elsewhere: what the client overlaps is then
 * the org's time, not its own).
 */
async function startOrgs(n: number, where: Where): Promise<Orgs> {
  if (where === 'in this process') {
    const emu = await Emulator.start({ orgs: ['source', 'target'], seed: 1, components: n, settings: { jobStepMs: 20 } });
    return {
      orgs: emu.info().orgs,
      emulatorMs: () => emu.orgs.reduce((s, o) => s + o.metadata.stats.handlerMs + o.rest.stats.handlerMs, 0),
      stop: () => emu.stop(),
    };
  }
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'test', 'emulator', 'cli.js'), '--orgs', 'source,target', '--seed', '1', '--components', String(n), '--job-step-ms', '20'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`the emulator process ended (${code}) before it started`)));
  });
  return {
    orgs: (JSON.parse(line) as { orgs: Orgs['orgs'] }).orgs,
    emulatorMs: () => undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function sizeCase(n: number, where: Where, log: (l: string) => void): Promise<BenchRow[]> {
  const emu = await startOrgs(n, where);
  const emulatorMs = () => emu.emulatorMs();
  const rows: BenchRow[] = [];
  try {
    const conns: Record<string, salesforce.OrgConnection> = {};
    for (const o of emu.orgs) conns[o.name] = await salesforce.authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: `bench-revert-${n}-${where === 'own process' ? 'p' : 'i'}-${o.name}` });
    const envs: Environment[] = [
      { name: 'Source', org: `bench-revert-${n}-${where === 'own process' ? 'p' : 'i'}-source`, role: 'development' },
      { name: 'Target', org: `bench-revert-${n}-${where === 'own process' ? 'p' : 'i'}-target`, role: 'staging' },
    ];
    const deps: WorkflowDeps = { sessions: new OrgSessions({ environment: (x) => envs.find((e) => e.name === x) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };

    // A record in the holder's org to keep the snapshot with.
    const holder = await salesforce.createRecord(conns.source, 'Account', { Name: 'Deployment holder' });
    // The package: every component of the base org (children come with their parents).
    const refs = (await salesforce.listComponents(conns.source, undefined, { concurrency: 3 })).map((c) => ({ type: c.type, fullName: c.fullName }));
    const pkg = await salesforce.retrievePackageZip(conns.source, refs, { pollMs: POLL_MS });
    const components = salesforce.readPackage({ zip: pkg.zip }).components;

    const measure = async <T>(label: string, fn: () => Promise<T>, notes: (v: T) => BenchRow['notes']): Promise<BenchRow> => {
      global.gc?.();
      const before = emulatorMs();
      const { value, peak, wallMs } = await withMemorySampling(fn);
      const row: BenchRow = { case: `${label} ${n}, orgs ${where}`, wallMs, peakRssMb: peak.rssMb, peakHeapMb: peak.heapMb, emulatorMs: before === undefined ? undefined : emulatorMs()! - before, notes: notes(value) };
      rows.push(row);
      log(`${row.case}: ${Math.round(wallMs)} ms, peak RSS ${Math.round(peak.rssMb)} MB${row.emulatorMs === undefined ? '' : `, emulator ${Math.round(row.emulatorMs)} ms`}`);
      return row;
    };

    const holderRef = { id: holder, label: 'the bench holder', fileName: 'DEP-bench-snapshot', fileId: undefined as string | undefined };
    const into: SnapshotHolder<{ ok: true; fileId: string }> = {
      ...holderRef,
      save: async (fact) => {
        // Recording the snapshot on the record: one small update, as recordResult writes it.
        await salesforce.updateRecord(conns.source, 'Account', holder, { Description: JSON.stringify(fact).slice(0, 250) });
        return { ok: true, fileId: fact.fileId };
      },
    };
    // The record's package, kept with it in the org as a record's is: a release reads it back first.
    const storedPackage = await salesforce.storePackage(conns.source, holder, pkg.zip, 'DEP-bench-package');
    const loadPackage = async () => {
      const zip = await salesforce.readStoredPackage(conns.source, storedPackage.contentDocumentId);
      return { zip, contents: salesforce.readPackage({ zip }) };
    };
    const check = (loaded: Awaited<ReturnType<typeof loadPackage>>) =>
      checkOverwrites(deps, { targetEnv: 'Target', zip: loaded.zip, contents: loaded.contents, retrievedAt: new Date().toISOString() });
    const deploy = (zip: Uint8Array) => runDeploy(deps, { targetEnv: 'Target', zip, testLevel: 'NoTestRun' }, { pollMs: POLL_MS });
    // release.ts without the snapshot: the package read back, the overwrite check, the deploy.
    const without = async () => {
      const loaded = await loadPackage();
      await check(loaded);
      return deploy(loaded.zip);
    };
    // release.ts as it is: the snapshot's retrieve started once the record is read, then the same steps with the snapshot kept before the deploy.
    const withSnapshot = async () => {
      const t0 = performance.now();
      const early = await startSnapshotRetrieve(deps, 'Target', components, { pollMs: POLL_MS });
      void early.result.then(() => process.env.BENCH_PHASES && log(`     early retrieve done +${Math.round(performance.now() - t0)} ms`));
      try {
        const loaded = await loadPackage();
        if (process.env.BENCH_PHASES) log(`     package loaded +${Math.round(performance.now() - t0)} ms`);
        const report = await check(loaded);
        if (process.env.BENCH_PHASES) log(`     checked +${Math.round(performance.now() - t0)} ms`);
        const saved = await takeSnapshotInto(deps, { env: 'Source', targetEnv: 'Target', components, listed: report.listing, early, pollMs: POLL_MS }, { ...into, fileId: holderRef.fileId });
        holderRef.fileId = saved.fileId;
        if (process.env.BENCH_PHASES) log(`     snapshot kept +${Math.round(performance.now() - t0)} ms`);
        return deploy(loaded.zip);
      } finally {
        early.cancel();
      }
    };
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const plain: number[] = [];
    const snapped: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = await measure(`check + deploy, round ${round + 1}`, without, (v) => ({ success: v.result.success, components: v.result.componentsTotal }));
      const b = await measure(`check + snapshot + deploy, round ${round + 1}`, withSnapshot, (v) => ({ success: v.result.success, components: v.result.componentsTotal }));
      plain.push(a.wallMs);
      snapped.push(b.wallMs);
    }
    const base = median(plain);
    const share = (100 * (median(snapped) - base)) / base;
    rows.push({ case: `snapshot's share of a record deploy ${n}, orgs ${where}`, wallMs: median(snapped) - base, notes: { 'with ms (median)': Math.round(median(snapped)), 'without ms (median)': Math.round(base), rounds: ROUNDS, 'share %': Number(share.toFixed(1)), bound: '25' } });
    log(`snapshot adds ${share.toFixed(1)} % to the record deploy of ${n} components, orgs ${where} (median of ${ROUNDS}: ${Math.round(median(snapped))} ms with, ${Math.round(base)} ms without; bound 25 %)`);

    // The snapshot's steps alone, for the record (not overlapped with anything).
    const report = await check(await loadPackage());
    await measure(
      'snapshot alone (retrieve, build, store, record)',
      () => takeSnapshotInto(deps, { env: 'Source', targetEnv: 'Target', components, listed: report.listing, pollMs: POLL_MS }, { ...into, fileId: holderRef.fileId }),
      () => ({}),
    );
  } finally {
    await emu.stop();
  }
  return rows;
}

export const bench: Bench = {
  name: 'revert',
  description: 'the snapshot a deploy keeps for a revert, against the overwrite check and deploy of a 2,000-component package',
  async run({ quick, log }) {
    const n = quick ? 500 : 2000;
    return [...(await sizeCase(n, 'in this process', log)), ...(await sizeCase(n, 'own process', log))];
  },
};
