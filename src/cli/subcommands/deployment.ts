/**
 * `changeline deployment …`: deployment records kept in the org with their change request —
 * create (from an approved CR, along the pipeline), submit / approve / reject, retrieve the
 * package into the record, validate, deploy and quick-deploy it in the target. The same
 * workflows as the editor (src/workflows/deploy/records.ts, release.ts).
 */
import type { Command } from 'commander';
import { deploymentLabel, type DeploymentRecord } from '../../core/deployments';
import {
  approveDeployment,
  createDeployment,
  listDeploymentRecords,
  rejectDeployment,
  retrievePackage,
  submitDeployment,
  type RecordOutcome,
} from '../../workflows/deploy/records';
import { deployRecord, quickDeployRecord, validateRecord, type ReleaseResult } from '../../workflows/deploy/release';
import type { CliContext } from '../context';
import { CliError, EXIT, refused, usageError } from '../exit';
import { table } from '../output';
import type { Runner } from '../runner';
import { mapped, report } from './deploy';

const recordJson = (d: DeploymentRecord, env: string) => ({
  environment: env,
  id: d.id ?? null,
  number: d.number ?? null,
  cr: d.crNumber ?? d.crId,
  source: d.sourceEnvironment,
  target: d.targetEnvironment,
  status: d.status,
  components: d.components,
  testLevel: d.testLevel ?? null,
  runTests: d.runTests,
  package: d.package ? { fileId: d.package.fileId, retrievedAt: d.package.retrievedAt, componentCount: d.package.componentCount } : null,
  validation: d.validation ? { id: d.validation.id, success: d.validation.success, completedAt: d.validation.completedAt ?? null } : null,
  deploy: d.deploy ? { id: d.deploy.id, status: d.deploy.status, quickDeployOf: d.deploy.quickDeployOf ?? null, completedAt: d.deploy.completedAt ?? null } : null,
});

/** A record by number (DEP-00042) or id, in the org of `env`. */
async function findRecord(ctx: CliContext, env: string, ref: string): Promise<DeploymentRecord> {
  let next: string | undefined;
  do {
    const page = await listDeploymentRecords(ctx, env, { next, pageSize: 2000, signal: ctx.signal });
    const hit = page.items.find((d) => d.id === ref || d.number?.toLowerCase() === ref.toLowerCase());
    if (hit) return hit;
    next = page.next;
  } while (next);
  throw new CliError(`There is no deployment record ${ref} in ${env}.`, EXIT.failed);
}

function written(ctx: CliContext, env: string, outcome: RecordOutcome, text: (d: DeploymentRecord) => string): void {
  if (!outcome.ok) {
    if (outcome.conflict) throw new CliError(`${outcome.reason} Nothing was saved; run it again.`, EXIT.failed);
    throw refused(outcome.reason);
  }
  ctx.out.result(text(outcome.record), recordJson(outcome.record, env));
}

