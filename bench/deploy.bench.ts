/**
 * Releasing many components, same run, 2,000 and 10,000 seeded components against the in-process
 * emulator: Changeline's deployment record path (Retrieve Selected Customizations: retrieve, the
 * package stored with the record in the org; then Deploy: the package read back from the org, the
 * overwrite check against the target, the deploy, the result written to the record) against the
 * bare SDR retrieve (metadata-format zip) and deploy of the same components. Target: record path
 * ≤ 1.10× the bare one. Also: turning a validation's 10,000 component errors into Problems entries
 * and panel data, measured as the longest stretch of work without yielding (the extension host
 * must not be blocked for more than 100 ms).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration } from '@salesforce/kit';
import { ComponentSet, MetadataApiDeploy } from '@salesforce/source-deploy-retrieve';
import { SILENT_LOG } from '../src/core/log-sink';
import { parsePipeline, type Pipeline } from '../src/core/pipeline';
import type { ComponentRef } from '../src/core/metadata-types';
import * as salesforce from '../src/salesforce';
import { connectionOf } from '../src/salesforce/connection';
import { retrievePackage } from '../src/workflows/deploy/records';
import { deployRecord } from '../src/workflows/deploy/release';
import { OrgSessions } from '../src/workflows/sessions';
import type { WorkflowDeps } from '../src/workflows/types';
import { Emulator } from '../test/emulator';
import { withMemorySampling } from './sampler';
import type { Bench, BenchRow } from './types';
import { problemsBench } from './deploy-problems';

/** Status check interval for both paths (SDR's default grows to seconds for big sets, which would measure sleeping). */
const POLL_MS = 250;

async function bare(source: salesforce.OrgConnection, target: salesforce.OrgConnection, refs: ComponentRef[], work: string, phase?: (m: string) => void): Promise<{ zipBytes: number; success: boolean }> {
  const cs = new ComponentSet(refs.map((r) => ({ type: r.type, fullName: r.fullName })));
  const out = fs.mkdtempSync(path.join(work, 'bare-'));
  const op = await cs.retrieve({ usernameOrConnection: connectionOf(source), output: out, format: 'metadata', zipFileName: 'unpackaged.zip', unzip: false, singlePackage: true });
  const got = await op.pollStatus({ frequency: Duration.milliseconds(POLL_MS), timeout: Duration.minutes(30) });
  const zip = fs.readdirSync(out).find((f) => f.endsWith('.zip'));
  if (!zip) throw new Error(`the bare retrieve wrote no zip (${JSON.stringify(got.response.messages ?? '').slice(0, 300)})`);
  phase?.('bare retrieved');
  const d = new MetadataApiDeploy({ usernameOrConnection: connectionOf(target), zipPath: path.join(out, zip), apiOptions: { checkOnly: false, rollbackOnError: true, testLevel: 'NoTestRun' } });
  await d.start();
  const res = await d.pollStatus(POLL_MS, 1800);
  return { zipBytes: fs.statSync(path.join(out, zip)).size, success: res.response.success === true || String(res.response.success) === 'true' };
}

