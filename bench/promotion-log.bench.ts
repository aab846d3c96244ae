/**
 * The deployment log and the deployments behind through the workflows, against emulated orgs
 * (real @salesforce/core and SDR; the emulator runs in this process, so its time counts too):
 *  1. an environment with 5,000 deployments in its DeployRequest history: the log read and shown
 *     (the workflow, then the panel's rows), and filtered again on the host (goal: under 1 s);
 *  2. 500 deployments to UAT over its 10,000 components (each about twice), Dev seeded with
 *     differences: deployments behind, first run (reads every deployment's components and
 *     fingerprints the components in both orgs) and second run once fingerprinted (goal: under 1 s).
 * Size: CHANGELINE_BENCH_BEHIND_SIZE (default 10,000 components; --quick: 1,000, 100 deployments).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Emulator } from '../test/emulator';
import { DEPLOY_DETAILS_TABLE } from '../test/emulator/metadata/deploy-records';
import type { SRecord } from '../test/emulator/store';
import { SILENT_LOG } from '../src/core/log-sink';
import * as salesforce from '../src/salesforce';
import { EMPTY_FILTER } from '../src/shared/deploymentLogProtocol';
import { FIRST_PAGE, logState, WHOLE_LOG } from '../src/webviews/deploymentLog/present';
import { CompareStore } from '../src/workflows/compare/store';
import { deploymentsBehind } from '../src/workflows/promotion/behind';
import { detailsCache } from '../src/workflows/promotion/history';
import { readDeploymentLog } from '../src/workflows/promotion/log';
import { OrgSessions } from '../src/workflows/sessions';
import { NodeFileStore } from '../src/workflows/storage';
import type { WorkflowDeps } from '../src/workflows/types';
import { withMemorySampling } from './sampler';
import type { Bench, BenchRow } from './types';

const sfDate = (t: number) => new Date(t).toISOString().replace('Z', '+0000');

/** DeployRequest rows (and their kept details) as the emulator writes them for finished deploys. */
function seedHistory(org: ReturnType<Emulator['org']>, count: number, componentsOf: (i: number) => Array<{ type: string; fullName: string }> | undefined): void {
  const admin = org.info().users.find((u) => u.isAdmin)!;
  const table = org.store.table('DeployRequest');
  const details = org.store.table(DEPLOY_DETAILS_TABLE);
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const id = `0Af${String(900_000_000 + i).padStart(12, '0')}AAA`.slice(0, 18);
    const at = now - (count - i) * 60_000; // one a minute, the last a minute ago
    const failed = i % 37 === 5;
    const comps = componentsOf(i) ?? [];
    table.set(id, {
      Id: id,
      Status: failed ? 'Failed' : 'Succeeded',
      StateDetail: null,
      Type: 'Deploy',
      StartDate: sfDate(at),
      CompletedDate: sfDate(at + 20_000),
      CreatedDate: sfDate(at),
      CreatedById: admin.id,
      LastModifiedDate: sfDate(at + 20_000),
      LastModifiedById: admin.id,
      CheckOnly: i % 11 === 3,
      TestLevel: null,
      NumberComponentsTotal: comps.length,
      NumberComponentsDeployed: failed ? 0 : comps.length,
      NumberComponentErrors: failed ? 1 : 0,
      NumberTestsTotal: 0,
      NumberTestsCompleted: 0,
      NumberTestErrors: 0,
      RunTestsEnabled: false,
      RollbackOnError: true,
      IgnoreWarnings: false,
      ErrorMessage: failed ? 'Deployment failed' : null,
      ErrorStatusCode: null,
      CanceledById: null,
    } as SRecord);
    details.set(id, {
      Id: id,
      details: {
        componentSuccesses: comps.map((c) => ({ changed: true, componentType: c.type, created: false, deleted: false, fileName: '', fullName: c.fullName, success: true })),
        componentFailures: [],
      },
    } as unknown as SRecord);
  }
  org.store.recordsChanged();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function authorize(emu: Emulator, prefix: string): Promise<{ deps: WorkflowDeps; aliases: string[] }> /* aliases: the usernames to forget */ {
  const envs: Array<{ name: string; org: string; role: 'development' | 'staging' }> = [];
  const aliases: string[] = [];
  for (const o of emu.info().orgs) {
    const alias = `${prefix}-${o.name}`;
    const conn = await salesforce.authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias });
    aliases.push(conn.username);
    envs.push({ name: o.name === 'dev' ? 'Dev' : o.name === 'uat' ? 'UAT' : 'Busy', org: alias, role: o.name === 'dev' ? 'development' : 'staging' });
  }
  const sessions = new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) as never }, async () => salesforce);
  return { deps: { sessions, salesforce: async () => salesforce, log: SILENT_LOG }, aliases };
}

