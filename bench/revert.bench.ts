/**
 * What the snapshot a deploy keeps for a revert adds to a deployment record's deploy: a
 * 2,000-component package (retrieved from the seeded base org, as a record's package) released to
 * a sibling org that has most of the components. Without the snapshot a record's deploy is the
 * overwrite check (the target's listing of the package's types) and the deploy; the snapshot, taken
 * between them, reuses that listing, retrieves the target's versions, builds the snapshot file and
 * stores it with a record in the org holding it (what takeSnapshot does; recording the file id on
 * the record is one small update more). The share is the figure the issue bounds (at most 25 %).
 */
import { Emulator } from '../test/emulator';
import { SILENT_LOG } from '../src/core/log-sink';
import type { Environment } from '../src/core/pipeline';
import * as salesforce from '../src/salesforce';
import { checkOverwrites, type OverwriteReport } from '../src/workflows/deploy/overwrite';
import { runDeploy } from '../src/workflows/deploy/run';
import { OrgSessions } from '../src/workflows/sessions';
import type { WorkflowDeps } from '../src/workflows/types';
import { withMemorySampling } from './sampler';
import type { Bench, BenchRow } from './types';

const POLL_MS = 250;

function emulatorMs(emu: Emulator): number {
  return emu.orgs.reduce((s, o) => s + o.metadata.stats.handlerMs + o.rest.stats.handlerMs, 0);
}

async function sizeCase(n: number, log: (l: string) => void): Promise<BenchRow[]> {
  const emu = await Emulator.start({ orgs: ['source', 'target'], seed: 1, components: n, settings: { jobStepMs: 20 } });
  const rows: BenchRow[] = [];
  try {
    const conns: Record<string, salesforce.OrgConnection> = {};
    for (const o of emu.info().orgs) conns[o.name] = await salesforce.authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: `bench-revert-${n}-${o.name}` });
    const envs: Environment[] = [
      { name: 'Source', org: `bench-revert-${n}-source`, role: 'development' },
      { name: 'Target', org: `bench-revert-${n}-target`, role: 'staging' },
    ];
    const deps: WorkflowDeps = { sessions: new OrgSessions({ environment: (x) => envs.find((e) => e.name === x) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };

    // A record in the holder's org to keep the snapshot with.
    const holder = await salesforce.createRecord(conns.source, 'Account', { Name: 'Deployment holder' });
    // The package: every component of the base org (children come with their parents).
    const refs = (await salesforce.listComponents(conns.source, undefined, { concurrency: 3 })).map((c) => ({ type: c.type, fullName: c.fullName }));
    const pkg = await salesforce.retrievePackageZip(conns.source, refs, { pollMs: POLL_MS });
    const components = salesforce.readPackage({ zip: pkg.zip }).components;
    const types = [...new Set(components.map((c) => c.type))];

    const measure = async <T>(label: string, fn: () => Promise<T>, notes: (v: T) => BenchRow['notes']): Promise<BenchRow> => {
      global.gc?.();
      const before = emulatorMs(emu);
      const { value, peak, wallMs } = await withMemorySampling(fn);
      const row: BenchRow = { case: `${label} ${n}`, wallMs, peakRssMb: peak.rssMb, peakHeapMb: peak.heapMb, emulatorMs: emulatorMs(emu) - before, notes: notes(value) };
      rows.push(row);
      log(`${row.case}: ${Math.round(wallMs)} ms, peak RSS ${Math.round(peak.rssMb)} MB, emulator ${Math.round(row.emulatorMs ?? 0)} ms`);
      return row;
    };

    // What a record's deploy does without the snapshot: the overwrite check (the target's listing), then the deploy.
    let check: OverwriteReport | undefined;
    const checkRow = await measure(
      'overwrite check',
      async () => (check = await checkOverwrites(deps, { targetEnv: 'Target', zip: pkg.zip, retrievedAt: new Date().toISOString() })),
      (v) => ({ checked: v.checked, new: v.newInTarget.length }),
    );
    // The snapshot as takeSnapshot takes it between the check and the deploy.
    const snap = await measure(
      'snapshot',
      async () => {
        const ms: Record<string, number> = {};
        let t = performance.now();
        const lap = (k: string) => {
          const now = performance.now();
          ms[k] = Math.round(now - t);
          t = now;
        };
        // Which components the target has: the overwrite check's listing, the types it did not list listed now.
        const known = new Set(check!.listing!.types);
        const more = types.filter((x) => !known.has(x));
        const listed = [...check!.listing!.components, ...(more.length ? await salesforce.listComponents(conns.target, more) : [])];
        const inTarget = new Set(listed.map((c) => `${c.type}:${c.fullName}`));
        const existed = components.filter((c) => inTarget.has(`${c.type}:${c.fullName}`));
        const absent = components.filter((c) => !inTarget.has(`${c.type}:${c.fullName}`));
        lap('list');
        const r = existed.length ? await salesforce.retrievePackageZip(conns.target, existed, { pollMs: POLL_MS }) : undefined;
        lap('retrieve');
        const file = salesforce.buildSnapshot(r?.zip, { version: 1, target: 'Target', takenAt: new Date().toISOString(), existed, absent });
        lap('build');
        const stored = await salesforce.storePackage(conns.source, holder, file, 'DEP-bench-snapshot');
        lap('store');
        return { bytes: stored.size, problems: r?.problems.length ?? 0, existed: existed.length, absent: absent.length, ms };
      },
      (v) => ({ existed: v.existed, absent: v.absent, bytes: v.bytes, problems: v.problems, ...Object.fromEntries(Object.entries(v.ms).map(([k, x]) => [`${k} ms`, x])) }),
    );
    const dep = await measure(
      'deploy',
      () => runDeploy(deps, { targetEnv: 'Target', zip: pkg.zip, testLevel: 'NoTestRun' }, { pollMs: POLL_MS }),
      (v) => ({ success: v.result.success, components: v.result.componentsTotal, failures: v.result.failures.length }),
    );
    const base = checkRow.wallMs + dep.wallMs;
    const ratio = (100 * snap.wallMs) / base;
    snap.notes = { ...snap.notes, 'share of check+deploy %': Number(ratio.toFixed(1)), bound: '25' };
    log(`snapshot adds ${ratio.toFixed(1)} % to the overwrite check and deploy of ${n} components (${Math.round(base)} ms; bound 25 %)`);
  } finally {
    await emu.stop();
  }
  return rows;
}

export const bench: Bench = {
  name: 'revert',
  description: 'the snapshot a deploy keeps for a revert, against the overwrite check and deploy of a 2,000-component package',
  async run({ quick, log }) {
    return sizeCase(quick ? 500 : 2000, log);
  },
};
