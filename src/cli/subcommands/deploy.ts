/**
 * `changeline deploy --to ENV --source-dir DIR` and `changeline quick-deploy --to ENV --job-id ID`:
 * the deploy workflow (src/workflows/deploy/run.ts) with a progress bar, Ctrl-C reaching
 * cancelDeploy, problems printed as file:line:column, and the documented exit codes.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { canDeployLocalSource, type DeployProblem } from '../../core/deployments';
import type { DeployResult, TestLevel } from '../../core/metadata-types';
import { TEST_LEVELS } from '../../core/pipeline/types';
import { DeployError, quickDeploy, runDeploy, type DeployOutcome } from '../../workflows/deploy/run';
import type { CliContext } from '../context';
import { CliError, EXIT, refused, usageError } from '../exit';
import type { Runner } from '../runner';
import { deployCr } from './deploy-cr';

export interface TestOptions {
  testLevel?: string;
  tests?: string;
}

interface DeployOptions extends TestOptions {
  to?: string;
  sourceDir?: string[];
  cr?: string;
  from?: string;
  overwrite?: boolean;
  validate?: boolean;
}

interface QuickDeployOptions {
  to?: string;
  jobId?: string;
}

/** `path:line:column: error: message` (1-based), as compilers print them; a problem without a file names its component. */
export function formatProblem(p: DeployProblem, cwd = process.cwd()): string {
  const where = p.path ? `${path.isAbsolute(p.path) ? path.relative(cwd, p.path) || p.path : p.path}:${p.range.start.line + 1}:${p.range.start.character + 1}` : `${p.component.type} ${p.component.fullName}`;
  return `${where}: ${p.severity}: ${p.message}`;
}

/** The documented --json shape of deploy and quick-deploy (docs/cli.md). */
export function deployJson(target: string, outcome: DeployOutcome): Record<string, unknown> {
  const r: DeployResult = outcome.result;
  return {
    deployId: r.id,
    target,
    checkOnly: r.checkOnly,
    status: r.status,
    success: r.success,
    canceled: r.canceled,
    components: { total: r.componentsTotal, deployed: r.componentsDone, errors: r.componentErrors },
    tests: { total: r.testsTotal, completed: r.testsDone, failed: r.tests.failures.length },
    problems: outcome.problems.map((p) => ({
      path: p.path ?? null,
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
      severity: p.severity,
      message: p.message,
      component: p.component,
    })),
    coverage: r.coverage.map((c) => ({ name: c.name, type: c.type, percent: c.percent })),
    coverageWarnings: r.coverageWarnings,
    errorMessage: r.errorMessage ?? null,
    createdDate: r.createdDate ?? null,
    completedDate: r.completedDate ?? null,
  };
}

function summary(target: string, r: DeployResult, what: string): string {
  if (r.canceled) return `${what} ${r.id} to ${target} was canceled in the org (${r.status}).`;
  const tests = r.testsTotal || r.tests.run ? `, tests ${r.testsDone}/${r.testsTotal} (${r.tests.failures.length} failed)` : '';
  const verdict = r.success ? 'succeeded' : 'failed';
  return `${what} ${r.id} to ${target} ${verdict}: ${r.componentsDone}/${r.componentsTotal} components, ${r.componentErrors} error${r.componentErrors === 1 ? '' : 's'}${tests}.${r.errorMessage ? ` ${r.errorMessage}` : ''}`;
}

/** Writes the outcome; a failed or canceled deploy ends with its exit code. */
export function report(ctx: CliContext, target: string, outcome: DeployOutcome, what: string, json: Record<string, unknown> = deployJson(target, outcome)): void {
  ctx.out.done();
  const r = outcome.result;
  const lines = [...outcome.problems.map((p) => formatProblem(p)), ...r.coverageWarnings.map((w) => `coverage: ${w}`), summary(target, r, what)];
  ctx.out.result(lines.join('\n'), json);
  if (r.canceled) throw new CliError('', EXIT.cancelled);
  if (!r.success) throw new CliError('', EXIT.failed);
}

/** The workflow's refusals and org failures as the CLI's exit codes. */
export function mapped(e: unknown): unknown {
  if (!(e instanceof DeployError)) return e;
  switch (e.kind) {
    case 'refused':
      return refused(e.message);
    case 'expired-session':
    case 'unreachable':
      return new CliError(e.message, EXIT.org);
    default:
      return new CliError(e.message, EXIT.failed);
  }
}

