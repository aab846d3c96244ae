/**
 * `changeline deploy --cr CR-00042 --to UAT [--validate]`: a change request released through its
 * deployment record (src/workflows/deploy/deploy-cr.ts decides which record: an approved one is
 * used, a running deploy followed, a new one created and submitted for approval). Output: the
 * deploy's --json shape with `record` and `changeRequests` added (docs/cli.md).
 */
import { deploymentLabel, type DeploymentRecord } from '../../core/deployments';
import type { TestLevel } from '../../core/metadata-types';
import { deployChangeRequest, type DeployCrOutcome } from '../../workflows/deploy/deploy-cr';
import type { CliContext } from '../context';
import { refused } from '../exit';
import { deployJson, mapped, report } from './deploy';

export interface DeployCrOptions {
  cr: string;
  to?: string;
  from?: string;
  validate?: boolean;
  overwrite?: boolean;
}

const recordOf = (d: DeploymentRecord, env: string) => ({
  environment: env,
  id: d.id ?? null,
  number: d.number ?? null,
  cr: d.crNumber ?? d.crId,
  source: d.sourceEnvironment,
  target: d.targetEnvironment,
  status: d.status,
  testLevel: d.testLevel ?? null,
  validation: d.validation ? { id: d.validation.id, success: d.validation.success ?? null } : null,
  deploy: d.deploy ? { id: d.deploy.id, status: d.deploy.status } : null,
});

export async function deployCr(ctx: CliContext, opts: DeployCrOptions, tests: { testLevel?: TestLevel; runTests?: string[] }): Promise<void> {
  const target = await ctx.environment(opts.to, '--to');
  const from = opts.from ? (await ctx.environment(opts.from, '--from')).name : undefined;
  const what = opts.validate ? 'Validation' : 'Deploy';
  let outcome: DeployCrOutcome;
  try {
    outcome = await deployChangeRequest(
      ctx,
      { crRef: opts.cr, targetEnv: target.name, fromEnv: from, pipeline: await ctx.pipeline(), validate: opts.validate === true, ...tests },
      {
        signal: ctx.signal,
        onProgress: (p) => ctx.out.progress(p),
        onStarted: (id) => ctx.out.note(`${what} ${id} of ${opts.cr} started in ${target.name}.`),
        confirmOverwrites: () => opts.overwrite === true,
      },
    );
  } catch (e) {
    throw mapped(e);
  }
  if (outcome.kind === 'waiting') {
    ctx.out.done();
    // The record as it is now goes into the error document's place: say it on stderr, exit 3.
    if (outcome.record) ctx.out.note(`${deploymentLabel(outcome.record)} (${outcome.env}) is ${outcome.record.status}.`);
    throw refused(outcome.reason);
  }
  const { record, release, env } = outcome;
  if (outcome.created) ctx.out.note(`Created ${deploymentLabel(record)} in ${env}.`);
  if (outcome.retrieved) ctx.out.note(`Retrieved the package of ${deploymentLabel(record)} from ${record.sourceEnvironment}.`);
  if (outcome.resumed) ctx.out.note(`Followed the deploy ${record.deploy?.id ?? ''} of ${deploymentLabel(record)} started earlier.`);
  ctx.out.note(`${deploymentLabel(record)} is ${record.status}.`);
  const after = release.afterDeploy;
  for (const p of after?.problems ?? []) ctx.out.note(`warning: ${p}`);
  if (after?.target) ctx.out.note(`${after.target.number} in ${record.targetEnvironment} is ${after.target.status}.`);
  if (after?.source) ctx.out.note(`${after.source.number} in ${env} is ${after.source.status}.`);
  report(ctx, record.targetEnvironment, release.outcome, outcome.resumed ? 'Deploy' : what, {
    ...deployJson(record.targetEnvironment, release.outcome),
    record: recordOf(record, env),
    created: outcome.created,
    resumed: outcome.resumed,
    changeRequests: after
      ? {
          target: after.target ? { environment: record.targetEnvironment, number: after.target.number ?? null, status: after.target.status } : null,
          source: after.source ? { environment: env, number: after.source.number ?? null, status: after.source.status } : null,
          problems: after.problems,
        }
      : null,
  });
}