export const bench: Bench = {
  name: 'promotion-log',
  description: 'deployment log of 5,000 deployments, and deployments behind over 500 deployments × 10,000 components through the workflows (emulated orgs)',
  async run({ quick, log }): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const aliases: string[] = [];
    const emus: Emulator[] = [];
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-bench-promotion-'));
    try {
      // 1. The log of an environment with 5,000 deployments.
      const busy = await Emulator.start({ orgs: ['busy'], seed: 1, components: 200, settings: { jobStepMs: 20 } });
      emus.push(busy);
      const comps = busy.org('busy').store.allComponents().map((c) => ({ type: c.type, fullName: c.fullName }));
      seedHistory(busy.org('busy'), 5000, (i) => comps.slice(i % comps.length, (i % comps.length) + 3));
      const a = await authorize(busy, 'bench-log');
      aliases.push(...a.aliases);
      await a.deps.sessions.get('Busy'); // the connection is opened once, as the tree's check does
      const runs = quick ? 3 : 7;
      const firstMs: number[] = [];
      const shownMs: number[] = [];
      const filterMs: number[] = [];
      let total = 0;
      let shown = 0;
      for (let r = 0; r < runs; r++) {
        global.gc?.();
        // What the panel does: the newest FIRST_PAGE shown at once, then the whole history.
        let t = performance.now();
        const head = await readDeploymentLog(a.deps, 'Busy', { limit: FIRST_PAGE });
        logState('Busy', head.deployments, EMPTY_FILTER, { readAt: head.readAt, notes: head.notes });
        firstMs.push(performance.now() - t);
        t = performance.now();
        const l = await readDeploymentLog(a.deps, 'Busy', { limit: WHOLE_LOG });
        const state = logState('Busy', l.deployments, EMPTY_FILTER, { readAt: l.readAt, notes: l.notes });
        shownMs.push(performance.now() - t);
        total = l.total;
        shown = state.rows.length;
        const f = performance.now();
        logState('Busy', l.deployments, { status: ['failed'], source: 'out-of-band', kind: 'deploys', text: 'admin' }, { readAt: l.readAt, notes: [] });
        filterMs.push(performance.now() - f);
      }
      log(`log: ${total} deployments read, ${shown} rows shown; runs ${runs}`);
      // The first run reads everything from the org (nothing kept yet in this process); later runs ask only for newer rows.
      log(`log: first run (nothing kept): newest ${FIRST_PAGE} in ${Math.round(firstMs[0])} ms, all in ${Math.round(shownMs[0])} ms`);
      rows.push({ case: `deployment log of 5,000 deployments: the newest ${FIRST_PAGE} shown (median)`, wallMs: median(firstMs), notes: { runs, goalMs: 1000, firstRunMs: Math.round(firstMs[0]) } });
      rows.push({ case: 'deployment log of 5,000 deployments: all read and shown (median)', wallMs: median(shownMs), notes: { deployments: total, rowsShown: shown, runs, firstRunMs: Math.round(shownMs[0]), emulatorShare: 'about half (its SOQL over 5,000 rows, per page)' } });
      rows.push({ case: 'deployment log of 5,000 deployments: filtered again on the host (median)', wallMs: median(filterMs), notes: { runs } });

      // 2. Deployments behind: 500 deployments over 10,000 components.
      const size = Number(process.env.CHANGELINE_BENCH_BEHIND_SIZE) || (quick ? 1000 : 10_000);
      const deployments = quick ? 100 : 500;
      const t0 = performance.now();
      const pair = await Emulator.start({ orgs: ['dev', 'uat'], seed: 1, components: size, sourceTracking: true, settings: { jobStepMs: 20 } });
      emus.push(pair);
      log(`behind: ${size} components per org seeded in ${Math.round(performance.now() - t0)} ms`);
      const uatComps = pair.org('uat').store.allComponents().map((c) => ({ type: c.type, fullName: c.fullName }));
      const per = Math.ceil((uatComps.length * 2) / deployments);
      seedHistory(pair.org('uat'), deployments, (i) => Array.from({ length: per }, (_, j) => uatComps[(i * per + j) % uatComps.length]));
      const b = await authorize(pair, 'bench-behind');
      aliases.push(...b.aliases);
      const store = new CompareStore(new NodeFileStore(path.join(work, 'compare')), SILENT_LOG);
      const deps = { ...b.deps, store };
      detailsCache.clear();
      const first = await withMemorySampling(() => deploymentsBehind(deps, 'Dev', 'UAT'));
      log(`behind, first run: ${first.value.count} of ${first.value.history.length} deployments behind, in ${Math.round(first.wallMs)} ms`);
      rows.push({
        case: `deployments behind, first run: ${deployments} deployments × ${uatComps.length} components (reads components, fingerprints both orgs)`,
        wallMs: first.wallMs,
        peakRssMb: first.peak.rssMb,
        peakHeapMb: first.peak.heapMb,
        notes: { behind: first.value.count, deployments: first.value.history.length },
      });
      const again: number[] = [];
      let count = 0;
      for (let r = 0; r < (quick ? 3 : 5); r++) {
        global.gc?.();
        const t = performance.now();
        count = (await deploymentsBehind(deps, 'Dev', 'UAT')).count;
        again.push(performance.now() - t);
      }
      rows.push({
        case: `deployments behind once fingerprinted: ${deployments} deployments × ${uatComps.length} components (median)`,
        wallMs: median(again),
        notes: { behind: count, runs: again.length, goalMs: 1000, ratioToFirst: Math.round((median(again) / first.wallMs) * 1000) / 1000 },
      });
    } finally {
      for (const al of aliases) await salesforce.removeAuthorization(al).catch(() => undefined);
      for (const e of emus) await e.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
    return rows;
  },
};
