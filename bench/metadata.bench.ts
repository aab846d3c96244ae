/**
 * Retrieve and deploy of many seeded components through the Salesforce layer (real SDR and
 * @salesforce/core) against the in-process emulator: 2,000 and 10,000 components.
 * Phases per size: list (listMetadata of every type), retrieve (source format, to disk), deploy
 * (the retrieved folder into a second org, NoTestRun).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Emulator } from '../test/emulator';
import { authorizeWithToken, deploy, listComponents, retrieve, type OrgConnection } from '../src/salesforce';
import { withMemorySampling } from './sampler';
import type { Bench, BenchRow } from './types';

/** Status check interval: SDR's default grows to 10 s for big sets, which would measure sleeping. */
const POLL_MS = 250;

function emulatorMs(emu: Emulator): number {
  return emu.orgs.reduce((s, o) => s + o.metadata.stats.handlerMs + o.rest.stats.handlerMs, 0);
}

async function sizeCase(n: number, log: (l: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  const emu = await Emulator.start({ orgs: ['source', 'target'], seed: 1, components: n, settings: { jobStepMs: 20 } });
  log(`${n}: emulator seeded in ${Math.round(performance.now() - t0)} ms`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `changeline-bench-${n}-`));
  try {
    const conns: Record<string, OrgConnection> = {};
    for (const o of emu.info().orgs) conns[o.name] = await authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: `bench-${n}-${o.name}` });

    const measure = async <T>(label: string, fn: () => Promise<T>, notes: (v: T) => BenchRow['notes']): Promise<T> => {
      global.gc?.();
      const before = emulatorMs(emu);
      const { value, peak, wallMs } = await withMemorySampling(fn);
      const row: BenchRow = { case: `${label} ${n}`, wallMs, peakRssMb: peak.rssMb, peakHeapMb: peak.heapMb, emulatorMs: emulatorMs(emu) - before, notes: notes(value) };
      rows.push(row);
      log(`${row.case}: ${Math.round(wallMs)} ms, peak RSS ${Math.round(peak.rssMb)} MB, emulator ${Math.round(row.emulatorMs ?? 0)} ms`);
      return value;
    };

    const listed = await measure('list', () => listComponents(conns.source, undefined, { concurrency: 3 }), (v) => ({ components: v.length }));
    // Retrieve every listed component (folders included); children come with their parents.
    const refs = listed.map((c) => ({ type: c.type, fullName: c.fullName }));
    // A project like the user's: SDR needs sfdx-project.json to merge shared files (CustomLabels).
    fs.writeFileSync(path.join(work, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    const outDir = path.join(work, 'force-app');
    const retrieved = await measure('retrieve', () => retrieve(conns.source, refs, outDir, { pollMs: POLL_MS }), (v) => ({
      requested: refs.length,
      files: v.files.length,
      warnings: v.warnings.length,
    }));
    if (retrieved.files.length === 0) throw new Error('retrieve wrote no files');
    const deployed = await measure('deploy', () => deploy(conns.target, { sourcePaths: [outDir], testLevel: 'NoTestRun', pollMs: POLL_MS }), (v) => ({
      success: v.success,
      components: v.componentsTotal,
      failures: v.failures.length,
    }));
    if (!deployed.success) throw new Error(`deploy of ${n} failed: ${deployed.failures.slice(0, 3).map((f) => `${f.type} ${f.fullName}: ${f.problem}`).join('; ')}`);
  } finally {
    await emu.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

export const bench: Bench = {
  name: 'metadata',
  description: `list, retrieve (source format) and deploy of 2,000 and 10,000 seeded components (poll ${POLL_MS} ms)`,
  async run({ quick, log }) {
    const sizes = quick ? [500] : [2000, 10000];
    const rows: BenchRow[] = [];
    for (const n of sizes) rows.push(...(await sizeCase(n, log)));
    return rows;
  },
};
