/**
 * Activation time of the extension in the real VS Code extension host (code-server), as measured by
 * `activate()` itself (`activationMs` of the API it returns). Runs the extension-host activation test
 * a few times through scripts/run-vscode-tests and reads the figure that test writes. On both VS Code
 * hosts (scripts/host/paths.ts: floor VS Code 1.100/Node 20, latest VS Code 1.139/Node 24) unless
 * `--host` names one; one row per host.
 * Needs `npm run build` and `bash scripts/install-test-deps.sh` (code-server + Chromium).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HOST_NAMES } from '../scripts/host/host-name';
import { ROOT, VSCODE_HOSTS, requireFile, vscodeTestsOutput, type VsCodeHost } from '../scripts/host/paths';
import type { Bench, BenchRow } from './types';

const RUNNER = path.join(ROOT, 'out', 'scripts', 'run-vscode-tests.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const bench: Bench = {
  name: 'activation',
  description: 'extension activation time in the VS Code extension host (code-server)',
  async run({ quick, log, hosts }): Promise<BenchRow[]> {
    const runs = quick ? 1 : 3;
    const chosen = (hosts ?? HOST_NAMES).map((h) => VSCODE_HOSTS[h]);
    for (const host of chosen) requireFile(host.bin, `run \`bash scripts/install-test-deps.sh\` to install the ${host.name} host (or pass --host)`);
    const rows: BenchRow[] = [];
    for (const host of chosen) rows.push(onHost(host, runs, log));
    return rows;
  },
};

function onHost(host: VsCodeHost, runs: number, log: (line: string) => void): BenchRow {
  const figureFile = path.join(vscodeTestsOutput(host), 'activation.json');
  const samples: number[] = [];
  let salesforceLoaded = false;
  for (let i = 0; i < runs; i++) {
    fs.rmSync(figureFile, { force: true });
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [RUNNER, '--host', host.name, '--grep', 'activates in the fixture workspace'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0 || !fs.existsSync(figureFile)) {
      throw new Error(`extension-host run failed (exit ${r.status}): ${(r.stdout + r.stderr).slice(-2000)}`);
    }
    const figure = JSON.parse(fs.readFileSync(figureFile, 'utf8')) as { activationMs: number; salesforceLoadedAtActivation: boolean };
    const { activationMs } = figure;
    salesforceLoaded ||= figure.salesforceLoadedAtActivation;
    log(`VS Code ${host.vscodeVersion} run ${i + 1}: activate() took ${activationMs.toFixed(1)} ms (whole host run ${Date.now() - t0} ms)`);
    samples.push(activationMs);
  }
  return {
    case: `activate() in the extension host of VS Code ${host.vscodeVersion} (Node ${host.nodeMajor}, ${host.name}), median of ${runs}`,
    wallMs: median(samples),
    notes: { min: Math.round(Math.min(...samples)), max: Math.round(Math.max(...samples)), salesforceLoadedAtActivation: salesforceLoaded },
  };
}
