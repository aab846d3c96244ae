/**
 * The command line: `changeline --help` start-up (it must load no Salesforce library), and the CLI's
 * compare of two seeded orgs against the extension's compare workflow run in this process on the
 * same orgs (the same engine, so the ratio should be within noise). Needs `npm run build` (dist/cli.js).
 * Size: CHANGELINE_BENCH_CLI_SIZE (default 10,000 components per org; --quick: 1,000).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SILENT_LOG } from '../src/core/log-sink';
import * as salesforce from '../src/salesforce';
import { compareEnvironments } from '../src/workflows/compare/run';
import { CompareStore } from '../src/workflows/compare/store';
import { OrgSessions } from '../src/workflows/sessions';
import { NodeFileStore } from '../src/workflows/storage';
import { Emulator } from '../test/emulator';
import type { Bench, BenchRow } from './types';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const bench: Bench = {
  name: 'cli',
  description: 'changeline --help start-up; the CLI compare vs the extension compare workflow on the same seeded orgs',
  async run({ quick, log }) {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first.');
    const rows: BenchRow[] = [];
    const help: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await runCli(['--help'], os.tmpdir());
      if (r.code !== 0) throw new Error(`changeline --help exited ${r.code}: ${r.stderr}`);
      help.push(r.ms);
    }
    rows.push({ case: 'changeline --help (median of 7, process start to exit)', wallMs: median(help), notes: { min: Math.round(Math.min(...help)), max: Math.round(Math.max(...help)), bundleKb: Math.round(fs.statSync(CLI).size / 1024) } });

    const env = Number(process.env.CHANGELINE_BENCH_CLI_SIZE);
    const n = Number.isInteger(env) && env > 0 ? env : quick ? 1000 : 10_000;
    const emu = await Emulator.start({ orgs: ['source', 'target'], seed: 3, components: n, settings: { jobStepMs: 20 } });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-bench-cli-'));
    const aliases: string[] = [];
    try {
      for (const o of emu.info().orgs) {
        const conn = await salesforce.authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: `bench-cli-${o.name}` });
        aliases.push(conn.username);
      }
      const environments = [
        { name: 'Source', org: 'bench-cli-source', role: 'development' as const, next: 'Target' },
        { name: 'Target', org: 'bench-cli-target', role: 'staging' as const },
      ];
      fs.mkdirSync(path.join(work, '.changeline'));
      fs.writeFileSync(path.join(work, '.changeline/pipeline.json'), JSON.stringify({ version: 1, environments }));
      const request = { sourceEnv: 'Source', targetEnv: 'Target', scope: {}, scopeLabel: 'All metadata types', full: true };

      const t0 = performance.now();
      const sessions = new OrgSessions({ environment: (name) => environments.find((e) => e.name === name) }, async () => salesforce);
      const { result } = await compareEnvironments({ sessions, salesforce: async () => salesforce, log: SILENT_LOG, store: new CompareStore(new NodeFileStore(path.join(work, 'ext')), SILENT_LOG) }, request);
      const workflowMs = performance.now() - t0;
      rows.push({ case: `compare workflow in-process ${n}`, wallMs: workflowMs, notes: { items: result.items.length, different: result.countsByStatus.different } });

      const cli = await runCli(['--cache-dir', path.join(work, 'cli'), 'compare', '--from', 'Source', '--to', 'Target', '--full', '--json'], work);
      if (cli.code !== 0) throw new Error(`changeline compare exited ${cli.code}: ${cli.stderr}`);
      const doc = JSON.parse(cli.stdout) as { items: unknown[]; counts: { different: number } };
      if (doc.items.length !== result.items.length || doc.counts.different !== result.countsByStatus.different) throw new Error('the CLI and the workflow disagree on the result');
      // The workflow again, with an empty cache as the CLI had: the first run in this process also
      // paid for starting the digest workers and warming the emulator, which the CLI did not.
      const t1 = performance.now();
      await compareEnvironments({ sessions, salesforce: async () => salesforce, log: SILENT_LOG, store: new CompareStore(new NodeFileStore(path.join(work, 'ext2')), SILENT_LOG) }, request);
      const warmMs = performance.now() - t1;
      rows.push({ case: `compare workflow in-process ${n}, again after the CLI (warm, empty cache)`, wallMs: warmMs });
      const ratio = cli.ms / workflowMs;
      const warmRatio = cli.ms / warmMs;
      rows.push({ case: `changeline compare (child process) ${n}`, wallMs: cli.ms, notes: { items: doc.items.length, ratioToWorkflow: Number(ratio.toFixed(2)), ratioToWarmWorkflow: Number(warmRatio.toFixed(2)) } });
      log(`${n}: --help ${Math.round(median(help))} ms; CLI compare / workflow compare = ${ratio.toFixed(2)} (first in this process), ${warmRatio.toFixed(2)} (warm) (same engine; the CLI's figure includes its process start and the Salesforce bundle load; the workflow shares this process's thread with the emulator)`);
    } finally {
      for (const u of aliases) await salesforce.removeAuthorization(u).catch(() => undefined);
      await emu.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
    return rows;
  },
};
