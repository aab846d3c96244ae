/**
 * `changeline back-deploy --to LOWER [--from UPPER]` and `changeline back-promote`: the deployments
 * the lower environment lacks, their net differences as ONE deployment recorded in the lower org,
 * validated or deployed through the deploy path; and the back-promotion pipeline in one command,
 * stopping at the first failure. The same workflows as the editor (src/workflows/back-deploy).
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { describeDeployment, formatWhen } from '../../core/promotion/history';
import { planBackDeploy, type BackDeployPlan } from '../../workflows/back-deploy/plan';
import { missingFromHistory, upperOf } from '../../workflows/back-deploy/missing';
import { runBackPromotion } from '../../workflows/back-deploy/promote';
import { runBackDeploy } from '../../workflows/back-deploy/run';
import { CompareStore } from '../../workflows/compare/store';
import { NodeFileStore } from '../../workflows/storage';
import type { CliContext } from '../context';
import { CliError, EXIT, usageError } from '../exit';
import { table } from '../output';
import type { Runner } from '../runner';
import { deployJson, formatProblem, mapped } from './deploy';

interface BackDeployOptions {
  to?: string;
  from?: string;
  exclude?: string;
  includeWip?: boolean;
  validate?: boolean;
  dryRun?: boolean;
}

interface BackPromoteOptions {
  from?: string;
  only?: string;
  includeWip?: boolean;
}

/** The documented --json shape of a back-deploy plan (docs/cli.md). */
export function planJson(plan: BackDeployPlan): Record<string, unknown> {
  return {
    lower: plan.lower,
    upper: plan.upper,
    lastSync: plan.lastSync ?? null,
    deployments: plan.deployments.map((d) => ({
      id: d.id,
      source: d.source,
      completedDate: d.completedDate ?? d.startDate ?? null,
      createdBy: d.createdByName ?? null,
      message: d.message ?? null,
      crNumbers: d.crNumbers ?? [],
    })),
    components: plan.net.items.map((i) => ({
      type: i.component.type,
      fullName: i.component.fullName,
      kind: i.kind,
      selected: i.selected,
      workInProgress: i.workInProgress ?? null,
      deployments: i.deploymentIds,
    })),
    identical: plan.net.identical,
    notInUpper: plan.net.notInUpper,
    unknownDeployments: plan.net.unknown.map((d) => d.id),
    summary: plan.summary,
  };
}

function planText(plan: BackDeployPlan): string {
  const lines: string[] = [];
  if (plan.deployments.length) {
    lines.push(`${plan.lower} lacks ${plan.deployments.length} deployment${plan.deployments.length === 1 ? '' : 's'} of ${plan.upper}:`);
    for (const d of plan.deployments) lines.push(`  ${describeDeployment(d)}${d.message ? ` — ${d.message}` : ''}${d.crNumbers?.length ? ` (${d.crNumbers.join(', ')})` : ''}`);
    lines.push('');
  }
  if (plan.net.items.length) {
    lines.push(table(['', 'KIND', 'TYPE', 'NAME', 'NOTE'], plan.net.items.map((i) => [i.selected ? '[x]' : '[ ]', i.kind, i.component.type, i.component.fullName, i.workInProgress ?? ''])));
    lines.push('');
  }
  lines.push(plan.summary);
  if (plan.lastSync) lines.push(`Last synced ${formatWhen(plan.lastSync.at)}${plan.lastSync.record ? ` (${plan.lastSync.record})` : ''}.`);
  return lines.join('\n');
}

/** The workflows' dependencies, with the compare cache in the CLI's cache folder. */
const depsOf = (ctx: CliContext) => ({
  sessions: ctx.sessions,
  salesforce: () => ctx.salesforce(),
  log: ctx.log,
  compareStore: new CompareStore(new NodeFileStore(path.join(ctx.cacheDir(), 'compare')), ctx.log),
});

