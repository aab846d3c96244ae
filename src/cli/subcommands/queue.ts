/**
 * `changeline send` and `changeline queue …`: changes sent from an environment into the next one's
 * deployment queue (an entry in the target org, with the package), and that queue read, deployed
 * or rejected by its release managers. The same workflows as the editor (src/workflows/promotion).
 */
import type { Command } from 'commander';
import { entryLabel, formatWhen, type QueueEntry } from '../../core/promotion';
import { deployEntry, findEntry, readQueue, rejectEntry, type DeployEntryOutcome } from '../../workflows/promotion/queue';
import * as path from 'node:path';
import { CompareStore } from '../../workflows/compare/store';
import { NodeFileStore } from '../../workflows/storage';
import { deploymentsBehind } from '../../workflows/promotion/behind';
import { sendChanges, type SendScope } from '../../workflows/promotion/send';
import { withdrawEntry } from '../../workflows/promotion/withdraw';
import type { CliContext } from '../context';
import { CliError, EXIT, refused, usageError } from '../exit';
import { table } from '../output';
import type { Runner } from '../runner';
import { deployJson, formatProblem, mapped } from './deploy';

/** The documented --json shape of a queue entry (docs/cli.md). */
export const entryJson = (e: QueueEntry) => ({
  id: e.id ?? null,
  number: e.number ?? null,
  status: e.status,
  source: e.source,
  target: e.target,
  message: e.message,
  sender: { name: e.sender.name, username: e.sender.username ?? null },
  sentAt: e.sentAt,
  crs: e.crs.map((c) => ({ number: c.number ?? null, id: c.id ?? null })),
  components: e.components,
  packageFileId: e.packageFileId ?? null,
  deployId: e.deploymentId ?? null,
  deployedBy: e.deployedBy ?? null,
  finishedAt: e.finishedAt ?? null,
  rejection: e.rejection ?? null,
  withdrawn: e.withdrawn ?? null,
  failure: e.failure ?? null,
  result: e.result ?? null,
  snapshot: e.snapshot ? { fileId: e.snapshot.fileId, takenAt: e.snapshot.takenAt, existed: e.snapshot.existed, absent: e.snapshot.absent } : null,
  revert: e.revert ? { deployId: e.revert.id, status: e.revert.status, by: e.revert.byName ?? e.revert.by, startedAt: e.revert.startedAt, completedAt: e.revert.completedAt ?? null } : null,
});

const crsText = (e: QueueEntry) => e.crs.map((c) => c.number ?? c.id).join(', ') || '—';

function outcomeOf(o: { ok: false; reason: string; conflict?: true }): CliError {
  if (o.conflict) return new CliError(`${o.reason} Nothing was saved; run it again.`, EXIT.failed);
  return refused(o.reason);
}

