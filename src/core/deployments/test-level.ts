/**
 * Test-level rules of a deployment, as Salesforce applies them: which level runs (the record's,
 * else the target environment's default from the pipeline file, else Salesforce's default), and
 * which choices the target refuses.
 */
import type { Verdict } from '../change-requests/rules';
import type { Environment } from '../pipeline/types';
import { TEST_LEVELS } from '../pipeline/types';
import { isApex, type ComponentRef, type TestLevel } from './model';

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

export interface ResolvedTestLevel {
  level: TestLevel;
  /** Where the level comes from, for the panel ("RunLocalTests (UAT's default)"). */
  source: 'record' | 'environment' | 'salesforce default';
}

/** True when the components include an Apex class or trigger. */
export function hasApex(components: readonly ComponentRef[]): boolean {
  return components.some(isApex);
}

/**
 * The level that runs: the record's choice, else the environment's default, else Salesforce's
 * default (production runs local tests when the package holds Apex; other orgs run none).
 */
export function resolveTestLevel(chosen: TestLevel | undefined, target: Environment, components: readonly ComponentRef[]): ResolvedTestLevel {
  if (chosen) return { level: chosen, source: 'record' };
  if (target.testLevel) return { level: target.testLevel, source: 'environment' };
  const level: TestLevel = target.role === 'production' && hasApex(components) ? 'RunLocalTests' : 'NoTestRun';
  return { level, source: 'salesforce default' };
}

const APEX_PART = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** An Apex class name: letters, digits and single underscores, starting with a letter, not ending with one; optionally `namespace.Name`. */
export function isApexClassName(name: string): boolean {
  const parts = name.split('.');
  return parts.length <= 2 && parts.every((p) => APEX_PART.test(p) && !p.includes('__') && !p.endsWith('_'));
}

export interface TestLevelInput {
  /** The record's choice (absent: the environment's default applies). */
  testLevel?: TestLevel;
  runTests: readonly string[];
  target: Environment;
  components: readonly ComponentRef[];
}

/**
 * Whether the test level (as resolved) may run against the target: a known level; test classes
 * only with RunSpecifiedTests, and that level needs valid class names; production refuses
 * NoTestRun when the package holds Apex.
 */
export function checkTestLevel(input: TestLevelInput): Verdict {
  const { target, runTests } = input;
  if (input.testLevel !== undefined && !(TEST_LEVELS as readonly string[]).includes(input.testLevel)) {
    return no(`"${String(input.testLevel)}" is not a test level; choose ${TEST_LEVELS.join(', ')}.`);
  }
  const { level, source } = resolveTestLevel(input.testLevel, target, input.components);
  const from = source === 'environment' ? ` (${target.name}'s default in the pipeline file)` : '';
  if (level !== 'RunSpecifiedTests' && runTests.length > 0) {
    return no(`Test classes (${runTests.join(', ')}) only run with RunSpecifiedTests, and the test level is ${level}${from}; choose RunSpecifiedTests or clear the test classes.`);
  }
  if (level === 'RunSpecifiedTests') {
    if (runTests.length === 0) return no(`RunSpecifiedTests${from} needs the test classes to run; name at least one (e.g. GreeterTest).`);
    const bad = runTests.filter((n) => !isApexClassName(n));
    if (bad.length) {
      return no(`${bad.map((n) => `"${n}"`).join(', ')} ${bad.length === 1 ? 'is not an Apex class name' : 'are not Apex class names'}: use letters, digits and single underscores, starting with a letter (e.g. GreeterTest).`);
    }
    const seen = new Set<string>();
    for (const n of runTests) {
      const k = n.toLowerCase();
      if (seen.has(k)) return no(`Test class ${n} is listed twice; remove the duplicate.`);
      seen.add(k);
    }
  }
  if (level === 'NoTestRun' && target.role === 'production' && hasApex(input.components)) {
    const apex = input.components.filter(isApex).map((c) => `${c.type} ${c.fullName}`);
    const shown = apex.length > 3 ? `${apex.slice(0, 3).join(', ')} and ${apex.length - 3} more` : apex.join(', ');
    return no(
      `${target.name} is production and the package holds Apex (${shown}), so Salesforce runs tests: NoTestRun${from} is refused there. Choose RunLocalTests, RunSpecifiedTests or RunAllTestsInOrg.`,
    );
  }
  return OK;
}
