/**
 * "Compare environments" on two seeded emulated orgs (real SDR and @salesforce/core), in one run:
 *  1. bare work: list both orgs and retrieve everything from both with SDR in parallel, one
 *     retrieve per org, (a) in metadata format (the zip kept as SDR writes it: the cheapest
 *     possible) and (b) in source format (what `sf project retrieve start` does), vs a first
 *     full compare (goal: compare / bare <= 1.25);
 *  2. a second compare with nothing changed, same cache (goal: second / first < 5%): with the orgs'
 *     source tracking (both are sandboxes with it, as developer sandboxes are), and without it
 *     (as for a production org, which has none: every compare lists the org in full); then one
 *     with a class changed in one org;
 *  3. peak memory of each (the source-format baseline runs last, so its memory does not count
 *     against the compares), and the CPU time of the process (client and emulator share it).
 * Goal 1 is measured CHANGELINE_BENCH_COMPARE_REPEAT times (default 3; --quick: 1), a bare retrieve
 * and a first compare in turn, and the median ratio is reported; the second compares are divided
 * by the median first compare.
 * Size: CHANGELINE_BENCH_COMPARE_SIZE (default 10,000 components per org; --quick: 1,000);
 * CHANGELINE_BENCH_COMPARE_SOURCE=0 skips the source-format baseline; engine
 * tuning: CHANGELINE_BENCH_COMPARE_CHUNK, CHANGELINE_BENCH_COMPARE_CONCURRENCY (default: the engine's).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Emulator } from '../test/emulator';
import { compareEnvironments, MemoryCompareCache, type CompareResult } from '../src/core/compare';
import { authorizeWithToken, compareSide, listComponents, removeAuthorization, retrieve, type OrgConnection } from '../src/salesforce';
import { componentSetOf } from '../src/salesforce/metadata/retrieve';
import { connectionOf } from '../src/salesforce/connection';
import { withMemorySampling } from './sampler';
import { DEFAULT_QUERY, queryRows, SORT_COLUMNS } from '../src/shared/compareTable';
import type { Bench, BenchRow } from './types';

const POLL_MS = 250;
/** listMetadata calls in flight: the compare side's default, so the baseline lists as fast. */
const LIST_CONCURRENCY = 8;

function emulatorMs(emu: Emulator): number {
  return emu.orgs.reduce((s, o) => s + o.metadata.stats.handlerMs + o.rest.stats.handlerMs, 0);
}

/** What a user would do by hand: list the org, retrieve all of it in one request (metadata format). */
async function bareRetrieve(conn: OrgConnection, dir: string): Promise<number> {
  const listed = await listComponents(conn, undefined, { concurrency: LIST_CONCURRENCY });
  const set = componentSetOf(listed.map((c) => ({ type: c.type, fullName: c.fullName })));
  const op = await set.retrieve({ usernameOrConnection: connectionOf(conn), output: dir, format: 'metadata', unzip: false, suppressEvents: true });
  const result = await op.pollStatus(POLL_MS, 30 * 60);
  if (String(result.response.status) !== 'Succeeded') throw new Error(`bare retrieve ended ${String(result.response.status)}`);
  return listed.length;
}

/** The same in SOURCE format, as `sf project retrieve start` does (converted and written to disk). */
async function bareSourceRetrieve(conn: OrgConnection, dir: string): Promise<number> {
  const listed = await listComponents(conn, undefined, { concurrency: LIST_CONCURRENCY });
  fs.writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
  const res = await retrieve(conn, listed.map((c) => ({ type: c.type, fullName: c.fullName })), path.join(dir, 'force-app'), { pollMs: POLL_MS });
  return res.files.length;
}

