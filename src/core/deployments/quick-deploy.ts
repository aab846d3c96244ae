/**
 * Whether a validation can still be quick-deployed, by Salesforce's rules: it succeeded as a
 * check-only deploy, its Apex tests passed and met the coverage rule of its test level, it
 * started less than 10 days ago, and no deployment reached the target since it completed (any
 * later deploy, by anyone, invalidates every earlier validation).
 */
import { coverageReport } from './coverage';
import type { ValidationFact } from './model';
import { deploysAfter, formatWhen, type OrgDeployRow } from './org-deploys';

export const QUICK_DEPLOY_WINDOW_DAYS = 10;
const WINDOW_MS = QUICK_DEPLOY_WINDOW_DAYS * 24 * 60 * 60 * 1000;

export type QuickDeployEligibility =
  | { ok: true; validationId: string; /** When the 10 days run out. */ expiresAt: string }
  | {
      ok: false;
      reason: string;
      /** What to offer instead: a new validation (absent while the validation still runs). */
      offer?: 'validate';
      /** The later deployment that invalidated the validation, when that is the reason. */
      invalidatedBy?: OrgDeployRow;
    };

/**
 * Eligibility of `validation` for quick deploy at `now`, given the target's deployment history
 * (Tooling DeployRequest rows). `target` names the environment in messages.
 */
export function quickDeployEligibility(
  validation: ValidationFact,
  targetDeploys: readonly OrgDeployRow[],
  now: Date,
  target = 'the target',
): QuickDeployEligibility {
  const v = validation;
  const refuse = (reason: string, extra: { invalidatedBy?: OrgDeployRow } = {}): QuickDeployEligibility => ({ ok: false, reason, offer: 'validate', ...extra });
  if (!v.completedAt) return { ok: false, reason: `Validation ${v.id} is still running; it can be quick-deployed once it succeeds.` };
  if (!v.checkOnly) return refuse(`${v.id} was a deployment, not a validation: only a successful validation (check-only deploy) can be quick-deployed. Validate again.`);
  if (v.status === 'Canceled' || v.status === 'Canceling') return refuse(`Validation ${v.id} was cancelled before it finished; validate again to quick deploy.`);
  if (!v.success) {
    const why = v.componentErrors ? `${v.componentErrors} component error${v.componentErrors === 1 ? '' : 's'}` : v.testsFailed ? `${v.testsFailed} failing test${v.testsFailed === 1 ? '' : 's'}` : v.errorMessage ?? 'errors';
    return refuse(`Validation ${v.id} failed (${why}); only a successful validation can be quick-deployed. Fix the problems and validate again.`);
  }
  if (v.testLevel === 'NoTestRun') {
    return refuse(`Validation ${v.id} ran no Apex tests (NoTestRun); quick deploy needs a validation whose tests passed. Validate with RunLocalTests, RunSpecifiedTests or RunAllTestsInOrg.`);
  }
  if (v.testsFailed) {
    return refuse(`${v.testsFailed} Apex test${v.testsFailed === 1 ? '' : 's'} failed in validation ${v.id}; fix ${v.testsFailed === 1 ? 'it' : 'them'} and validate again.`);
  }
  const coverage = coverageReport(v.coverage ?? { classes: [] }, v.testLevel, v.apex ?? []);
  if (!coverage.ok) return refuse(`Validation ${v.id} does not meet the coverage rule for quick deploy. ${coverage.explanation} Then validate again.`);

  const started = Date.parse(v.startedAt);
  if (!Number.isFinite(started)) return refuse(`The start of validation ${v.id} is not known, so its 10-day window cannot be checked; validate again.`);
  const expires = started + WINDOW_MS;
  if (now.getTime() >= expires) {
    return refuse(
      `Validation ${v.id} started ${formatWhen(started)}, and a validation can be quick-deployed only for ${QUICK_DEPLOY_WINDOW_DAYS} days after it starts (until ${formatWhen(expires)}). Validate again.`,
    );
  }

  const completed = Date.parse(v.completedAt);
  const later = deploysAfter(targetDeploys, Number.isFinite(completed) ? completed : started).filter((r) => r.id !== v.id);
  const first = later[0];
  if (first) {
    const who = first.createdByName ?? 'an unknown user';
    const more = later.length > 1 ? ` (and ${later.length - 1} more)` : '';
    return refuse(
      `A deployment reached ${target} after validation ${v.id} completed: ${first.id} by ${who}, completed ${formatWhen(first.completedDate ?? first.startDate)}${more}. ` +
        'Any deployment to an org invalidates its earlier validations; validate again.',
      { invalidatedBy: first },
    );
  }
  return { ok: true, validationId: v.id, expiresAt: new Date(expires).toISOString() };
}
