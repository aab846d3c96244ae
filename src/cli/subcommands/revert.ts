/**
 * `changeline revert --env ENV [--deployment ID] [--yes] [--override-drift|--skip-drift]`: the
 * latest Changeline deployment to ENV (or the one named) reverted from the snapshot kept before it
 * (a deployment record's deploy or a deploy from ENV's queue) — the plan per component (Override /
 * Delete, drift since the deploy), then, with --yes, the revert deployed with progress, Ctrl-C
 * cancelling it in the org, and recorded on the record or queue entry. The
 * workflow is the editor's (src/workflows/promotion/revert.ts).
 */
import type { Command } from 'commander';
import { componentKey } from '../../core/metadata-types';
import type { RevertChoice } from '../../core/promotion';
import { findLatestDeployment, planDeploymentRevert, revertDeploymentOf, revertRequestOf, RevertRefused, type RevertPreview } from '../../workflows/promotion/revert';
import type { CliContext } from '../context';
import { CliError, EXIT, refused, usageError } from '../exit';
import { table } from '../output';
import type { Runner } from '../runner';
import { deployJson, mapped, report } from './deploy';

interface RevertOptions {
  env: string;
  deployment?: string;
  yes?: boolean;
  overrideDrift?: boolean;
  skipDrift?: boolean;
}

const holderJson = (p: RevertPreview) => ({ environment: p.env, id: p.deployment.id ?? null, number: p.deployment.number ?? null, status: p.deployment.status });

/** The documented --json shape of the plan (docs/cli.md). */
function planJson(p: RevertPreview, choices: ReadonlyMap<string, RevertChoice>) {
  return {
    environment: p.targetEnv,
    record: p.deployment.kind === 'record' ? holderJson(p) : null,
    queueEntry: p.deployment.kind === 'queue-entry' ? holderJson(p) : null,
    deployId: p.deployment.deploy?.id ?? null,
    revertable: p.plan.verdict.ok,
    reason: p.plan.verdict.ok ? null : p.plan.verdict.reason,
    warnings: p.plan.warnings,
    items: p.plan.items.map((i) => {
      const k = componentKey(i.component);
      const d = p.drift.get(k);
      return {
        type: i.component.type,
        fullName: i.component.fullName,
        action: i.action,
        deployed: i.deployed,
        drift: i.drift,
        changedAt: d?.at ?? null,
        changedBy: d?.by ?? null,
        alreadyRestored: i.alreadyRestored,
        choice: choices.get(k) ?? (i.alreadyRestored ? 'skip' : i.drift ? null : 'revert'),
        note: i.note,
      };
    }),
  };
}

function planText(p: RevertPreview): string {
  const head = `${p.deployment.label} to ${p.targetEnv} (deploy ${p.deployment.deploy?.id ?? '?'}):`;
  if (!p.plan.verdict.ok) return `${head} ${p.plan.verdict.reason}`;
  const rows = p.plan.items.map((i) => {
    const d = p.drift.get(componentKey(i.component));
    const drift = i.drift ? `changed${d?.by ? ` by ${d.by}` : ''}${d?.at ? ` ${d.at}` : ''}` : '';
    return [i.action, i.component.type, i.component.fullName, drift, i.note];
  });
  return [head, table(['ACTION', 'TYPE', 'NAME', 'DRIFT', 'NOTE'], rows), ...p.plan.warnings.map((w) => `warning: ${w}`)].join('\n');
}

export function registerRevert(program: Command, run: Runner): void {
  program
    .command('revert')
    .description('Revert the latest deployment to an environment from the snapshot kept before it: restore what it changed, delete what it created')
    .requiredOption('--env <env>', 'the environment the deployment went to')
    .option('--deployment <id>', 'the deployment record (DEP-00042 or id), queue entry (Q-00003 or id) or its deploy id (0Af…); default: the latest to --env')
    .option('--yes', 'revert (without it, the plan is shown and nothing is sent)')
    .option('--override-drift', 'revert components changed in the environment since the deploy too')
    .option('--skip-drift', 'leave components changed in the environment since the deploy as they are')
    .action(
      run(async (ctx: CliContext, opts: RevertOptions) => {
        if (opts.overrideDrift && opts.skipDrift) throw usageError('Give either --override-drift or --skip-drift, not both.');
        const target = await ctx.environment(opts.env);
        const pipeline = await ctx.pipeline();
        let found;
        try {
          found = await findLatestDeployment(ctx, target.name, pipeline, opts.deployment);
        } catch (e) {
          throw e instanceof RevertRefused ? refused(e.message) : e;
        }
        const req = revertRequestOf(found, pipeline);
        const driftChoice: RevertChoice | undefined = opts.overrideDrift ? 'revert' : opts.skipDrift ? 'skip' : undefined;
        const choicesFor = (p: RevertPreview): Map<string, RevertChoice> =>
          new Map(driftChoice ? p.plan.items.filter((i) => i.drift && !i.alreadyRestored).map((i) => [componentKey(i.component), driftChoice] as const) : []);

        if (!opts.yes) {
          let preview: RevertPreview;
          try {
            preview = await planDeploymentRevert(ctx, req, { signal: ctx.signal, onProgress: (p) => ctx.out.progress(p) });
          } catch (e) {
            throw e instanceof RevertRefused ? refused(e.message) : mapped(e);
          }
          ctx.out.done();
          ctx.out.result(`${planText(preview)}\nNothing was sent: run again with --yes to revert.`, { ...planJson(preview, choicesFor(preview)), reverted: false, result: null });
          if (!preview.plan.verdict.ok) throw new CliError('', EXIT.refused);
          return;
        }
        let chosen = new Map<string, RevertChoice>();
        try {
          const result = await revertDeploymentOf(ctx, req, {
            signal: ctx.signal,
            onProgress: (p) => ctx.out.progress(p),
            onStarted: (id) => ctx.out.note(`Revert ${id} of ${found.deployment.label} started in ${target.name}.`),
            // --override-drift / --skip-drift apply to every drifted component of the plan read in the run.
            choose: (p) => (chosen = choicesFor(p)),
          });
          ctx.out.note(`${result.deployment.label} is ${result.deployment.status}.`);
          if (ctx.out.json) {
            ctx.out.done();
            ctx.out.result('', { ...planJson(result.preview, chosen), reverted: result.outcome.result.success, result: deployJson(target.name, result.outcome) });
            if (result.outcome.result.canceled) throw new CliError('', EXIT.cancelled);
            if (!result.outcome.result.success) throw new CliError('', EXIT.failed);
            return;
          }
          report(ctx, target.name, result.outcome, 'Revert');
        } catch (e) {
          if (e instanceof RevertRefused) throw refused(`${e.message}${/choose for each/.test(e.message) ? ' Add --override-drift to revert them anyway or --skip-drift to leave them.' : ''}`);
          throw mapped(e);
        }
      }),
    );
}