export function testOptions(opts: TestOptions): { testLevel?: TestLevel; runTests?: string[] } {
  const runTests = opts.tests?.split(',').map((t) => t.trim()).filter(Boolean);
  let level = opts.testLevel as TestLevel | undefined;
  if (level !== undefined && !(TEST_LEVELS as readonly string[]).includes(level)) {
    throw usageError(`"${level}" is not a test level; use one of ${TEST_LEVELS.join(', ')}.`);
  }
  if (runTests?.length && level === undefined) level = 'RunSpecifiedTests';
  if (runTests?.length && level !== 'RunSpecifiedTests') throw usageError(`--tests runs with --test-level RunSpecifiedTests only (the test level is ${level}).`);
  if (level === 'RunSpecifiedTests' && !runTests?.length) throw usageError('--test-level RunSpecifiedTests needs the test classes: --tests GreeterTest,InvoiceTest.');
  return { ...(level ? { testLevel: level } : {}), ...(runTests?.length ? { runTests } : {}) };
}

export function registerDeploy(program: Command, run: Runner): void {
  program
    .command('deploy')
    .description('Deploy (or with --validate, validate) local source to a development environment, or a change request (--cr) to the next environment through its deployment record')
    .requiredOption('--to <env>', 'target environment (local source goes to development environments only)')
    .option('--source-dir <dir...>', 'source-format files or folders to deploy (e.g. force-app)')
    .option('--cr <cr>', "a change request (number or id) to deploy through its deployment record (created and submitted for approval when it has none)")
    .option('--from <env>', "with --cr: the change request's environment, when several promote to the target")
    .option('--overwrite', 'with --cr: overwrite components someone changed in the target after the package was retrieved')
    .option('--validate', 'validate only: run the deploy and the tests, then roll back (quick-deployable when it succeeds)')
    .option('--test-level <level>', `test level: ${TEST_LEVELS.join(', ')} (default: the environment's, else Salesforce's)`)
    .option('--tests <classes>', 'test classes for RunSpecifiedTests, comma-separated')
    .action(
      run(async (ctx: CliContext, opts: DeployOptions) => {
        if (opts.cr !== undefined && opts.sourceDir?.length) throw usageError('Give either --cr (a change request) or --source-dir (local source), not both.');
        if (opts.cr !== undefined) return deployCr(ctx, { cr: opts.cr, to: opts.to, from: opts.from, validate: opts.validate, overwrite: opts.overwrite }, testOptions(opts));
        if (!opts.sourceDir?.length) throw usageError('Name what to deploy: --source-dir force-app (local source) or --cr CR-00042 (a change request).');
        const target = await ctx.environment(opts.to, '--to');
        const tests = testOptions(opts);
        const verdict = canDeployLocalSource(await ctx.pipeline(), target.name);
        if (!verdict.ok) throw refused(verdict.reason);
        const sourcePaths = (opts.sourceDir ?? []).map((d) => path.resolve(d));
        const what = opts.validate ? 'Validation' : 'Deploy';
        let outcome: DeployOutcome;
        try {
          outcome = await runDeploy(
            ctx,
            { targetEnv: target.name, sourcePaths, checkOnly: opts.validate === true, ...tests },
            {
              signal: ctx.signal,
              onProgress: (p) => ctx.out.progress(p),
              onStarted: (id) => ctx.out.note(`${what} ${id} started in ${target.name}.`),
            },
          );
        } catch (e) {
          throw mapped(e);
        }
        report(ctx, target.name, outcome, what);
      }),
    );

  program
    .command('quick-deploy')
    .description('Deploy a recent successful validation without running the tests again (refused, with the reason, once it is no longer valid)')
    .requiredOption('--to <env>', 'target environment (where the validation ran)')
    .requiredOption('--job-id <id>', 'the validation id (0Af…)')
    .action(
      run(async (ctx: CliContext, opts: QuickDeployOptions) => {
        const target = await ctx.environment(opts.to, '--to');
        if (!/^0Af[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.test(opts.jobId ?? '')) throw usageError(`"${opts.jobId}" is not a validation id (0Af…, as deploy --validate prints it).`);
        let outcome: DeployOutcome;
        try {
          outcome = await quickDeploy(
            ctx,
            { targetEnv: target.name, validationId: opts.jobId! },
            { signal: ctx.signal, onProgress: (p) => ctx.out.progress(p), onStarted: (id) => ctx.out.note(`Quick deploy ${id} started in ${target.name}.`) },
          );
        } catch (e) {
          throw mapped(e);
        }
        report(ctx, target.name, outcome, 'Quick deploy');
      }),
    );
}
