/**
 * `changeline behind [--env ENV]`: for each environment and the one above it (or only ENV's), how
 * many deployments made to the upper environment (by Changeline and out of band) have components
 * that differ in the lower one. The same workflow as the tree's "2 behind UAT".
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { behindPairs, behindText, describeDeployment, listComponents } from '../../core/promotion';
import { CompareStore } from '../../workflows/compare/store';
import { deploymentsBehind, type BehindReport } from '../../workflows/promotion/behind';
import { NodeFileStore } from '../../workflows/storage';
import type { CliContext } from '../context';
import { usageError } from '../exit';
import { table } from '../output';
import type { Runner } from '../runner';

const reportJson = (r: BehindReport) => ({
  lower: r.lower,
  upper: r.upper,
  count: r.count,
  deployments: r.deployments.map((e) => ({
    id: e.deployment.id,
    source: e.deployment.source,
    completedDate: e.deployment.completedDate ?? null,
    createdBy: e.deployment.createdByName ?? null,
    message: e.deployment.message ?? null,
    crNumbers: e.deployment.crNumbers ?? [],
    componentsUnknown: e.componentsUnknown,
    differing: e.differing,
  })),
  notes: r.notes,
});

export function registerBehind(program: Command, run: Runner): void {
  program
    .command('behind')
    .description('Deployments each environment lacks from the one above it (Changeline and out-of-band deployments whose components differ)')
    .option('--env <env>', 'only this environment (against the one(s) above it)')
    .option('--days <n>', "the upper environment's deployments of the last N days (default 30)")
    .action(
      run(async (ctx: CliContext, o: { env?: string; days?: string }) => {
        const pipeline = await ctx.pipeline();
        const days = o.days === undefined ? undefined : Number(o.days);
        if (days !== undefined && !(Number.isInteger(days) && days > 0 && days <= 365)) throw usageError(`--days takes a whole number from 1 to 365 (got "${o.days}").`);
        const only = o.env ? (await ctx.environment(o.env)).name : undefined;
        const pairs = behindPairs(pipeline).filter((p) => !only || p.lower === only);
        if (pairs.length === 0) throw usageError(only ? `${only} has no environment above it in the pipeline: nothing can be behind.` : 'The pipeline has no environment above another.');
        const store = new CompareStore(new NodeFileStore(path.join(ctx.cacheDir(), 'compare')), ctx.log);
        const deps = { sessions: ctx.sessions, salesforce: () => ctx.salesforce(), log: ctx.log, store };
        const reports: BehindReport[] = [];
        for (const p of pairs) reports.push(await deploymentsBehind(deps, p.lower, p.upper, { pipeline, days, signal: ctx.signal, onProgress: (x) => ctx.out.progress(x) }));
        ctx.out.done();
        for (const n of new Set(reports.flatMap((r) => r.notes))) ctx.out.note(`note: ${n}`);
        const text = reports
          .map((r) => {
            const rows = r.deployments.map((e) => [e.deployment.id, describeDeployment(e.deployment), e.componentsUnknown ? 'components unknown' : listComponents(e.differing)]);
            return `${behindText(r)}${rows.length ? `\n${table(['ID', 'DEPLOYMENT', 'DIFFERING'], rows)}` : ''}`;
          })
          .join('\n\n');
        ctx.out.result(text, reports.map(reportJson));
      }),
    );
}
