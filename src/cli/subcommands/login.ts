/**
 * `changeline login --instance-url URL --alias A`: authorizes an org for CI from an access token in
 * the SF_ACCESS_TOKEN environment variable (never from the command line, never printed), through
 * the same login layer as the editor; the authorization lands where the sf CLI keeps its own.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { usageError } from '../exit';
import type { Runner } from '../runner';

export function registerLogin(program: Command, run: Runner): void {
  program
    .command('login')
    .description('Authorize an org from the access token in $SF_ACCESS_TOKEN (for CI)')
    .requiredOption('--instance-url <url>', 'the org URL, e.g. https://mydomain.my.salesforce.com')
    .option('--alias <alias>', 'alias to give the org (the pipeline file names orgs by alias or username)')
    .action(
      run(async (ctx: CliContext, opts: { instanceUrl: string; alias?: string }) => {
        const token = process.env.SF_ACCESS_TOKEN?.trim();
        if (!token) throw usageError('Set SF_ACCESS_TOKEN to the access token (in CI, from a secret); it is never read from the command line.');
        const sf = await ctx.salesforce();
        const conn = await sf.authorizeWithToken({ accessToken: token, instanceUrl: opts.instanceUrl, alias: opts.alias });
        const info = await sf.testConnection(conn);
        ctx.out.result(`Authorized ${info.username} (${info.orgId}, ${info.orgType})${opts.alias ? ` as ${opts.alias}` : ''}.`, {
          username: info.username,
          orgId: info.orgId,
          orgType: info.orgType,
          instanceUrl: info.instanceUrl,
          alias: opts.alias ?? null,
        });
      }),
    );
}