const keysOf = (list: string | undefined): string[] =>
  (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerBackDeploy(program: Command, run: Runner): void {
  program
    .command('back-deploy')
    .description('Bring the deployments a lower environment lacks down from the one above it, as one deployment of their net differences')
    .requiredOption('--to <env>', 'the lower environment to bring level')
    .option('--from <env>', 'the upper environment (default: the one --to promotes to)')
    .option('--exclude <components>', 'components to leave out, comma-separated TYPE:NAME (e.g. ApexClass:Greeter)')
    .option('--include-wip', 'bring components changed in the lower environment since its last sync down too (default: left out)')
    .option('--validate', 'validate only (check-only deploy); the record stays ready to deploy')
    .option('--dry-run', 'show the plan, deploy nothing')
    .action(
      run(async (ctx: CliContext, opts: BackDeployOptions) => {
        const pipeline = await ctx.pipeline();
        const lower = (await ctx.environment(opts.to, '--to')).name;
        const from = opts.from === undefined ? undefined : (await ctx.environment(opts.from, '--from')).name;
        const upper = upperOf(pipeline, lower, from);
        if (!upper.ok) throw usageError(upper.reason);
        const exclude = keysOf(opts.exclude);
        const bad = exclude.find((k) => !/^[A-Za-z0-9_]+:.+$/.test(k));
        if (bad) throw usageError(`"${bad}" is not a component: write TYPE:NAME, e.g. ApexClass:Greeter.`);
        const deps = depsOf(ctx);
        const progress = { signal: ctx.signal, onProgress: (p: { message: string; percent?: number }) => ctx.out.progress(p) };
        const deployments = await missingFromHistory(deps, pipeline)(lower, upper.upper, progress);
        const plan = await planBackDeploy(deps, { lower, upper: upper.upper, deployments, includeWip: opts.includeWip, exclude }, progress);
        const unknown = exclude.filter((k) => !plan.net.items.some((i) => `${i.component.type}:${i.component.fullName}` === k));
        if (unknown.length) ctx.out.note(`note: --exclude names components the back-deploy does not bring: ${unknown.join(', ')}.`);
        ctx.out.done();
        const selected = plan.net.items.filter((i) => i.selected).length;
        if (opts.dryRun || selected === 0) {
          ctx.out.result(planText(plan), { ...planJson(plan), record: null, deploy: null });
          return;
        }
        if (!ctx.out.json) ctx.out.note(planText(plan));
        let done;
        try {
          done = await runBackDeploy(
            deps,
            { plan, pipeline, validate: opts.validate === true },
            { ...progress, onStarted: (id) => ctx.out.note(`${opts.validate ? 'Validation' : 'Deploy'} ${id} started in ${lower}.`) },
          );
        } catch (e) {
          throw mapped(e);
        }
        ctx.out.done();
        const r = done.outcome.result;
        const what = opts.validate ? 'Validation' : 'Back-deploy';
        const verdict = r.canceled ? 'was canceled' : r.success ? 'succeeded' : 'failed';
        const lines = [
          ...done.outcome.problems.map((p) => formatProblem(p)),
          `${what} ${r.id} of ${done.record.number ?? 'the back-deploy'} (${selected} component${selected === 1 ? '' : 's'} from ${upper.upper}) to ${lower} ${verdict}.${r.errorMessage ? ` ${r.errorMessage}` : ''}`,
        ];
        ctx.out.result(lines.join('\n'), {
          ...planJson(plan),
          record: { id: done.record.id ?? null, number: done.record.number ?? null, status: done.record.status },
          deploy: deployJson(lower, done.outcome),
        });
        if (r.canceled) throw new CliError('', EXIT.cancelled);
        if (!r.success) throw new CliError('', EXIT.failed);
      }),
    );

  program
    .command('back-promote')
    .description('Back-promotion: production → … → the last shared environment in reverse order, then the developer sandboxes, one back-deploy per step; stops at the first failure')
    .option('--from <env>', 'start from this environment instead of production')
    .option('--only <envs>', 'bring only these environments level (and those between them and the top), comma-separated')
    .option('--include-wip', 'bring components changed in a lower environment since its last sync down too')
    .action(
      run(async (ctx: CliContext, opts: BackPromoteOptions) => {
        const pipeline = await ctx.pipeline();
        const from = opts.from === undefined ? undefined : (await ctx.environment(opts.from, '--from')).name;
        const only = [];
        for (const n of keysOf(opts.only)) only.push((await ctx.environment(n, '--only')).name);
        const deps = depsOf(ctx);
        let result;
        try {
          result = await runBackPromotion(
            deps,
            { pipeline, missing: missingFromHistory(deps, pipeline), includeWip: opts.includeWip, ...(from ? { from } : {}), ...(only.length ? { include: only } : {}) },
            {
              signal: ctx.signal,
              onProgress: (p) => ctx.out.progress(p),
              onStep: (r) => {
                const s = r.steps.find((x) => x.status === 'running');
                if (s && !ctx.out.json) ctx.out.note(`${s.from} → ${s.to}…`);
              },
            },
          );
        } catch (e) {
          throw mapped(e);
        }
        ctx.out.done();
        const rows = result.run.steps.map((s) => [`${s.from} → ${s.to}`, s.status, s.detail ?? '']);
        const notes = result.notConnected.length ? `\nNot connected to the top, left out: ${result.notConnected.join(', ')}.` : '';
        ctx.out.result(`${table(['STEP', 'STATUS', 'DETAIL'], rows)}\n\n${result.summary}${notes}`, {
          state: result.run.state,
          steps: result.run.steps.map((s) => ({ from: s.from, to: s.to, sandbox: s.sandbox, status: s.status, detail: s.detail ?? null })),
          notConnected: result.notConnected,
          summary: result.summary,
        });
        if (result.run.state === 'cancelled') throw new CliError('', EXIT.cancelled);
        if (result.run.state === 'failed') throw new CliError('', EXIT.failed);
      }),
    );
}
