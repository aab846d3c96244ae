/**
 * `changeline log --env ENV`: every deployment that reached the environment's org, Changeline's and
 * out-of-band ones, newest first, filterable; `--id` shows one deployment's component results and
 * test failures. The same workflows as the editor's log panel (src/workflows/promotion).
 */
import type { Command } from 'commander';
import { formatWhen } from '../../core/promotion/history';
import { componentCountText, describeFilter, isLogStatusGroup, LOG_STATUS_NAMES, statusLabel, testCountText, type LogFilter, type LogStatusGroup } from '../../core/promotion/log';
import type { DeploymentDetails, HistoryDeployment } from '../../core/promotion/org-history';
import { readDeploymentDetails } from '../../workflows/promotion/history';
import { readDeploymentLog } from '../../workflows/promotion/log';
import type { CliContext } from '../context';
import { usageError } from '../exit';
import { table } from '../output';
import type { Runner } from '../runner';

interface LogOptions {
  env?: string;
  status?: string;
  source?: string;
  checkOnly?: boolean;
  text?: string;
  days?: string;
  limit?: string;
  id?: string;
}

export const deploymentJson = (d: HistoryDeployment) => ({
  id: d.id,
  status: d.status,
  checkOnly: d.checkOnly,
  source: d.source,
  createdBy: d.createdByName ?? null,
  createdDate: d.createdDate ?? null,
  startDate: d.startDate ?? null,
  completedDate: d.completedDate ?? null,
  message: d.message ?? null,
  crNumbers: d.crNumbers ?? [],
  record: d.mark ? { label: d.mark.label ?? null, environment: d.mark.env ?? null, id: d.mark.recordId ?? null } : null,
  type: d.type ?? null,
  components: { total: d.componentsTotal ?? null, deployed: d.componentsDeployed ?? null, errors: d.componentErrors ?? null },
  tests: { total: d.testsTotal ?? null, completed: d.testsCompleted ?? null, errors: d.testErrors ?? null },
  errorMessage: d.errorMessage ?? null,
});

const whole = (v: string | undefined, name: string, max: number): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw usageError(`${name} takes a whole number from 1 to ${max} (got "${v}").`);
  return n;
};

/** The filter of the options; a bad value is a usage error naming the good ones. */
export function filterOf(o: LogOptions): LogFilter {
  const f: LogFilter = {};
  if (o.status) {
    const groups = o.status.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const bad = groups.find((g) => !isLogStatusGroup(g));
    if (bad !== undefined) throw usageError(`--status takes ${LOG_STATUS_NAMES.join(', ')} (comma-separated); "${bad}" is none of them.`);
    f.status = groups as LogStatusGroup[];
  }
  if (o.source) {
    const s = o.source.toLowerCase();
    if (s !== 'changeline' && s !== 'out-of-band') throw usageError(`--source takes changeline or out-of-band (got "${o.source}").`);
    f.source = s;
  }
  if (o.checkOnly !== undefined) f.checkOnly = o.checkOnly;
  if (o.text?.trim()) f.text = o.text.trim();
  return f;
}

function detailsText(d: DeploymentDetails): string {
  const lines: string[] = [];
  lines.push(d.components.length ? table(['RESULT', 'TYPE', 'COMPONENT'], d.components.map((c) => [c.state ?? '', c.type, c.fullName])) : 'No component results.');
  if (d.failures.length) lines.push('', 'Problems:', ...d.failures.map((f) => `  ${f.problemType} ${f.type} ${f.fullName}${f.line ? `:${f.line}` : ''}: ${f.problem}`));
  lines.push('', d.testsRun ? `${d.testsRun} tests run, ${d.testFailures.length} failed` : 'No tests run.');
  for (const t of d.testFailures) lines.push(`  ${t.className}.${t.methodName}: ${t.message}`);
  return lines.join('\n');
}

export function registerLog(program: Command, run: Runner): void {
  program
    .command('log')
    .description("An environment's deployment log: every deployment that reached its org (Changeline's and out-of-band), newest first")
    .requiredOption('--env <env>', 'the environment')
    .option('--status <groups>', `only these statuses, comma-separated: ${LOG_STATUS_NAMES.join(', ')}`)
    .option('--source <source>', 'only changeline or out-of-band deployments')
    .option('--check-only', 'only validations')
    .option('--no-check-only', 'only deploys (no validations)')
    .option('--text <words>', 'only deployments mentioning these words (id, who, message, CR, record, error)')
    .option('--days <n>', 'the last N days (default 30, what Salesforce keeps)')
    .option('--limit <n>', 'at most N deployments (default 2000)')
    .option('--id <deployId>', "one deployment's component results and test failures")
    .action(
      run(async (ctx: CliContext, o: LogOptions) => {
        const env = await ctx.environment(o.env);
        if (o.id) {
          if (!/^0Af[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(o.id)) throw usageError(`--id takes a deploy id (0Af…), got "${o.id}".`);
          ctx.out.progress({ message: `Reading deployment ${o.id} in ${env.name}…` });
          const d = await readDeploymentDetails(ctx, env.name, o.id, { signal: ctx.signal });
          ctx.out.done();
          ctx.out.result(detailsText(d), { environment: env.name, ...d });
          return;
        }
        const filter = filterOf(o);
        const log = await readDeploymentLog(ctx, env.name, {
          filter,
          pipeline: await ctx.pipeline(),
          days: whole(o.days, '--days', 365),
          limit: whole(o.limit, '--limit', 50_000),
          signal: ctx.signal,
          onProgress: (p) => ctx.out.progress(p),
        });
        ctx.out.done();
        for (const n of log.notes) ctx.out.note(`note: ${n}`);
        const rows = log.deployments.map((d) => [
          formatWhen(d.completedDate ?? d.startDate ?? d.createdDate),
          `${statusLabel(d.status)}${d.checkOnly ? ' (validation)' : ''}`,
          d.source === 'changeline' ? 'Changeline' : 'out of band',
          d.createdByName ?? '',
          componentCountText(d),
          testCountText(d),
          d.id,
          [d.mark?.label, d.crNumbers?.join(' '), d.message ?? d.errorMessage].filter(Boolean).join(' · '),
        ]);
        const described = describeFilter(filter);
        const head = `${env.name}: ${log.deployments.length} of ${log.total} deployments${described ? ` (${described})` : ''}`;
        ctx.out.result(
          `${head}\n${rows.length ? table(['WHEN', 'STATUS', 'SOURCE', 'WHO', 'COMPONENTS', 'TESTS', 'ID', 'DETAIL'], rows) : 'Nothing matches.'}`,
          { environment: env.name, total: log.total, shown: log.deployments.length, filter, notes: log.notes, deployments: log.deployments.map(deploymentJson) },
        );
      }),
    );
}