export function registerDeployment(program: Command, run: Runner): void {
  const dep = program.command('deployment').description('Deployment records: a CR’s components released to the next environment');

  dep
    .command('create')
    .description('Create a deployment record for an approved change request, toward an environment the pipeline connects it to')
    .requiredOption('--env <env>', 'environment of the change request (the record is kept there)')
    .requiredOption('--cr <cr>', 'the change request (number or id)')
    .requiredOption('--to <env>', 'target environment')
    .action(
      run(async (ctx: CliContext, opts: { env: string; cr: string; to: string }) => {
        const [from, to] = [await ctx.environment(opts.env), await ctx.environment(opts.to, '--to')];
        const outcome = await createDeployment(ctx, { crEnv: from.name, crRef: opts.cr, targetEnv: to.name, pipeline: await ctx.pipeline() }, { signal: ctx.signal });
        written(ctx, from.name, outcome, (d) => `Created ${deploymentLabel(d)}: ${d.crNumber ?? d.crId} from ${d.sourceEnvironment} to ${d.targetEnvironment}, ${d.components.length} component${d.components.length === 1 ? '' : 's'} (Draft).`);
      }),
    );

  dep
    .command('list')
    .description('The deployment records kept in an environment, newest first')
    .requiredOption('--env <env>', 'environment')
    .action(
      run(async (ctx: CliContext, opts: { env: string }) => {
        const env = await ctx.environment(opts.env);
        const items: DeploymentRecord[] = [];
        let next: string | undefined;
        do {
          const page = await listDeploymentRecords(ctx, env.name, { next, pageSize: 2000, signal: ctx.signal });
          items.push(...page.items);
          next = page.next;
        } while (next);
        const rows = items.map((d) => [d.number ?? '', d.status, d.crNumber ?? d.crId, `${d.sourceEnvironment} → ${d.targetEnvironment}`, String(d.components.length)]);
        ctx.out.result(items.length ? table(['NUMBER', 'STATUS', 'CR', 'PATH', 'COMPONENTS'], rows) : `${env.name} keeps no deployment records.`, items.map((d) => recordJson(d, env.name)));
      }),
    );

  const decide = (name: 'submit' | 'approve' | 'reject') =>
    dep
      .command(name)
      .description(name === 'submit' ? 'Submit a record for approval' : `${name === 'approve' ? 'Approve' : 'Reject'} a record you are an approver of`)
      .requiredOption('--env <env>', 'environment keeping the record')
      .argument('<record>', 'number (DEP-00042) or id')
      .option('--comment <text>', 'why (required to approve or reject; kept in its history)')
      .action(
        run(async (ctx: CliContext, ref: string, opts: { env: string; comment?: string }) => {
          const env = await ctx.environment(opts.env);
          if (name !== 'submit' && !opts.comment?.trim()) throw usageError(`${name} needs --comment "why" (kept in the record's history).`);
          const d = await findRecord(ctx, env.name, ref);
          const outcome =
            name === 'submit'
              ? await submitDeployment(ctx, env.name, d, await ctx.pipeline())
              : name === 'approve'
                ? await approveDeployment(ctx, env.name, d, opts.comment!)
                : await rejectDeployment(ctx, env.name, d, opts.comment!);
          written(ctx, env.name, outcome, (r) => `${deploymentLabel(r)} is now ${r.status}.`);
        }),
      );
  decide('submit');
  decide('approve');
  decide('reject');

  dep
    .command('retrieve')
    .description("Retrieve the record's components from its source environment into a package kept with the record")
    .requiredOption('--env <env>', 'environment keeping the record')
    .argument('<record>', 'number (DEP-00042) or id')
    .action(
      run(async (ctx: CliContext, ref: string, opts: { env: string }) => {
        const env = await ctx.environment(opts.env);
        const d = await findRecord(ctx, env.name, ref);
        const got = await retrievePackage(ctx, env.name, d, { signal: ctx.signal, onProgress: (p) => ctx.out.progress(p) });
        ctx.out.done();
        if (!got.ok) {
          if (got.conflict) throw new CliError(`${got.reason} Nothing was saved; run it again.`, EXIT.failed);
          throw refused(got.reason);
        }
        const r = got.result.record;
        ctx.out.result(`${deploymentLabel(r)}: package of ${r.package?.componentCount ?? got.result.files.length} component${(r.package?.componentCount ?? got.result.files.length) === 1 ? '' : 's'} kept with the record (${got.result.files.length} files).`, {
          ...recordJson(r, env.name),
          files: got.result.files.map((f) => f.path),
        });
      }),
    );

  const release = (name: 'validate' | 'deploy' | 'quick-deploy', description: string, fn: typeof validateRecord) =>
    dep
      .command(name)
      .description(description)
      .requiredOption('--env <env>', 'environment keeping the record')
      .argument('<record>', 'number (DEP-00042) or id')
      .option('--overwrite', 'overwrite components someone changed in the target after the package was retrieved (without it, such changes stop the run before anything is sent)')
      .action(
        run(async (ctx: CliContext, ref: string, opts: { env: string; overwrite?: boolean }) => {
          const env = await ctx.environment(opts.env);
          const d = await findRecord(ctx, env.name, ref);
          const what = name === 'validate' ? 'Validation' : name === 'deploy' ? 'Deploy' : 'Quick deploy';
          let result: ReleaseResult;
          try {
            result = await fn(ctx, { env: env.name, ref: d, pipeline: await ctx.pipeline() }, {
              signal: ctx.signal,
              onProgress: (p) => ctx.out.progress(p),
              onStarted: (id) => ctx.out.note(`${what} ${id} of ${deploymentLabel(d)} started in ${d.targetEnvironment}.`),
              confirmOverwrites: () => opts.overwrite === true,
            });
          } catch (e) {
            throw mapped(e);
          }
          ctx.out.note(`${deploymentLabel(result.record)} is ${result.record.status}.`);
          report(ctx, d.targetEnvironment, result.outcome, what);
        }),
      );
  release('validate', "Validate the record's package in its target with its test level (check-only)", validateRecord);
  release('deploy', "Deploy the record's package to its target with its test level", deployRecord);
  release('quick-deploy', "Deploy the record's successful validation without running the tests again (refused, with the reason, once it is no longer valid)", quickDeployRecord);
}