async function sizeCase(n: number, log: (l: string) => void): Promise<BenchRow[]> {
  const t0 = performance.now();
  // One source, and one target per path so each deploys into the same starting state.
  const emu = await Emulator.start({ orgs: ['source', 'bare', 'record'], seed: 1, components: n, settings: { jobStepMs: 20 } });
  log(`${n}: emulator seeded in ${Math.round(performance.now() - t0)} ms`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `changeline-bench-deploy-${n}-`));
  const rows: BenchRow[] = [];
  try {
    const conns: Record<string, salesforce.OrgConnection> = {};
    for (const o of emu.info().orgs) conns[o.name] = await salesforce.authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: `benchdep-${n}-${o.name}` });
    const parsed = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Source', org: `benchdep-${n}-source`, role: 'development', next: 'Target' },
          { name: 'Target', org: `benchdep-${n}-record`, role: 'staging', testLevel: 'NoTestRun' },
        ],
      }),
    );
    const pipeline: Pipeline = parsed.pipeline!;
    const deps: WorkflowDeps = {
      sessions: new OrgSessions({ environment: (e) => pipeline.environments.find((x) => x.name === e) }, async () => salesforce),
      salesforce: async () => salesforce,
      log: SILENT_LOG,
    };
    // The components a package carries (folders and children come with their parents; labels with CustomLabels).
    const listed = await salesforce.listComponents(conns.source, undefined, { concurrency: 3 });
    const refs = listed.map((c) => ({ type: c.type, fullName: c.fullName }));
    await salesforce.installTracking(conns.source, { pollMs: 20 });
    const record = await salesforce.createDeployment(conns.source, { crId: '', sourceEnvironment: 'Source', targetEnvironment: 'Target', components: refs, runTests: [], approvers: [], status: 'Approved', testLevel: 'NoTestRun' });

    const measure = async <T>(label: string, fn: () => Promise<T>, notes: (v: T) => BenchRow['notes']): Promise<BenchRow> => {
      global.gc?.();
      const { value, peak, wallMs } = await withMemorySampling(fn);
      const row: BenchRow = { case: `${label} ${n}`, wallMs, peakRssMb: peak.rssMb, peakHeapMb: peak.heapMb, notes: notes(value) };
      rows.push(row);
      log(`${row.case}: ${Math.round(wallMs)} ms, peak RSS ${Math.round(peak.rssMb)} MB`);
      return row;
    };
    const bareRow = await measure('bare SDR retrieve+deploy', () => bare(conns.source, conns.bare, refs, work, process.env.BENCH_PHASES ? (m) => log(`  bare: ${m}`) : undefined), (v) => ({ components: refs.length, zipKb: Math.round(v.zipBytes / 1024), success: v.success }));
    const recRow = await measure(
      'record retrieve→store→deploy',
      async () => {
        let t = performance.now();
        const phase = (m: string) => {
          if (process.env.BENCH_PHASES) log(`  +${Math.round(performance.now() - t)} ms → ${m}`);
          t = performance.now();
        };
        const got = await retrievePackage(deps, 'Source', record.id!, { pollMs: POLL_MS, onProgress: (p) => phase(p.message) });
        if (!got.ok) throw new Error(got.reason);
        phase('retrieved and stored');
        const r = await deployRecord(deps, { env: 'Source', ref: record.id!, pipeline }, { pollMs: POLL_MS, onProgress: (p) => phase(p.message), onStarted: () => phase('deploy started') });
        phase('deployed and recorded');
        return { files: got.result.files.length, success: r.outcome.result.success, status: r.record.status };
      },
      (v) => ({ components: refs.length, files: v.files, success: v.success, status: v.status }),
    );
    recRow.notes = { ...recRow.notes, ratio: Number((recRow.wallMs / bareRow.wallMs).toFixed(2)), target: '≤1.10' };
    log(`${n}: ratio record/bare = ${(recRow.wallMs / bareRow.wallMs).toFixed(2)}`);
  } finally {
    await emu.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

export const bench: Bench = {
  name: 'deploy',
  description: `deployment record path (retrieve → package stored in the org → deploy) vs bare SDR retrieve + deploy, 2,000 and 10,000 components (poll ${POLL_MS} ms); 10,000 validation errors to Problems`,
  async run({ quick, log }) {
    const only = process.env.BENCH_DEPLOY_SIZES?.split(',').map(Number).filter((x) => x > 0);
    const sizes = only?.length ? only : quick ? [500] : [2000, 10000];
    const rows: BenchRow[] = [];
    // The host-thread measure first, before the big cases grow the heap (its GC pauses are not the mapping's).
    rows.push(...(await problemsBench(quick ? 1000 : 10_000, log)));
    for (const n of sizes) rows.push(...(await sizeCase(n, log)));
    return rows;
  },
};