async function sizeCase(n: number, repeats: number, log: (l: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  const emu = await Emulator.start({ orgs: ['source', 'target'], seed: 1, components: n, settings: { jobStepMs: 20 } });
  log(`${n}: emulator seeded in ${Math.round(performance.now() - t0)} ms`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `changeline-bench-compare-${n}-`));
  const conns: OrgConnection[] = [];
  try {
    for (const o of emu.info().orgs) conns.push(await authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: `bench-cmp-${n}-${o.name}` }));
    const measure = async <T>(label: string, fn: () => Promise<T>, notes: (v: T) => BenchRow['notes']): Promise<BenchRow> => {
      global.gc?.();
      const before = emulatorMs(emu);
      const cpuBefore = process.cpuUsage();
      const { value, peak, wallMs } = await withMemorySampling(fn);
      const cpu = process.cpuUsage(cpuBefore);
      // CPU of the whole process (client and emulator): a steadier figure than wall time on a shared machine.
      const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
      const row: BenchRow = {
        case: `${label} ${n}`,
        wallMs,
        peakRssMb: peak.rssMb,
        peakHeapMb: peak.heapMb,
        emulatorMs: emulatorMs(emu) - before,
        notes: { cpuMs, ...notes(value) },
      };
      rows.push(row);
      log(`${row.case}: ${Math.round(wallMs)} ms (CPU ${cpuMs} ms), peak RSS ${Math.round(peak.rssMb)} MB, heap ${Math.round(peak.heapMb)} MB, emulator ${Math.round(row.emulatorMs ?? 0)} ms`);
      return row;
    };

    const tuning = {
      ...(Number(process.env.CHANGELINE_BENCH_COMPARE_CHUNK) > 0 ? { chunkSize: Number(process.env.CHANGELINE_BENCH_COMPARE_CHUNK) } : {}),
      ...(Number(process.env.CHANGELINE_BENCH_COMPARE_CONCURRENCY) > 0 ? { concurrency: Number(process.env.CHANGELINE_BENCH_COMPARE_CONCURRENCY) } : {}),
    };
    // Goal 1, measured `repeats` times in turn (bare, then a first compare with a new cache), since a
    // single pair varies by a third on this shared machine; the median ratio is the figure.
    const pairs: Array<{ bare: BenchRow; first: BenchRow }> = [];
    let cache!: MemoryCompareCache;
    let sides!: ReturnType<typeof compareSide>[];
    let firstResult: CompareResult | undefined;
    for (let k = 1; k <= repeats; k++) {
      const tag = repeats > 1 ? ` (run ${k} of ${repeats})` : '';
      const bare = await measure(
        `bare list+retrieve both (SDR, parallel)${tag}`,
        () => Promise.all(conns.map((c, i) => bareRetrieve(c, fs.mkdtempSync(path.join(work, `bare-${k}-${i}-`))))),
        (v) => ({ listedSource: v[0], listedTarget: v[1] }),
      );
      cache = new MemoryCompareCache();
      sides = conns.map((c) => compareSide(c, { pollMs: POLL_MS }));
      const first = await measure(
        `compare first${tag}`,
        async () => (firstResult = await compareEnvironments(sides[0], sides[1], { cache, ...tuning })),
        (r) => ({ ...tuning, items: r.items.length, different: r.countsByStatus.different, retrieved: r.retrievedCount, fromCache: r.fromCacheCount }),
      );
      pairs.push({ bare, first });
    }
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    };
    const ratios1 = pairs.map((p) => p.first.wallMs / p.bare.wallMs);
    const firstMs = median(pairs.map((p) => p.first.wallMs));
    const first = pairs[pairs.length - 1].first;
    const second = await measure(
      'compare again, nothing changed',
      () => compareEnvironments(sides[0], sides[1], { cache, ...tuning }),
      (r) => ({ items: r.items.length, retrieved: r.retrievedCount, fromCache: r.fromCacheCount, listing: `${r.listing.source.mode}/${r.listing.target.mode}` }),
    );
    const untrackedSides = conns.map((c) => compareSide(c, { pollMs: POLL_MS, sourceTracking: false }));
    const untracked = await measure(
      'compare again, nothing changed, no source tracking',
      () => compareEnvironments(untrackedSides[0], untrackedSides[1], { cache, ...tuning }),
      (r) => ({ items: r.items.length, retrieved: r.retrievedCount, listing: `${r.listing.source.mode}/${r.listing.target.mode}` }),
    );
    // The untracked compare forgot the kept listings: one compare with source tracking keeps them again.
    await compareEnvironments(sides[0], sides[1], { cache, ...tuning });
    // One class edited in the source org (as a deploy would), then compared with source tracking.
    const src = emu.orgs[0];
    const cls = src.store.listComponents('ApexClass')[0];
    if (!cls) throw new Error('the seeded org has no Apex class');
    const edited = Buffer.from(`public class ${cls.fullName} { /* edited by the bench */ }`).toString('base64');
    const files = Object.fromEntries(Object.entries(cls.files).map(([p, v]) => [p, p.endsWith('.cls') ? edited : v]));
    src.store.commitMetadata([{ type: 'ApexClass', fullName: cls.fullName, files }], [], src.store.identity.users[0].id);
    const oneChange = await measure(
      'compare again, one class changed',
      () => compareEnvironments(sides[0], sides[1], { cache, ...tuning }),
      (r) => ({ retrieved: r.retrievedCount, changes: r.listing.source.changes ?? 0, listing: `${r.listing.source.mode}/${r.listing.target.mode}` }),
    );
    // The panel's table over every row (identical shown): each sort column, then a search, as the webview runs them.
    if (firstResult) {
      const rowsOf = firstResult.items;
      const times = SORT_COLUMNS.map((sort) => {
        const t0 = performance.now();
        queryRows(rowsOf, { ...DEFAULT_QUERY, statuses: [], sort });
        return performance.now() - t0;
      });
      const t0 = performance.now();
      queryRows(rowsOf, { ...DEFAULT_QUERY, statuses: [], text: 'service' });
      const searchMs = performance.now() - t0;
      rows.push({ case: `panel table: slowest sort of all ${rowsOf.length} rows ${n}`, wallMs: Math.max(...times), notes: { searchMs: Math.round(searchMs) } });
      log(`${n}: panel table over ${rowsOf.length} rows: sorts ${times.map((t) => t.toFixed(0)).join('/')} ms, search ${searchMs.toFixed(0)} ms`);
    }
    // Last: its peak memory (SDR converting to source format) would otherwise count against the compares.
    // CHANGELINE_BENCH_COMPARE_SOURCE=0 leaves it out (it takes 10× longer than the rest).
    const bareSource = process.env.CHANGELINE_BENCH_COMPARE_SOURCE === '0' ? undefined : await measure(
      'bare list+retrieve both, source format (SDR, parallel)',
      () => Promise.all(conns.map((c, i) => bareSourceRetrieve(c, fs.mkdtempSync(path.join(work, `src-${i}-`))))),
      (v) => ({ filesSource: v[0], filesTarget: v[1] }),
    );
    const ratio1 = median(ratios1);
    const ratio2 = second.wallMs / firstMs;
    const ratioSource = bareSource ? first.wallMs / bareSource.wallMs : NaN;
    const cpuOf = (r: BenchRow) => Number(r.notes?.cpuMs);
    for (const p of pairs) {
      p.first.notes = {
        ...p.first.notes,
        ratioToBare: Number((p.first.wallMs / p.bare.wallMs).toFixed(2)),
        cpuRatioToBare: Number((cpuOf(p.first) / cpuOf(p.bare)).toFixed(2)),
      };
    }
    first.notes = {
      ...first.notes,
      ...(repeats > 1 ? { medianRatioToBare: Number(ratio1.toFixed(2)) } : {}),
      ...(bareSource ? { ratioToBareSource: Number(ratioSource.toFixed(2)) } : {}),
      goal: '<=1.25',
    };
    second.notes = { ...second.notes, ratioToFirst: Number(ratio2.toFixed(3)), goal: '<0.05' };
    const ratioUntracked = untracked.wallMs / firstMs;
    const ratioOne = oneChange.wallMs / firstMs;
    untracked.notes = { ...untracked.notes, ratioToFirst: Number(ratioUntracked.toFixed(3)) };
    oneChange.notes = { ...oneChange.notes, ratioToFirst: Number(ratioOne.toFixed(3)) };
    const pct = (r: number) => `${(100 * r).toFixed(1)}%`;
    const each = repeats > 1 ? ` (median of ${repeats}: ${ratios1.map((r) => r.toFixed(2)).join(', ')})` : '';
    log(
      `${n}: first compare / bare retrieve = ${ratio1.toFixed(2)}${each} (metadata zip)${bareSource ? `, ${ratioSource.toFixed(2)} (source format)` : ''} (goal <= 1.25); ` +
        `second / first = ${pct(ratio2)} with source tracking (goal < 5%), ${pct(ratioUntracked)} without; one class changed: ${pct(ratioOne)}`,
    );
    if (firstResult && firstResult.items.length === 0) throw new Error('the compare found no components');
  } finally {
    for (const c of conns) await removeAuthorization(c.username).catch(() => undefined);
    await emu.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

export const bench: Bench = {
  name: 'compare',
  description: 'compare two seeded orgs: bare SDR retrieve of both vs first compare vs unchanged re-compare (poll 250 ms)',
  async run({ quick, log }) {
    const env = Number(process.env.CHANGELINE_BENCH_COMPARE_SIZE);
    const n = Number.isInteger(env) && env > 0 ? env : quick ? 1000 : 10_000;
    const r = Number(process.env.CHANGELINE_BENCH_COMPARE_REPEAT);
    const repeats = Number.isInteger(r) && r > 0 ? r : quick ? 1 : 3;
    return sizeCase(n, repeats, log);
  },
};
