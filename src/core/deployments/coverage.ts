/**
 * Apex code coverage of a validation or deploy, and Salesforce's 75% rule: with RunLocalTests or
 * RunAllTestsInOrg, 75% org-wide and some coverage of every trigger; with RunSpecifiedTests, 75%
 * for each deployed class and trigger on its own. When it fails, a sentence names the classes.
 */
import type { CodeCoverage } from '../metadata-types';
import type { ComponentRef, CoverageSummary, TestLevel } from './model';

export const REQUIRED_COVERAGE = 75;

/** Covered percent of one class or trigger, from its lines when known (never rounded up to 75). */
export function percentOf(c: CodeCoverage): number {
  return c.linesTotal > 0 ? ((c.linesTotal - c.linesNotCovered) / c.linesTotal) * 100 : c.percent;
}

/** Org-wide percent: as the org reported it, else over all lines of `classes`; undefined without Apex. */
export function orgWideCoverage(summary: CoverageSummary): number | undefined {
  if (summary.orgWide !== undefined) return summary.orgWide;
  const total = summary.classes.reduce((n, c) => n + c.linesTotal, 0);
  if (total === 0) return undefined;
  const notCovered = summary.classes.reduce((n, c) => n + c.linesNotCovered, 0);
  return ((total - notCovered) / total) * 100;
}

/** `62.5%`: one decimal at most, rounded down so 74.96 never reads as 75. */
export function formatPercent(p: number): string {
  return `${Math.floor(p * 10) / 10}%`;
}

export interface CoverageReport {
  /** Classes and triggers, least covered first. */
  rows: CodeCoverage[];
  orgWide?: number;
  ok: boolean;
  /** The classes and triggers the rule finds under 75% (or, for triggers, uncovered). */
  failing: CodeCoverage[];
  /** What failed and what to do, naming the classes; absent when the rule holds. */
  explanation?: string;
}

const isTrigger = (c: CodeCoverage): boolean => c.type.toLowerCase().includes('trigger');
const named = (rows: readonly CodeCoverage[], max = 5): string => {
  const shown = rows.slice(0, max).map((c) => `${c.name} (${formatPercent(percentOf(c))})`);
  return rows.length > max ? `${shown.join(', ')} and ${rows.length - max} more` : shown.join(', ');
};

/**
 * The coverage of a run checked against the rule of its test level. `deployedApex` (the package's
 * Apex classes and triggers) is what RunSpecifiedTests checks; classes without a coverage row
 * (test classes) are not counted, as Salesforce does not count them.
 */
export function coverageReport(summary: CoverageSummary, level: TestLevel, deployedApex: readonly ComponentRef[] = []): CoverageReport {
  const rows = [...summary.classes].sort((a, b) => percentOf(a) - percentOf(b) || a.name.localeCompare(b.name));
  const orgWide = orgWideCoverage(summary);
  if (level === 'NoTestRun') return { rows, orgWide, ok: true, failing: [] };
  if (level === 'RunSpecifiedTests') {
    const deployed = new Set(deployedApex.map((c) => `${c.type === 'ApexTrigger' ? 't' : 'c'}:${c.fullName.toLowerCase()}`));
    const failing = rows.filter((c) => deployed.has(`${isTrigger(c) ? 't' : 'c'}:${c.name.toLowerCase()}`) && percentOf(c) < REQUIRED_COVERAGE);
    if (failing.length === 0) return { rows, orgWide, ok: true, failing };
    return {
      rows,
      orgWide,
      ok: false,
      failing,
      explanation:
        `With RunSpecifiedTests, each deployed class and trigger needs ${REQUIRED_COVERAGE}% coverage on its own from the named tests: ` +
        `${named(failing)} ${failing.length === 1 ? 'is' : 'are'} under it. Add tests that cover ${failing.length === 1 ? 'it' : 'them'}, or name the test classes that do.`,
    };
  }
  const sentences: string[] = [];
  const failing: CodeCoverage[] = [];
  if (orgWide !== undefined && orgWide < REQUIRED_COVERAGE) {
    const under = rows.filter((c) => percentOf(c) < REQUIRED_COVERAGE);
    failing.push(...under);
    sentences.push(
      `Org-wide coverage is ${formatPercent(orgWide)}, under the ${REQUIRED_COVERAGE}% Salesforce requires with ${level}` +
        (under.length ? `; under ${REQUIRED_COVERAGE}%: ${named(under)}. Add tests that exercise them.` : '.'),
    );
  }
  const bare = rows.filter((c) => isTrigger(c) && percentOf(c) <= 0);
  if (bare.length) {
    for (const t of bare) if (!failing.includes(t)) failing.push(t);
    const names = bare.map((c) => c.name).join(', ');
    sentences.push(`Every trigger needs some coverage, and ${bare.length === 1 ? `trigger ${names} has` : `triggers ${names} have`} none: add a test that fires ${bare.length === 1 ? 'it' : 'them'}.`);
  }
  return sentences.length ? { rows, orgWide, ok: false, failing, explanation: sentences.join(' ') } : { rows, orgWide, ok: true, failing };
}
