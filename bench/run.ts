/**
 * Runs every bench module (out/bench/*.bench.js, each exporting `bench`), prints a table and
 * writes JSON to test-output/bench/. Usage: npm run bench [-- NAME_FILTER] [-- --quick] [-- --host floor|latest]
 * (--host: benches that run in VS Code use that host only; `activation` runs on both by default).
 * The Salesforce environment is set up first, as for the integration tests: a throwaway HOME for
 * sf auth files, the generic keychain, no log file, no proxies.
 */
import '../test/integration/setup';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHostName, type HostName } from '../scripts/host/host-name';
import type { Bench, BenchRow } from './types';

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? '-' : n.toFixed(digits);
}

function table(rows: Array<BenchRow & { bench: string }>): string {
  const head = ['bench', 'case', 'wall ms', 'peak RSS MB', 'peak heap MB', 'emulator ms', 'emulator %', 'notes'];
  const body = rows.map((r) => [
    r.bench,
    r.case,
    fmt(r.wallMs),
    fmt(r.peakRssMb),
    fmt(r.peakHeapMb),
    fmt(r.emulatorMs),
    r.emulatorMs === undefined ? '-' : fmt((100 * r.emulatorMs) / r.wallMs, 1),
    Object.entries(r.notes ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const hostAt = args.indexOf('--host');
  const hosts: HostName[] | undefined = hostAt >= 0 ? [parseHostName(args[hostAt + 1] ?? '', '--host')] : undefined;
  const filter = args.find((a, i) => !a.startsWith('--') && !(hostAt >= 0 && i === hostAt + 1));
  const dir = __dirname;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.js'))
    .sort();
  const benches: Bench[] = [];
  for (const f of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, f)) as { bench?: Bench };
    if (mod.bench && (!filter || mod.bench.name.includes(filter))) benches.push(mod.bench);
  }
  if (benches.length === 0) {
    console.error(filter ? `No bench matches "${filter}".` : 'No bench modules found (out/bench/*.bench.js).');
    process.exitCode = 1;
    return;
  }
  const rows: Array<BenchRow & { bench: string }> = [];
  const failures: string[] = [];
  for (const b of benches) {
    console.log(`\n== ${b.name}: ${b.description}`);
    try {
      const out = await b.run({ quick, hosts, log: (l) => console.log(`   ${l}`) });
      rows.push(...out.map((r) => ({ ...r, bench: b.name })));
    } catch (e) {
      failures.push(`${b.name}: ${(e as Error).stack ?? String(e)}`);
      console.error(`   FAILED: ${(e as Error).message}`);
    }
  }
  console.log(`\n${table(rows)}\n`);
  const outDir = path.resolve('test-output', 'bench');
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    totalMemMb: Math.round(os.totalmem() / 2 ** 20),
    quick,
    rows,
    failures,
  };
  const file = path.join(outDir, `bench-${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify(report, null, 2));
  fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(report, null, 2));
  console.log(`Written ${path.relative(process.cwd(), file)}`);
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
