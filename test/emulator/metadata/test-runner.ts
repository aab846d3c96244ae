/**
 * Apex tests during a deploy: which tests a test level selects, their outcome (./apex-verdict.ts:
 * they pass unless their source plainly says otherwise), and plausible code coverage with the
 * test level's 75 % rule. Pure.
 */
import { createHash } from 'node:crypto';
import { executableLines, findTests, stripCommentsAndStrings, type ApexTestClass } from './apex';

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

/** A test run: the RunTestResult as the org reports it, and whether coverage meets the level's rule. */
export interface TestRun {
  result: RunTestResult;
  coverageMet: boolean;
  /** Coverage over all the org's Apex (test classes excluded), in percent. */
  orgWideCoverage: number;
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
  level: TestLevel;
  classes: ApexTestClass[];
  /** runTests names that are not test classes in the org or the package. */
  missing: string[];
  total: number;
}

/** Selects the test classes a level runs among the units the org will hold after the deploy. */
export function selectTests(level: TestLevel, units: ApexUnit[], runTests: string[]): PlannedTests {
  if (level === 'NoTestRun') return { level, classes: [], missing: [], total: 0 };
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
  return { level, classes, missing, total: classes.reduce((n, c) => n + c.methods.length, 0) + missing.length };
}

/** Runs the planned tests and computes coverage of the non-test units. */
export function runTests(planned: PlannedTests, units: ApexUnit[]): TestRun {
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
  const coverage = computeCoverage(planned, units);
  return {
    result: {
      numFailures: failures.length,
      numTestsRun: successes.length + failures.length,
      totalTime,
      successes,
      failures,
      codeCoverage: coverage.codeCoverage,
      codeCoverageWarnings: coverage.warnings,
    },
    coverageMet: coverage.met,
    orgWideCoverage: coverage.orgWide,
  };
}

const REQUIRED = 75;

const unitType = (u: ApexUnit) => (u.kind === 'class' ? 'Class' : 'Trigger');

/** The sObject a trigger is on (`trigger X on Account (…)`). */
function triggerObject(source: string): string | undefined {
  return /\btrigger\s+\w+\s+on\s+(\w+)/i.exec(stripCommentsAndStrings(source))?.[1];
}

/** The identifiers a unit's code uses, lower-cased (comments and strings left out). */
function identifiers(source: string): Set<string> {
  return new Set(stripCommentsAndStrings(source).toLowerCase().match(/[a-z_]\w*/g) ?? []);
}

/**
 * The non-test units the tests that ran reach: a class when a test or a reached unit names it; a
 * trigger when a test or a reached unit names its sObject (the trigger fires on that object's
 * DML), and what the trigger names in turn (its handler classes).
 */
function reachedUnits(tests: ApexUnit[], units: ApexUnit[]): Set<ApexUnit> {
  const byName = new Map<string, ApexUnit[]>();
  const add = (key: string, u: ApexUnit) => byName.set(key, [...(byName.get(key) ?? []), u]);
  for (const u of units) {
    if (u.kind === 'class') add(u.name.toLowerCase(), u);
    else {
      const on = triggerObject(u.source);
      if (on) add(on.toLowerCase(), u);
    }
  }
  const reached = new Set<ApexUnit>();
  const queue = [...tests];
  for (let u = queue.pop(); u; u = queue.pop()) {
    for (const word of identifiers(u.source)) {
      for (const next of byName.get(word) ?? []) {
        if (reached.has(next) || tests.includes(next)) continue;
        reached.add(next);
        queue.push(next);
      }
    }
  }
  return reached;
}

/**
 * Coverage of the non-test units by the tests that ran. A unit the tests reach (see reachedUnits)
 * gets a stable 80–100 % of its executable lines, the others 0 %. The test level's rule (what
 * quick deploy and production deploys require): RunSpecifiedTests — each class and trigger in the
 * package at 75 % or more; RunLocalTests and RunAllTestsInOrg — 75 % or more over all the org's
 * Apex, and every trigger in the package covered a little.
 */
function computeCoverage(planned: PlannedTests, units: ApexUnit[]) {
  const codeCoverage: RunTestResult['codeCoverage'] = [];
  const warnings: RunTestResult['codeCoverageWarnings'] = [];
  if (planned.classes.length === 0) return { codeCoverage, warnings, met: false, orgWide: 0 };
  const ran = new Set(planned.classes.map((c) => c.name.toLowerCase()));
  const isTestClass = (u: ApexUnit) => u.kind === 'class' && (ran.has(u.name.toLowerCase()) || findTests(u.name, u.source) !== undefined);
  const testUnits = units.filter((u) => u.kind === 'class' && ran.has(u.name.toLowerCase()));
  const code = units.filter((u) => !isTestClass(u));
  // Through any unit, test helpers (an @isTest data factory) included.
  const reached = reachedUnits(testUnits, units);
  let locations = 0;
  let uncovered = 0;
  let met = true;
  for (const u of code) {
    const covered = reached.has(u);
    const numLocations = Math.max(1, executableLines(u.source));
    const notCovered = covered ? Math.floor((numLocations * ms(u.name, 0, 20)) / 100) : numLocations;
    locations += numLocations;
    uncovered += notCovered;
    if (!covered && !u.inPackage) continue;
    codeCoverage.push({ id: u.id, name: u.name, namespace: '', numLocations, numLocationsNotCovered: notCovered, type: unitType(u) });
    const pct = Math.floor(((numLocations - notCovered) * 100) / numLocations);
    if (!u.inPackage) continue;
    const triggerUncovered = u.kind === 'trigger' && pct === 0;
    if (pct < REQUIRED) {
      if (planned.level === 'RunSpecifiedTests' || triggerUncovered) met = false;
      const needed = triggerUncovered && planned.level !== 'RunSpecifiedTests' ? 1 : REQUIRED;
      warnings.push({
        id: u.id,
        name: u.name,
        namespace: '',
        message: `Test coverage of selected Apex ${unitType(u)} is ${pct}%, at least ${needed}% test coverage is required`,
      });
    }
  }
  const orgWide = locations === 0 ? 100 : Math.floor(((locations - uncovered) * 100) / locations);
  if (planned.level !== 'RunSpecifiedTests' && orgWide < REQUIRED) {
    met = false;
    warnings.push({ id: '', namespace: '', message: `Average test coverage across all Apex Classes and Triggers is ${orgWide}%, at least ${REQUIRED}% test coverage is required.` });
  }
  return { codeCoverage, warnings, met, orgWide };
}
