/**
 * What a finished deploy or validation says to the user (plain text, no `vscode`): succeeded with
 * its components, tests and coverage; failed with the counts; or cancelled.
 */
import { formatPercent, orgWideCoverage } from '../../core/deployments/coverage';
import type { DeployResult } from '../../core/metadata-types';

const n = (x: number): string => x.toLocaleString('en-US');
const plural = (x: number, word: string): string => `${n(x)} ${word}${x === 1 ? '' : 's'}`;

export interface OutcomeText {
  kind: 'succeeded' | 'failed' | 'canceled';
  message: string;
}

export function outcomeText(r: DeployResult, env: string): OutcomeText {
  const what = r.checkOnly ? 'Validation' : 'Deploy';
  if (r.canceled || r.status === 'Canceled') {
    return { kind: 'canceled', message: `${what} ${r.id} to ${env} was cancelled; ${r.checkOnly ? 'nothing was validated' : `nothing was deployed (${env} is as it was)`}.` };
  }
  const failedTests = r.tests.failures.length;
  const tests = r.tests.run > 0 ? (failedTests ? `${n(failedTests)} of ${plural(r.tests.run, 'test')} failed` : `${plural(r.tests.run, 'test')} passed`) : 'no tests run';
  const coverage = orgWideCoverage({ classes: r.coverage });
  const cov = r.tests.run > 0 && coverage !== undefined ? ` · coverage ${formatPercent(coverage)}` : '';
  if (r.success) {
    const head = r.checkOnly ? `Validation in ${env} succeeded: ${plural(r.componentsTotal, 'component')} would deploy` : `Deployed ${plural(r.componentsTotal, 'component')} to ${env}`;
    return { kind: 'succeeded', message: `${head} · ${tests}${cov}.${r.checkOnly ? ` Nothing was changed in ${env}.` : ''}` };
  }
  const errors = r.componentErrors > 0 ? `${n(r.componentErrors)} of ${plural(r.componentsTotal, 'component')} with errors` : `${plural(r.componentsTotal, 'component')} without errors`;
  const why = r.errorMessage ? ` ${r.errorMessage}` : '';
  return {
    kind: 'failed',
    message: `${what} ${r.checkOnly ? 'in' : 'to'} ${env} failed: ${errors} · ${tests}${cov}.${why}${r.checkOnly ? '' : ` Nothing was deployed (${env} is as it was).`}`,
  };
}
