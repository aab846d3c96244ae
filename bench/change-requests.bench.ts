/**
 * An environment holding 5,000 change requests, in the real VS Code extension host (code-server):
 * time until the Environments tree shows its status groups, and until the whole list is paged in,
 * plus the longest the extension host was blocked meanwhile. Runs the extension-host measurement
 * (test/extension/changeRequestsBench.test.ts) through scripts/run-vscode-tests and reads its figures.
 * On the floor host (VS Code 1.100) unless `--host` names another.
 * Needs `npm run build` and `bash scripts/install-test-deps.sh` (code-server + Chromium).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, VSCODE_HOSTS, vscodeTestsOutput } from '../scripts/host/paths';
import type { Bench, BenchRow } from './types';

const RUNNER = path.join(ROOT, 'out', 'scripts', 'run-vscode-tests.js');

interface Sample {
  groupsMs: number;
  pagedMs: number;
  firstGroupRowsMs: number;
  maxStallMs: number;
  total: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const bench: Bench = {
  name: 'change-requests',
  description: 'an environment with 5,000 change requests: tree groups shown, list fully paged, a CR panel opened (extension host)',
  async run({ quick, log, hosts }): Promise<BenchRow[]> {
    const count = quick ? 1000 : 5000;
    const host = VSCODE_HOSTS[hosts?.[0] ?? 'floor'];
    const FIGURE = path.join(vscodeTestsOutput(host), 'change-requests.json');
    fs.rmSync(FIGURE, { force: true });
    const r = spawnSync(process.execPath, [RUNNER, '--host', host.name, '--grep', 'bench: change requests in the tree', '--timeout-min', '15'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHANGELINE_BENCH_CRS: String(count) },
    });
    if (r.status !== 0 || !fs.existsSync(FIGURE)) throw new Error(`extension-host run failed (exit ${r.status}): ${(r.stdout + r.stderr).slice(-2000)}`);
    const { samples, panelOpenMs, panelSteps } = JSON.parse(fs.readFileSync(FIGURE, 'utf8')) as {
      samples: Sample[];
      panelOpenMs: number[];
      panelSteps: Array<{ readFromOrgMs: number; scriptReadyMs: number }>;
    };
    panelSteps.forEach((p, i) => log(`panel ${i + 1}: CR read from the org after ${p.readFromOrgMs.toFixed(0)} ms, webview script ready after ${p.scriptReadyMs.toFixed(0)} ms, drawn after ${panelOpenMs[i].toFixed(0)} ms`));
    for (const s of samples) log(`groups ${s.groupsMs.toFixed(0)} ms, paged ${s.pagedMs.toFixed(0)} ms, first group rows ${s.firstGroupRowsMs.toFixed(1)} ms, longest stall ${s.maxStallMs.toFixed(0)} ms`);
    const notes = { crs: samples[0].total, runs: samples.length, longestStallMs: Math.round(Math.max(...samples.map((s) => s.maxStallMs))) };
    return [
      { case: `${count} CRs: tree shows status groups (median)`, wallMs: median(samples.map((s) => s.groupsMs)), notes },
      { case: `${count} CRs: list fully paged in (median)`, wallMs: median(samples.map((s) => s.pagedMs)), notes },
      { case: `${count} CRs: rows of the first group built (median)`, wallMs: median(samples.map((s) => s.firstGroupRowsMs)), notes },
      { case: `${count} CRs: open a CR's panel, CR read and sent to it (median)`, wallMs: median(panelSteps.map((p) => p.readFromOrgMs)), notes: { runs: panelOpenMs.length } },
      {
        case: `${count} CRs: open a CR's panel until the webview has drawn it (median)`,
        wallMs: median(panelOpenMs),
        notes: { runs: panelOpenMs.length, slowestMs: Math.round(Math.max(...panelOpenMs)) },
      },
    ];
  },
};
