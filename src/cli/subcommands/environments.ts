/** `changeline environments`: each pipeline environment's connection state. */
import type { Command } from 'commander';
import type { ConnectionResult } from '../../core/orgs';
import { describeOrgError } from '../../core/orgErrors';
import { testOrg } from '../../workflows/environments/check';
import type { CliContext } from '../context';
import type { Runner } from '../runner';
import { CliError, EXIT } from '../exit';
import { table } from '../output';

export function registerEnvironments(program: Command, run: Runner): void {
  program
    .command('environments')
    .description("Test each pipeline environment's connection (exit 4 when one is not connected)")
    .action(run(async (ctx: CliContext) => {
      const pipeline = await ctx.pipeline();
      ctx.out.progress({ message: `Testing ${pipeline.environments.length} connections…` });
      const results: ConnectionResult[] = await Promise.all(pipeline.environments.map((e) => testOrg(ctx, e.org, e.name)));
      ctx.out.done();
      const rows = pipeline.environments.map((e, i) => {
        const r = results[i];
        const detail = r.info ? `${r.info.username} · ${r.info.orgId} (${r.info.orgType})` : r.error ? (r.error.kind === 'unexpected' ? r.error.message : describeOrgError(r.error.kind, r.org)) : '';
        return [e.name, e.role, e.org, r.state, detail];
      });
      ctx.out.result(
        table(['ENVIRONMENT', 'ROLE', 'ORG', 'STATE', 'DETAIL'], rows),
        pipeline.environments.map((e, i) => ({
          name: e.name,
          role: e.role,
          org: e.org,
          next: e.next ?? null,
          state: results[i].state,
          username: results[i].info?.username ?? null,
          orgId: results[i].info?.orgId ?? null,
          orgType: results[i].info?.orgType ?? null,
          error: results[i].error ?? null,
        })),
      );
      if (results.some((r) => r.state !== 'connected')) throw new CliError('', EXIT.org);
    }));
}
