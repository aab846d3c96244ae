/** `changeline cr list|show|submit|approve|reject|push`: change requests, by the same workflows and rules as the editor. */
import type { Command } from 'commander';
import { changeStatus, type ChangeRequest, type CrStatus } from '../../core/change-requests';
import { selfApprovalAllowed } from '../../core/pipeline';
import { findChangeRequest, listAllChangeRequests } from '../../workflows/change-requests/find';
import { syncUntilDone } from '../../workflows/change-requests/sync';
import type { CliContext } from '../context';
import { CliError, EXIT, refused, usageError } from '../exit';
import { table } from '../output';
import type { Runner } from '../runner';

const components = (cr: ChangeRequest) => [...cr.customizations, ...cr.proposedCustomizations.map((c) => ({ ...c, proposed: true }))];

const crJson = (cr: ChangeRequest, env: string) => ({
  environment: env,
  id: cr.id ?? null,
  number: cr.number ?? null,
  name: cr.name,
  status: cr.status,
  changeType: cr.changeType,
  overview: cr.overview,
  customizations: cr.customizations,
  proposedCustomizations: cr.proposedCustomizations,
  approvers: cr.approvers,
  origin: cr.origin ?? null,
  lastModified: cr.lastModified ?? null,
});

export function registerChangeRequests(program: Command, run: Runner): void {
  const cr = program.command('cr').description('Change requests stored in the orgs');

  cr.command('list')
    .description("List an environment's change requests, newest first")
    .requiredOption('--env <env>', 'environment')
    .option('--status <status>', 'only this status (Draft, Pending approval, Approved, …)')
    .action(
      run(async (ctx: CliContext, opts: { env: string; status?: string }) => {
        const env = await ctx.environment(opts.env);
        const all = await listAllChangeRequests(ctx, env.name, ctx.signal);
        const items = opts.status ? all.filter((c) => c.status.toLowerCase() === opts.status!.toLowerCase()) : all;
        const rows = items.map((c) => [c.number ?? '', c.status, c.changeType, String(components(c).length), c.name]);
        ctx.out.result(items.length ? table(['NUMBER', 'STATUS', 'TYPE', 'COMPONENTS', 'NAME'], rows) : `${env.name} has no change requests${opts.status ? ` with status ${opts.status}` : ''}.`, items.map((c) => crJson(c, env.name)));
      }),
    );

  cr.command('show')
    .description('Show one change request (by number, e.g. CR-00042, or record id)')
    .requiredOption('--env <env>', 'environment')
    .argument('<cr>', 'number or record id')
    .action(
      run(async (ctx: CliContext, ref: string, opts: { env: string }) => {
        const env = await ctx.environment(opts.env);
        const c = await findChangeRequest(ctx, env.name, ref, ctx.signal);
        const lines = [
          `${c.number ?? c.id} · ${c.name}`,
          `Status: ${c.status}    Type: ${c.changeType}    Environment: ${env.name}`,
          ...(c.origin ? [`Copied from ${c.origin.number ?? c.origin.recordId}${c.origin.environment ? ` in ${c.origin.environment}` : ''}`] : []),
          '',
          c.overview || '(no overview)',
          '',
          components(c).length ? table(['TYPE', 'NAME', ''], components(c).map((x) => [x.type, x.fullName, 'proposed' in x ? 'proposed (not in the org yet)' : ''])) : 'No customizations.',
        ];
        ctx.out.result(lines.join('\n'), crJson(c, env.name));
      }),
    );

  const move = (name: string, to: CrStatus, description: string, needsComment: boolean) =>
    cr
      .command(name)
      .description(description)
      .requiredOption('--env <env>', 'environment')
      .argument('<cr>', 'number or record id')
      .option('--comment <text>', needsComment ? 'why (required; kept in its history)' : 'kept in its history')
      .action(
        run(async (ctx: CliContext, ref: string, opts: { env: string; comment?: string }) => {
          if (needsComment && !opts.comment?.trim()) throw usageError(`${name} needs --comment "why" (kept in the change request's history).`);
          const env = await ctx.environment(opts.env);
          const session = await ctx.sessions.get(env.name);
          const sf = await ctx.salesforce();
          const c = await findChangeRequest(ctx, env.name, ref, ctx.signal);
          const approval = { selfApproval: selfApprovalAllowed(env), environment: env.name };
          const outcome = await changeStatus({ store: sf.trackingStore(session.handle), actor: { userId: session.userId }, approval }, c, to, opts.comment);
          if (!outcome.ok) {
            if ('conflict' in outcome) throw new CliError(`${outcome.reason} Nothing was saved; run it again.`, EXIT.failed);
            throw refused(outcome.reason);
          }
          ctx.out.result(`${c.number ?? c.id} is now ${to}.`, crJson(outcome.cr, env.name));
        }),
      );
  move('submit', 'Pending approval', 'Submit a draft for approval', false);
  move('approve', 'Approved', 'Approve a change request you are an approver of', true);
  move('reject', 'Rejected', 'Reject a change request you are an approver of', true);

  cr.command('push')
    .description('Push a change request to the next environment (the pipeline decides which)')
    .requiredOption('--env <env>', 'environment the CR is in')
    .requiredOption('--to <env>', 'environment to push to')
    .argument('<cr>', 'number or record id')
    .option('--keep <side>', "on a conflict, keep 'mine' (the sender's) or 'theirs' (the copy's) for every differing field")
    .action(
      run(async (ctx: CliContext, ref: string, opts: { env: string; to: string; keep?: string }) => {
        const [from, to] = [await ctx.environment(opts.env), await ctx.environment(opts.to, '--to')];
        const pipeline = await ctx.pipeline();
        const targets = pipeline.connections.filter((c) => c.from === from.name).map((c) => c.to);
        if (!targets.includes(to.name)) {
          throw refused(
            targets.length
              ? `${from.name} cannot push to ${to.name}: changes climb one environment at a time, and the pipeline connects ${from.name} only to ${targets.join(', ')}.`
              : `The pipeline connects ${from.name} to no other environment, so there is nowhere to push from it; set its "next" in the pipeline file.`,
          );
        }
        if (opts.keep && opts.keep !== 'mine' && opts.keep !== 'theirs') throw usageError(`--keep takes mine or theirs (got "${opts.keep}").`);
        const c = await findChangeRequest(ctx, from.name, ref, ctx.signal);
        const keep = opts.keep as 'mine' | 'theirs' | undefined;
        const done = await syncUntilDone(
          ctx,
          { fromEnv: from.name, toEnv: to.name, crId: c.id!, direction: 'push' },
          {
            resolve: async (conflicts, given) => {
              if (!keep) throw new CliError(`The copy in ${to.name} was changed too (${conflicts.map((x) => x.label).join(', ')}); nothing was written. Run again with --keep mine or --keep theirs.`, EXIT.failed);
              return Object.fromEntries([...Object.entries(given), ...conflicts.map((x) => [x.field, keep])]);
            },
            offerInstall: async (e, outdated) => {
              throw new CliError(`Change tracking is ${outdated ? 'out of date' : 'not installed'} in ${e}; ${outdated ? 'upgrade' : 'install'} it from the editor (Changeline: Install Change Tracking…) first.`, EXIT.failed);
            },
          },
          { signal: ctx.signal, onProgress: (p) => ctx.out.progress(p) },
        );
        ctx.out.done();
        if (!done) throw new CliError('Nothing was pushed.', EXIT.failed);
        ctx.out.result(`${done.created ? 'Pushed' : 'Updated'} ${c.number} ${done.created ? 'to' : 'in'} ${to.name} as ${done.copy.number}.`, { created: done.created, copy: crJson(done.copy, to.name), proposed: done.proposed });
      }),
    );
}
