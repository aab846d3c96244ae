/**
 * `changeline git-delta --from REF --to REF [--merge-base] [--output DIR] [--deploy ENV [--validate]]`:
 * the components two refs of the repository differ by (src/workflows/git-delta), printed as
 * package.xml and destructiveChanges.xml with each changed file; written out as sfdx-git-delta lays
 * it out; validated or deployed to a development environment through the deploy workflow.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { canDeployLocalSource } from '../../core/deployments';
import { membersByType, previewText, type GitDelta } from '../../core/git-delta';
import type { DeployOutcome } from '../../workflows/deploy/run';
import { computeGitDelta, writeGitDelta } from '../../workflows/git-delta/delta';
import { deployGitDelta } from '../../workflows/git-delta/deploy';
import { GitError } from '../../workflows/git-delta/git';
import type { CliContext } from '../context';
import { CliError, EXIT, refused, usageError } from '../exit';
import type { Runner } from '../runner';
import { deployJson, formatProblem, mapped, testOptions, type TestOptions } from './deploy';

interface GitDeltaOptions extends TestOptions {
  from?: string;
  to?: string;
  mergeBase?: boolean;
  repo?: string;
  output?: string;
  deploy?: string;
  validate?: boolean;
}

/** The documented --json shape (docs/cli.md), without the deploy. */
export function deltaJson(d: GitDelta, output: string | undefined): Record<string, unknown> {
  return {
    repo: d.repo,
    from: d.from,
    to: d.to,
    mergeBase: d.mergeBase ?? null,
    apiVersion: d.apiVersion ?? null,
    package: membersByType(d.plan.deploy),
    destructiveChanges: membersByType(d.plan.destroy),
    changes: d.plan.changes.map((c) => ({
      status: c.kind,
      path: c.path,
      ...(c.renamedFrom ? { renamedFrom: c.renamedFrom } : {}),
      ...(c.renamedTo ? { renamedTo: c.renamedTo } : {}),
      effect: c.effect,
      components: c.components,
    })),
    ignored: d.plan.ignored,
    output: output ?? null,
  };
}

/** Git's failures: a bad ref or a folder outside a repository is usage; git itself failing is a failure. */
function gitMapped(e: unknown): unknown {
  if (!(e instanceof GitError)) return mapped(e);
  return e.kind === 'bad-ref' || e.kind === 'not-a-repo' || e.kind === 'bad-output' ? usageError(e.message) : new CliError(e.message, EXIT.failed);
}

function deploySummary(target: string, o: DeployOutcome, what: string): string {
  const r = o.result;
  if (r.canceled) return `${what} ${r.id} to ${target} was canceled in the org (${r.status}).`;
  const tests = r.testsTotal || r.tests.run ? `, tests ${r.testsDone}/${r.testsTotal} (${r.tests.failures.length} failed)` : '';
  return `${what} ${r.id} to ${target} ${r.success ? 'succeeded' : 'failed'}: ${r.componentsDone}/${r.componentsTotal} components, ${r.componentErrors} error${r.componentErrors === 1 ? '' : 's'}${tests}.${r.errorMessage ? ` ${r.errorMessage}` : ''}`;
}

export function registerGitDelta(program: Command, run: Runner): void {
  program
    .command('git-delta')
    .description('The metadata two git refs differ by, as package.xml and destructiveChanges.xml; written out, validated or deployed to a development environment')
    .requiredOption('--from <ref>', 'the older ref: branch, tag or commit')
    .requiredOption('--to <ref>', 'the newer ref: branch, tag or commit')
    .option('--merge-base', 'start from the merge base of --from and --to (what git diff FROM...TO shows), not from --from itself')
    .option('--repo <dir>', 'a folder of the repository (default: the current folder)')
    .option('--output <dir>', 'write package/package.xml, destructiveChanges/destructiveChanges.xml and the source files as they are at --to into this new or empty folder')
    .option('--deploy <env>', 'deploy the delta (deletions after the deploy) to this development environment')
    .option('--validate', 'with --deploy: validate only (run the deploy and the tests, then roll back)')
    .option('--test-level <level>', "with --deploy: the test level (default: the environment's, else Salesforce's)")
    .option('--tests <classes>', 'with --deploy: test classes for RunSpecifiedTests, comma-separated')
    .action(
      run(async (ctx: CliContext, opts: GitDeltaOptions) => {
        if (!opts.deploy && (opts.validate || opts.testLevel || opts.tests)) throw usageError('--validate, --test-level and --tests go with --deploy ENV.');
        const tests = testOptions(opts);
        // The target first: a delta meant for a non-development environment is refused before git runs.
        const target = opts.deploy ? await ctx.environment(opts.deploy, '--deploy') : undefined;
        if (target) {
          const verdict = canDeployLocalSource(await ctx.pipeline(), target.name);
          if (!verdict.ok) throw refused(verdict.reason);
        }
        let delta: GitDelta;
        let output: string | undefined;
        try {
          delta = await computeGitDelta(ctx, { repo: path.resolve(opts.repo ?? '.'), from: opts.from!, to: opts.to!, mergeBase: opts.mergeBase === true }, { signal: ctx.signal, onProgress: (p) => ctx.out.progress(p) });
          if (opts.output) {
            output = path.resolve(opts.output);
            await writeGitDelta(delta, output, { signal: ctx.signal });
          }
        } catch (e) {
          throw gitMapped(e);
        }
        ctx.out.done();
        const preview = previewText(delta) + (output ? `\nWritten to ${output}.\n` : '');
        const empty = delta.plan.deploy.length === 0 && delta.plan.destroy.length === 0;
        if (!target || empty) {
          if (target) ctx.out.note(`Nothing to deploy to ${target.name}: ${delta.from.ref} and ${delta.to.ref} differ by no metadata.`);
          ctx.out.result(preview, { ...deltaJson(delta, output), deploy: null });
          return;
        }
        // The manifests come first, then the deploy.
        if (!ctx.out.json) ctx.out.result(preview, null);
        const what = opts.validate ? 'Validation' : 'Deploy';
        let outcome: DeployOutcome;
        try {
          outcome = await deployGitDelta(
            ctx,
            { delta, targetEnv: target.name, checkOnly: opts.validate === true, ...tests },
            { signal: ctx.signal, onProgress: (p) => ctx.out.progress(p), onStarted: (id) => ctx.out.note(`${what} ${id} started in ${target.name}.`) },
          );
        } catch (e) {
          throw gitMapped(e);
        }
        ctx.out.done();
        const r = outcome.result;
        const lines = [...outcome.problems.map((p) => formatProblem(p)), ...r.coverageWarnings.map((w) => `coverage: ${w}`), deploySummary(target.name, outcome, what)];
        ctx.out.result(lines.join('\n'), { ...deltaJson(delta, output), deploy: deployJson(target.name, outcome) });
        if (r.canceled) throw new CliError('', EXIT.cancelled);
        if (!r.success) throw new CliError('', EXIT.failed);
      }),
    );
}
