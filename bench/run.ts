/**
 * Runs every bench module (out/bench/*.bench.js, each exporting `bench`), prints a table and
 * writes JSON to test-output/bench/. Usage: npm run bench [-- NAME_FILTER] [-- --quick] [-- --host floor|latest]
 * (--host: benches that run in VS Code use that host only; `activation` runs on both by default).
 * The Salesforce environment is set up first, as for the integration tests: a throwaway HOME for
 * sf auth files, the generic keychain, no log file, no proxies.
 */
import '../test/integration/setup';
import { spawn } from 'node:child_process';
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

/** Runs one bench in a process of its own; resolves with its rows (its log lines go straight to this output). */
function runIsolated(name: string, args: string[]): Promise<BenchRow[]> {
  const rowsOut = path.join(os.tmpdir(), `changeline-bench-${process.pid}-${name}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', __filename, ...args, '--one', name, '--rows-out', rowsOut], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        const rows = fs.existsSync(rowsOut) ? (JSON.parse(fs.readFileSync(rowsOut, 'utf8')) as BenchRow[]) : undefined;
        fs.rmSync(rowsOut, { force: true });
        if (code !== 0 || !rows) reject(new Error(`the ${name} bench's process ended with exit code ${code}`));
        else resolve(rows);
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const hostAt = args.indexOf('--host');
  const hosts: HostName[] | undefined = hostAt >= 0 ? [parseHostName(args[hostAt + 1] ?? '', '--host')] : undefined;
  const valueAt = (flag: string) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);
  const one = valueAt('--one');
  const rowsOut = valueAt('--rows-out');
  const takesValue = new Set(['--host', '--one', '--rows-out']);
  const filter = args.find((a, i) => !a.startsWith('--') && !takesValue.has(args[i - 1]));
  const dir = __dirname;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.js'))
    .sort();
  const benches: Bench[] = [];
  for (const f of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, f)) as { bench?: Bench };
    if (mod.bench && (one ? mod.bench.name === one : !filter || mod.bench.name.includes(filter))) benches.push(mod.bench);
  }
  if (one) {
    // A child of a run of several benches: runs its one bench and hands the rows back.
    const b = benches[0];
    if (!b) throw new Error(`No bench is named "${one}".`);
    console.log(`\n== ${b.name}: ${b.description}`);
    const out = await b.run({ quick, hosts, log: (l) => console.log(`   ${l}`) });
    fs.writeFileSync(rowsOut!, JSON.stringify(out));
    return;
  }
  const childArgs = [...(quick ? ['--quick'] : []), ...(hosts ? ['--host', hosts[0]] : [])];
  if (benches.length === 0) {
    console.error(filter ? `No bench matches "${filter}".` : 'No bench modules found (out/bench/*.bench.js).');
    process.exitCode = 1;
    return;
  }
  const rows: Array<BenchRow & { bench: string }> = [];
  const failures: string[] = [];
  for (const b of benches) {
    if (benches.length === 1) console.log(`\n== ${b.name}: ${b.description}`);
    try {
      const out = benches.length === 1 ? await b.run({ quick, hosts, log: (l) => console.log(`   ${l}`) }) : await runIsolated(b.name, childArgs);
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
