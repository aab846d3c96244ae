/**
 * What the snapshot a deploy keeps for a revert costs, next to the deploy itself: a 2,000-component
 * package (retrieved from the seeded base org, as a deployment record's package) deployed to a
 * sibling org that has most of the components, against the snapshot taken before it — the target's
 * listing of their types, their versions retrieved, the snapshot file built and stored with a
 * record in the org that holds it (what takeSnapshot does; recording the file id on the record is
 * one small update more). The ratio is the
 * figure the issue bounds (at most 25 %).
 */
import { Emulator } from '../test/emulator';
import { SILENT_LOG } from '../src/core/log-sink';
import type { Environment } from '../src/core/pipeline';
import * as salesforce from '../src/salesforce';
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

    // The package: every component of the base org (children come with their parents).
    const refs = (await salesforce.listComponents(conns.source, undefined, { concurrency: 3 })).map((c) => ({ type: c.type, fullName: c.fullName }));
    const pkg = await salesforce.retrievePackageZip(conns.source, refs, { pollMs: POLL_MS });
    const components = salesforce.readPackage({ zip: pkg.zip }).components;
    const types = [...new Set(components.map((c) => c.type))];
    // A record in the holder's org to keep the snapshot with.
    const holder = await salesforce.createRecord(conns.source, 'Account', { Name: 'Deployment holder' });

    const measure = async <T>(label: string, fn: () => Promise<T>, notes: (v: T) => BenchRow['notes']): Promise<BenchRow> => {
      global.gc?.();
      const before = emulatorMs(emu);
      const { value, peak, wallMs } = await withMemorySampling(fn);
      const row: BenchRow = { case: `${label} ${n}`, wallMs, peakRssMb: peak.rssMb, peakHeapMb: peak.heapMb, emulatorMs: emulatorMs(emu) - before, notes: notes(value) };
      rows.push(row);
      log(`${row.case}: ${Math.round(wallMs)} ms, peak RSS ${Math.round(peak.rssMb)} MB, emulator ${Math.round(row.emulatorMs ?? 0)} ms`);
      return row;
    };

    const snap = await measure(
      'snapshot',
      async () => {
        // Which components the target has (the listing of their types), then their versions.
        const inTarget = new Set((await salesforce.listComponents(conns.target, types)).map((c) => `${c.type}:${c.fullName}`));
        const existed = components.filter((c) => inTarget.has(`${c.type}:${c.fullName}`));
        const absent = components.filter((c) => !inTarget.has(`${c.type}:${c.fullName}`));
        const r = existed.length ? await salesforce.retrievePackageZip(conns.target, existed, { pollMs: POLL_MS }) : undefined;
        const file = salesforce.buildSnapshot(r?.zip, { version: 1, target: 'Target', takenAt: new Date().toISOString(), existed, absent });
        const stored = await salesforce.storePackage(conns.source, holder, file, 'DEP-bench-snapshot');
        return { bytes: stored.size, problems: r?.problems.length ?? 0, existed: existed.length, absent: absent.length };
      },
      (v) => ({ existed: v.existed, absent: v.absent, bytes: v.bytes, problems: v.problems }),
    );
    const dep = await measure(
      'deploy',
      () => runDeploy(deps, { targetEnv: 'Target', zip: pkg.zip, testLevel: 'NoTestRun' }, { pollMs: POLL_MS }),
      (v) => ({ success: v.result.success, components: v.result.componentsTotal, failures: v.result.failures.length }),
    );
    const ratio = (100 * snap.wallMs) / dep.wallMs;
    snap.notes = { ...snap.notes, 'share of deploy %': Number(ratio.toFixed(1)), bound: '25' };
    log(`snapshot adds ${ratio.toFixed(1)} % to the deploy of ${n} components (bound 25 %)`);
  } finally {
    await emu.stop();
  }
  return rows;
}

export const bench: Bench = {
  name: 'revert',
  description: 'the snapshot a deploy keeps for a revert, against the deploy of a 2,000-component package',
  async run({ quick, log }) {
    return sizeCase(quick ? 500 : 2000, log);
  },
};
