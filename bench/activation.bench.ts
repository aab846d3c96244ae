/**
 * Activation time of the extension in the real VS Code extension host (code-server), as measured by
 * `activate()` itself (`activationMs` of the API it returns). Runs the extension-host activation test
 * a few times through scripts/run-vscode-tests and reads the figure that test writes.
 * Needs `npm run build` and `bash scripts/install-test-deps.sh` (code-server + Chromium).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Bench, BenchRow } from './types';

const ROOT = path.resolve(__dirname, '..', '..');
const RUNNER = path.join(ROOT, 'out', 'scripts', 'run-vscode-tests.js');
const FIGURE = path.join(ROOT, 'test-output', 'vscode-tests', 'activation.json');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const bench: Bench = {
  name: 'activation',
  description: 'extension activation time in the VS Code extension host (code-server)',
  async run({ quick, log }): Promise<BenchRow[]> {
    const runs = quick ? 1 : 3;
    const samples: number[] = [];
    let salesforceLoaded = false;
    for (let i = 0; i < runs; i++) {
      fs.rmSync(FIGURE, { force: true });
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [RUNNER, '--grep', 'activates in the fixture workspace'], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0 || !fs.existsSync(FIGURE)) {
        throw new Error(`extension-host run failed (exit ${r.status}): ${(r.stdout + r.stderr).slice(-2000)}`);
      }
      const figure = JSON.parse(fs.readFileSync(FIGURE, 'utf8')) as { activationMs: number; salesforceLoadedAtActivation: boolean };
      const { activationMs } = figure;
      salesforceLoaded ||= figure.salesforceLoadedAtActivation;
      log(`run ${i + 1}: activate() took ${activationMs.toFixed(1)} ms (whole host run ${Date.now() - t0} ms)`);
      samples.push(activationMs);
    }
    return [
      {
        case: `activate() in the extension host, median of ${runs}`,
        wallMs: median(samples),
        notes: { min: Math.round(Math.min(...samples)), max: Math.round(Math.max(...samples)), salesforceLoadedAtActivation: salesforceLoaded },
      },
    ];
  },
};
