/**
 * Apex tests during a deploy: which tests a test level selects, their outcome (a method that
 * calls `Assert.fail(` or `System.assert(false` fails), and plausible code coverage. Pure.
 */
import { createHash } from 'node:crypto';
import { executableLines, findTests, type ApexTestClass } from './apex';

export type TestLevel = 'NoTestRun' | 'RunSpecifiedTests' | 'RunLocalTests' | 'RunAllTestsInOrg';
export const TEST_LEVELS: readonly string[] = ['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'];

export interface ApexUnit {
  name: string;
  kind: 'class' | 'trigger';
  source: string;
  id: string;
  /** Part of the deploy package (coverage warnings are about these). */
  inPackage: boolean;
}

export interface TestSuccess {
  id: string;
  methodName: string;
  name: string;
  namespace: string;
  seeAllData: boolean;
  time: number;
}
export interface TestFailure extends TestSuccess {
  message: string;
  stackTrace: string;
  type: 'Class';
}

export interface RunTestResult {
  numFailures: number;
  numTestsRun: number;
  totalTime: number;
  successes: TestSuccess[];
  failures: TestFailure[];
  codeCoverage: Array<Record<string, unknown>>;
  codeCoverageWarnings: Array<Record<string, unknown>>;
}

/** The level that actually applies: the default depends on the org kind and the package. */
export function effectiveTestLevel(requested: string | undefined, isSandbox: boolean, apexInPackage: boolean): TestLevel {
  if (requested && TEST_LEVELS.includes(requested)) return requested as TestLevel;
  return !isSandbox && apexInPackage ? 'RunLocalTests' : 'NoTestRun';
}

function ms(seed: string, lo: number, hi: number): number {
  const h = createHash('md5').update(seed).digest().readUInt32BE(0);
  return lo + (h % (hi - lo + 1));
}

export interface PlannedTests {
  classes: ApexTestClass[];
  /** runTests names that are not test classes in the org or the package. */
  missing: string[];
  total: number;
}

/** Selects the test classes a level runs among the units the org will hold after the deploy. */
export function selectTests(level: TestLevel, units: ApexUnit[], runTests: string[]): PlannedTests {
  if (level === 'NoTestRun') return { classes: [], missing: [], total: 0 };
  const tests = new Map<string, ApexTestClass>();
  for (const u of units) {
    if (u.kind !== 'class') continue;
    const t = findTests(u.name, u.source);
    if (t) tests.set(u.name.toLowerCase(), t);
  }
  let classes: ApexTestClass[];
  const missing: string[] = [];
  if (level === 'RunSpecifiedTests') {
    classes = [];
    for (const name of runTests) {
      const t = tests.get(name.split('.')[0].toLowerCase());
      if (t) classes.push(t);
      else missing.push(name);
    }
  } else {
    classes = [...tests.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  return { classes, missing, total: classes.reduce((n, c) => n + c.methods.length, 0) + missing.length };
}

/** Runs the planned tests and computes coverage of the non-test units. */
export function runTests(planned: PlannedTests, units: ApexUnit[]): RunTestResult {
  const successes: TestSuccess[] = [];
  const failures: TestFailure[] = [];
  const idOf = new Map(units.map((u) => [u.name.toLowerCase(), u.id]));
  let totalTime = 0;
  for (const c of planned.classes) {
    for (const m of c.methods) {
      const time = ms(`${c.name}.${m.name}`, 3, 40);
      totalTime += time;
      const base = { id: idOf.get(c.name.toLowerCase()) ?? '', methodName: m.name, name: c.name, namespace: '', seeAllData: false, time };
      if (m.failure) {
        failures.push({
          ...base,
          message: m.failure.message,
          stackTrace: `Class.${c.name}.${m.name}: line ${m.failure.line}, column ${m.failure.column}`,
          type: 'Class',
        });
      } else {
        successes.push(base);
      }
    }
  }
  for (const name of planned.missing) {
    failures.push({
      id: '',
      methodName: '',
      name,
      namespace: '',
      seeAllData: false,
      time: 0,
      message: `Apex test class '${name}' does not exist or is not a test class`,
      stackTrace: '',
      type: 'Class',
    });
  }
  // Coverage: a unit is covered when a test that ran mentions it by name.
  const ranSources = planned.classes.map((c) => units.find((u) => u.name === c.name)?.source ?? '').join('\n');
  const codeCoverage: RunTestResult['codeCoverage'] = [];
  const codeCoverageWarnings: RunTestResult['codeCoverageWarnings'] = [];
  const testNames = new Set(planned.classes.map((c) => c.name));
  if (planned.classes.length > 0) {
    for (const u of units) {
      if (testNames.has(u.name) || findTests(u.name, u.source)) continue;
      const covered = new RegExp(`\\b${u.name}\\b`).test(ranSources);
      if (!covered && !u.inPackage) continue;
      const numLocations = Math.max(1, executableLines(u.source));
      const notCovered = covered ? Math.floor((numLocations * ms(u.name, 0, 20)) / 100) : numLocations;
      codeCoverage.push({
        id: u.id,
        name: u.name,
        namespace: '',
        numLocations,
        numLocationsNotCovered: notCovered,
        type: u.kind === 'class' ? 'Class' : 'Trigger',
      });
      const pct = Math.floor(((numLocations - notCovered) * 100) / numLocations);
      if (u.inPackage && pct < 75) {
        codeCoverageWarnings.push({
          id: u.id,
          name: u.name,
          namespace: '',
          message: `Test coverage of selected Apex ${u.kind === 'class' ? 'Class' : 'Trigger'} is ${pct}%, at least 75% test coverage is required`,
        });
      }
    }
  }
  return {
    numFailures: failures.length,
    numTestsRun: successes.length + failures.length,
    totalTime,
    successes,
    failures,
    codeCoverage,
    codeCoverageWarnings,
  };
}
