/** `changeline compare --from ENV --to ENV`: the editor's compare workflow, printed. */
import type { Command } from 'commander';
import { compareResultToCsv } from '../../core/compare/csv';
import type { CompareItem, CompareStatus } from '../../core/compare/types';
import { compareEnvironments } from '../../workflows/compare/run';
import { CompareStore } from '../../workflows/compare/store';
import { NodeFileStore } from '../../workflows/storage';
import type { CliContext } from '../context';
import { usageError } from '../exit';
import { table } from '../output';
import type { Runner } from '../runner';
import * as path from 'node:path';

interface CompareOptions {
  from?: string;
  to?: string;
  types?: string;
  full?: boolean;
  csv?: boolean;
  identical?: boolean;
  sourceTracking?: boolean;
}

const STATUS_TEXT: Record<CompareStatus, string> = { 'only-in-source': 'only in source', 'only-in-target': 'only in target', different: 'different', identical: 'identical' };

export function registerCompare(program: Command, run: Runner): void {
  program
    .command('compare')
    .description('Compare two environments: only in source, only in target, different, identical')
    .requiredOption('--from <env>', 'source environment')
    .requiredOption('--to <env>', 'target environment')
    .option('--types <types>', 'metadata types to compare, comma-separated (default: all)')
    .option('--full', 'ignore the cache and retrieve everything')
    .option('--csv', 'write the result as CSV (the editor\'s Export CSV)')
    .option('--identical', 'list identical components too')
    .option('--no-source-tracking', "do not read the orgs' change logs")
    .action(
      run(async (ctx: CliContext, opts: CompareOptions) => {
        if (opts.csv && ctx.out.json) throw usageError('Choose one of --csv and --json.');
        const [from, to] = [await ctx.environment(opts.from, '--from'), await ctx.environment(opts.to, '--to')];
        if (from.name === to.name) throw usageError(`Pick two different environments (both are "${from.name}").`);
        const types = opts.types?.split(',').map((t) => t.trim()).filter(Boolean);
        const store = new CompareStore(new NodeFileStore(path.join(ctx.cacheDir(), 'compare')), ctx.log);
        const { result } = await compareEnvironments(
          { sessions: ctx.sessions, salesforce: () => ctx.salesforce(), log: ctx.log, store },
          {
            sourceEnv: from.name,
            targetEnv: to.name,
            scope: types ? { types } : {},
            scopeLabel: types ? `${types.length} metadata type${types.length === 1 ? '' : 's'}` : 'All metadata types',
            full: opts.full,
            sourceTracking: opts.sourceTracking !== false,
          },
          { signal: ctx.signal, onProgress: (p) => ctx.out.progress(p) },
        );
        ctx.out.done();
        if (opts.csv) {
          process.stdout.write(compareResultToCsv(result));
          return;
        }
        const c = result.countsByStatus;
        const shown = result.items.filter((i) => opts.identical || i.status !== 'identical');
        const summary = `${from.name} → ${to.name}: ${c['only-in-source']} only in ${from.name}, ${c['only-in-target']} only in ${to.name}, ${c.different} different, ${c.identical} identical (${result.retrievedCount} retrieved, ${result.fromCacheCount} from cache)`;
        const rows = shown.map((i: CompareItem) => [STATUS_TEXT[i.status], i.type, i.fullName, (i.differingFiles ?? []).map((f) => f.path).join(', ')]);
        ctx.out.result(shown.length ? `${table(['STATUS', 'TYPE', 'NAME', 'DIFFERING FILES'], rows)}\n\n${summary}` : summary, {
          source: from.name,
          target: to.name,
          scope: types ?? 'all',
          startedAt: result.startedAt,
          counts: c,
          retrieved: result.retrievedCount,
          fromCache: result.fromCacheCount,
          items: result.items.map((i) => ({
            status: i.status,
            type: i.type,
            fullName: i.fullName,
            differingFiles: (i.differingFiles ?? []).map((f) => ({ path: f.path, change: f.change })),
            sourceModified: i.sourceModified ?? null,
            targetModified: i.targetModified ?? null,
          })),
        });
      }),
    );
}