export function registerQueue(program: Command, run: Runner): void {
  program
    .command('send')
    .description("Send changes to the next environment's deployment queue (an entry in its org, with the package retrieved from this one)")
    .requiredOption('--from <env>', 'the sending environment')
    .option('--to <env>', 'the target, when the pipeline lets the environment send to more than one')
    .option('--cr <cr>', 'send one change request (number or id); default: the approved change requests of --from')
    .option('--deployment <record>', 'send the components of one deployment record (DEP-00003 or id)')
    .requiredOption('-m, --message <text>', "what the changes do, for the target's release managers")
    .option('--no-sync-check', 'skip counting the deployments the target has that --from lacks (the advice to sync first)')
    .action(
      run(async (ctx: CliContext, opts: { from: string; to?: string; cr?: string; deployment?: string; message: string; syncCheck: boolean }) => {
        if (opts.cr && opts.deployment) throw usageError('Give --cr or --deployment, not both.');
        const from = await ctx.environment(opts.from, '--from');
        const to = opts.to ? (await ctx.environment(opts.to, '--to')).name : undefined;
        const scope: SendScope = opts.cr ? { kind: 'cr', ref: opts.cr } : opts.deployment ? { kind: 'deployment', ref: opts.deployment } : { kind: 'environment' };
        const pipeline = await ctx.pipeline();
        const store = new CompareStore(new NodeFileStore(path.join(ctx.cacheDir(), 'compare')), ctx.log);
        const countBehind = opts.syncCheck
          ? async (lower: string, upper: string, signal?: AbortSignal) =>
              (await deploymentsBehind({ sessions: ctx.sessions, salesforce: () => ctx.salesforce(), log: ctx.log, store }, lower, upper, { pipeline, signal })).count
          : undefined;
        const sent = await sendChanges(ctx, { from: from.name, to, pipeline, scope, message: opts.message, countBehind }, { signal: ctx.signal, onProgress: (p) => ctx.out.progress(p) });
        ctx.out.done();
        if (!sent.ok) throw refused(sent.reason);
        const advice = 'advice' in sent ? (sent.advice ?? null) : null;
        if (advice) ctx.out.note(advice);
        const e = sent.entry;
        ctx.out.result(`Sent to ${e.target} as ${entryLabel(e)}: ${e.components.length} component${e.components.length === 1 ? '' : 's'}, CRs ${crsText(e)}. ${e.target}'s release managers deploy or reject it from its queue.`, { entry: entryJson(e), advice });
      }),
    );

  const queue = program.command('queue').description("An environment's deployment queue: what was sent to it, deployed or rejected by its release managers");

  queue
    .command('list')
    .description('The entries in the order they were sent, who may act on them, and what concerns you as a sender')
    .requiredOption('--env <env>', 'environment whose queue to read')
    .action(
      run(async (ctx: CliContext, opts: { env: string }) => {
        const env = await ctx.environment(opts.env);
        const view = await readQueue(ctx, env.name, { signal: ctx.signal });
        const rows = view.entries.map((e) => [e.number ?? '', e.status, e.source, e.sender.name, formatWhen(e.sentAt), crsText(e), String(e.components.length), e.message.split('\n')[0]]);
        const text = [
          view.entries.length ? table(['ENTRY', 'STATUS', 'FROM', 'SENDER', 'SENT', 'CRS', 'COMPONENTS', 'MESSAGE'], rows) : `${env.name}'s deployment queue is empty.`,
          view.canManage ? `You are a release manager of ${env.name}.` : (view.refusal ?? ''),
          ...view.notices.map((n) => n.text),
        ].filter(Boolean);
        ctx.out.result(text.join('\n'), {
          environment: env.name,
          releaseManagers: view.releaseManagers,
          canManage: view.canManage,
          refusal: view.refusal ?? null,
          entries: view.entries.map(entryJson),
          notices: view.notices.map((n) => ({ entry: n.entry.number ?? n.entry.id ?? null, text: n.text })),
        });
      }),
    );

  queue
    .command('deploy')
    .description("Deploy an entry's package to the environment (release managers only), optionally validated first")
    .requiredOption('--env <env>', 'environment whose queue holds the entry')
    .argument('<entry>', 'number (Q-00003) or id')
    .option('--validate-first', 'validate (check-only, with the tests) first; deploy only if it succeeds')
    .option('--overwrite', 'overwrite components someone changed in the environment after the send (without it, such changes stop the deploy before anything is sent)')
    .action(
      run(async (ctx: CliContext, ref: string, opts: { env: string; validateFirst?: boolean; overwrite?: boolean }) => {
        const env = await ctx.environment(opts.env);
        let done: DeployEntryOutcome;
        try {
          done = await deployEntry(ctx, { env: env.name, ref, pipeline: await ctx.pipeline(), validateFirst: opts.validateFirst === true }, {
            signal: ctx.signal,
            onProgress: (p) => ctx.out.progress(p),
            onStarted: (id) => ctx.out.note(`Deploy ${id} of ${ref} started in ${env.name}.`),
            confirmOverwrites: () => opts.overwrite === true,
          });
        } catch (e) {
          throw mapped(e);
        }
        ctx.out.done();
        if (!done.ok) throw outcomeOf(done);
        if (done.advice) ctx.out.note(done.advice);
        for (const n of [...done.crs.updated.map((u) => `${done.entry.source}: ${u}`), ...done.crs.notes]) ctx.out.note(n);
        const last = done.outcome ?? done.validation;
        const lines = [...(last?.problems.map((p) => formatProblem(p)) ?? []), `${entryLabel(done.entry)} is ${done.entry.status} in ${env.name}.${done.entry.failure ? ` ${done.entry.failure}` : ''}`];
        ctx.out.result(lines.join('\n'), {
          entry: entryJson(done.entry),
          validation: done.validation ? deployJson(env.name, done.validation) : null,
          deploy: done.outcome ? deployJson(env.name, done.outcome) : null,
          advice: done.advice ?? null,
          crs: done.crs,
        });
        if (last?.result.canceled) throw new CliError('', EXIT.cancelled);
        if (done.entry.status !== 'Deployed') throw new CliError('', EXIT.failed);
      }),
    );

  queue
    .command('reject')
    .description('Reject an entry with a reason its sender reads (release managers only)')
    .requiredOption('--env <env>', 'environment whose queue holds the entry')
    .argument('<entry>', 'number (Q-00003) or id')
    .requiredOption('--reason <text>', 'why (the sender reads it)')
    .action(
      run(async (ctx: CliContext, ref: string, opts: { env: string; reason: string }) => {
        const env = await ctx.environment(opts.env);
        const view = await readQueue(ctx, env.name, { signal: ctx.signal });
        const e = findEntry(view, ref);
        if (!e) throw new CliError(`There is no entry ${ref} in ${env.name}'s deployment queue.`, EXIT.failed);
        const out = await rejectEntry(ctx, env.name, e, opts.reason, { signal: ctx.signal });
        if (!out.ok) throw outcomeOf(out);
        ctx.out.result(`${entryLabel(out.entry)} rejected; ${out.entry.sender.name} sees why.`, entryJson(out.entry));
      }),
    );

  queue
    .command('withdraw')
    .description('Take back an entry you sent while it still waits (Queued, Failed or deploy-cancelled); it can then no longer be deployed')
    .requiredOption('--env <env>', 'environment whose queue holds the entry')
    .argument('<entry>', 'number (Q-00003) or id')
    .action(
      run(async (ctx: CliContext, ref: string, opts: { env: string }) => {
        const env = await ctx.environment(opts.env);
        const view = await readQueue(ctx, env.name, { signal: ctx.signal });
        const e = findEntry(view, ref);
        if (!e) throw new CliError(`There is no entry ${ref} in ${env.name}'s deployment queue.`, EXIT.failed);
        const out = await withdrawEntry(ctx, env.name, e, { signal: ctx.signal });
        if (!out.ok) throw outcomeOf(out);
        ctx.out.result(`${entryLabel(out.entry)} was withdrawn from ${env.name}'s queue; the same changes may be sent again.`, entryJson(out.entry));
      }),
    );
}
