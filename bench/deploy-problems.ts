/**
 * A validation that failed with many component errors, turned into what the editor shows: the
 * problems on the package's files (the deploy workflow's mapping, run in the extension host),
 * placed on the workspace files for the Problems panel, and the deployment panel's data. What is
 * measured is the longest stretch the host thread is busy without yielding (target: ≤ 100 ms, so
 * the editor stays responsive; the longest gap between the beats of a 1 ms timer), and the total.
 */
import { componentProblems, problemsInSlices } from '../src/core/deployments/problems';
import { packagePathResolver } from '../src/core/deployments/package-paths';
import type { ComponentFailure, DeployResult } from '../src/core/metadata-types';
import { placeProblems, placeProblemsInSlices } from '../src/views/deployDiagnostics';
import { validationView } from '../src/webviews/deployment/present';
import { validationFactOf } from '../src/workflows/deploy/run';
import type { BenchRow } from './types';

/** A package of `files` Apex classes and `n` failures on them: half at a line and column, half naming a field only. */
function fixture(n: number, files: number): { paths: string[]; texts: Map<string, string>; failures: ComponentFailure[] } {
  const paths: string[] = [];
  const texts = new Map<string, string>();
  for (let i = 0; i < files; i++) {
    const p = `unpackaged/classes/Class${i}.cls`;
    paths.push(p, `${p}-meta.xml`);
    const body = Array.from({ length: 60 }, (_, l) => `    Decimal v${l} = rec.Amount_${l}__c + rec.Total__c; // line ${l + 2}`).join('\n');
    texts.set(p, `public class Class${i} {\n${body}\n}\n`);
  }
  const failures: ComponentFailure[] = [];
  for (let k = 0; k < n; k++) {
    const i = k % files;
    failures.push(
      k % 2 === 0
        ? { type: 'ApexClass', fullName: `Class${i}`, filePath: `unpackaged/classes/Class${i}.cls`, problem: `Variable does not exist: v${k % 60}x`, problemType: 'Error', line: 2 + (k % 60), column: 13 }
        : { type: 'ApexClass', fullName: `Class${i}`, filePath: `unpackaged/classes/Class${i}.cls`, problem: `Field does not exist: Amount_${k % 60}__c on Opportunity`, problemType: 'Error' },
    );
  }
  return { paths, texts, failures };
}

/** Runs `work` with a heartbeat timer: its total time and the longest stretch the thread did not yield (the longest gap between beats). */
async function blocking<T>(work: () => Promise<T>): Promise<{ value: T; totalMs: number; longestMs: number }> {
  let last = performance.now();
  let longest = 0;
  const beat = setInterval(() => {
    const t = performance.now();
    longest = Math.max(longest, t - last);
    last = t;
  }, 1);
  await new Promise((r) => setTimeout(r, 5));
  const started = performance.now();
  const value = await work();
  const totalMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(beat);
  return { value, totalMs, longestMs: longest };
}

export async function problemsBench(n: number, log: (l: string) => void): Promise<BenchRow[]> {
  const { paths, texts, failures } = fixture(n, Math.max(1, Math.round(n / 5)));
  const result = {
    id: '0Af000000000001AAA',
    status: 'Failed',
    success: false,
    checkOnly: true,
    done: true,
    canceled: false,
    componentsTotal: n,
    componentsDone: 0,
    componentErrors: n,
    failures,
    tests: { run: 0, total: 0, done: 0, failures: [] },
    coverage: [],
  } as unknown as DeployResult;
  const textOf = (p: string) => texts.get(p);
  const deployed = paths.map((p) => `/work/project/${p}`);
  const rows: BenchRow[] = [];
  const tick = () => new Promise((r) => setImmediate(r));
  // What the host did before: the mapping and placing in one go.
  const once = await blocking(async () => {
    const problems = componentProblems(result.failures, packagePathResolver(paths), textOf);
    placeProblems(problems, deployed);
    await tick();
    return problems;
  });
  // Now: the mapping in slices, then placing on files and the panel's data.
  const sliced = await blocking(async () => {
    const problems = await problemsInSlices(result.failures, [], packagePathResolver(paths), textOf);
    await tick();
    const placed = await placeProblemsInSlices(problems, deployed);
    await tick();
    const view = validationView(validationFactOf(result, undefined, 'RunLocalTests'), [], { kind: 'validation', result });
    return { problems, placed, view };
  });
  const placedCount = sliced.value.problems.length - sliced.value.placed.unplaced.length;
  log(`problems ${n}: in one go ${Math.round(once.totalMs)} ms (longest block ${once.longestMs.toFixed(1)} ms); sliced ${Math.round(sliced.totalMs)} ms total, longest block ${sliced.longestMs.toFixed(1)} ms (target ≤ 100); ${placedCount} placed on ${sliced.value.placed.byFile.size} files`);
  rows.push({ case: `validation errors → problems, one go ${n}`, wallMs: once.totalMs, notes: { longestBlockMs: Number(once.longestMs.toFixed(1)) } });
  rows.push({
    case: `validation errors → Problems + panel, sliced ${n}`,
    wallMs: sliced.totalMs,
    notes: { longestBlockMs: Number(sliced.longestMs.toFixed(1)), target: '≤100', placed: placedCount, panelRows: sliced.value.view?.componentFailures.length ?? 0 },
  });
  return rows;
}
