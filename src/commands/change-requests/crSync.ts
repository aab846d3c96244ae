/**
 * Push a change request to the next environment, and pull change requests from another one,
 * through the Salesforce layer's sync. A copy changed on both sides is never overwritten
 * silently: each differing field is asked ("keep <from>'s" / "keep <to>'s") and the sync runs
 * again with those choices. A receiver without tracking gets the install offer, then a retry.
 */
import type { ChangeRequest, FieldConflict } from '../../core/change-requests';
import type { SyncOutcome } from '../../salesforce/tracking/sync';
import { syncUntilDone as runSync, type SyncChoices, type SyncDone, type SyncLeg, type SyncQuestions } from '../../workflows/change-requests/sync';
import { withCancellableProgress } from '../progress';
import type { Ctx } from '../../ctx';
import { connectionsOf, crTarget, checkEnvironment, resolveEnvironment } from './crArgs';
import { offerInstall } from './crTracking';

type Choices = SyncChoices;

interface PushArgs {
  to?: string;
  choices?: Choices;
}

interface PullArgs {
  environment?: string;
  from?: string;
  ids?: string[];
  choices?: Choices;
}

/** Short text of a field value for a quick pick (lists summarized). */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '(none)';
    const names = v.map((x) => (typeof x === 'object' && x && 'fullName' in x ? `${(x as { type: string }).type} ${(x as { fullName: string }).fullName}` : String(x)));
    return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  }
  const s = v === undefined || v === null || v === '' ? '(empty)' : String(v);
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}

/** Asks a side for each conflicting field; undefined when the user dismisses a pick. */
async function askChoices(ctx: Ctx, conflicts: readonly FieldConflict[], mineEnv: string, theirsEnv: string, given: SyncChoices = {}): Promise<SyncChoices | undefined> {
  const choices: SyncChoices = { ...given };
  for (const c of conflicts) {
    if (choices[c.field]) continue;
    const picked = await ctx.prompts.pick(
      [
        { label: `Keep ${mineEnv}'s`, detail: describeValue(c.mine), choice: 'mine' as const },
        { label: `Keep ${theirsEnv}'s`, detail: describeValue(c.theirs), choice: 'theirs' as const },
      ],
      { title: `${c.label} was changed in both ${mineEnv} and ${theirsEnv} since the last sync`, placeHolder: 'Which version should the copy keep?', ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    choices[c.field] = picked.choice;
  }
  return choices;
}

/** The sync workflow under cancellable progress, its questions asked in the editor. */
function syncUntilDone(ctx: Ctx, leg: SyncLeg): Promise<SyncDone | undefined> {
  const questions: SyncQuestions = {
    resolve: (conflicts, given) => askChoices(ctx, conflicts, leg.fromEnv, leg.toEnv, given),
    offerInstall: (env, outdated) => offerInstall(ctx, env, outdated),
  };
  const title = `${leg.direction === 'push' ? 'Pushing to' : 'Pulling into'} ${leg.toEnv}`;
  return withCancellableProgress(title, (opts) => runSync(ctx, leg, questions, opts));
}

/** The number of a CR not loaded in the tree (read from its org). */
async function sourceNumber(ctx: Ctx, env: string, id: string): Promise<string> {
  const sf = await ctx.salesforce();
  const cr = await sf.getChangeRequest((await ctx.sessions.get(env)).handle, id);
  return cr.number ?? `"${cr.name}"`;
}

const notInOrg = (n: number, env: string): string => (n ? ` (${n} customization${n === 1 ? '' : 's'} marked not in ${env})` : '');

/** pushChangeRequest(node | {environment, id, to?, choices?}) */
export async function pushChangeRequest(ctx: Ctx, arg?: unknown): Promise<SyncOutcome | undefined> {
  const t = crTarget(arg);
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as PushArgs;
  const targets = connectionsOf(ctx, t.environment, 'from').map((c) => c.to);
  if (targets.length === 0) {
    throw new Error(`The pipeline connects ${t.environment} to no other environment, so there is nowhere to push from it; set its "next" in the pipeline file.`);
  }
  let to = a.to;
  if (to !== undefined) {
    checkEnvironment(ctx, to);
    if (!targets.includes(to)) {
      throw new Error(`${t.environment} cannot push to ${to}: changes climb one environment at a time, and the pipeline connects ${t.environment} only to ${targets.join(', ')}.`);
    }
  } else {
    to = await resolveEnvironment(ctx, undefined, `Push to which environment?`, targets);
    if (!to) return undefined;
  }
  const done = await syncUntilDone(ctx, { fromEnv: t.environment, toEnv: to, crId: t.id, direction: 'push', choices: a.choices });
  if (!done) return undefined;
  const number = ctx.changeRequests.find(t.environment, t.id)?.number ?? (await sourceNumber(ctx, t.environment, t.id));
  const message = `${done.created ? 'Pushed' : 'Updated'} ${number} ${done.created ? 'to' : 'in'} ${to} as ${done.copy.number}${notInOrg(done.proposed.length, to)}.`;
  ctx.log.info(message);
  void ctx.prompts.info(message);
  ctx.sessions.notifyChanged({ environment: to });
  ctx.sessions.notifyChanged({ environment: t.environment, id: t.id });
  return done;
}

/** pullChangeRequests(node | {environment, from?, ids?}): pick CRs of another environment and copy them here. */
export async function pullChangeRequests(ctx: Ctx, arg?: unknown): Promise<SyncOutcome[] | undefined> {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as PullArgs;
  const env = await resolveEnvironment(ctx, arg, 'Pull change requests into which environment?');
  if (!env) return undefined;
  const others = ctx.model.environments().map((e) => e.name).filter((n) => n !== env);
  if (others.length === 0) throw new Error(`The pipeline has no environment besides ${env} to pull from; add one first.`);
  const from = a.from !== undefined ? checkEnvironment(ctx, a.from) : await resolveEnvironment(ctx, undefined, `Pull into ${env} from which environment?`, others);
  if (!from) return undefined;
  if (from === env) throw new Error(`${env} cannot pull from itself; choose another environment.`);

  let ids = a.ids;
  if (!ids) {
    const sf = await ctx.salesforce();
    const source = await ctx.sessions.get(from);
    const page = await sf.listChangeRequests(source.handle, { pageSize: 2000 });
    if (page.items.length === 0) {
      void ctx.prompts.info(`${from} has no change requests to pull.`);
      return [];
    }
    const picked = await ctx.prompts.pickMany(
      page.items.map((cr: ChangeRequest) => ({ label: cr.number ?? cr.name, description: cr.name, detail: cr.status, id: cr.id! })),
      { title: `Pull into ${env} from ${from}`, placeHolder: page.next ? `The newest ${page.items.length} of ${page.totalSize}` : 'Choose change requests', matchOnDescription: true, ignoreFocusOut: true },
    );
    if (!picked || picked.length === 0) return undefined;
    ids = picked.map((p) => p.id);
  }
  const outcomes: SyncOutcome[] = [];
  for (const id of ids) {
    const done = await syncUntilDone(ctx, { fromEnv: from, toEnv: env, crId: id, direction: 'pull', choices: a.choices });
    if (!done) break;
    outcomes.push(done);
  }
  if (outcomes.length) {
    const numbers = outcomes.map((o) => (o.ok ? o.copy.number : '')).join(', ');
    const proposed = outcomes.reduce((n, o) => n + (o.ok ? o.proposed.length : 0), 0);
    const message = `Pulled ${outcomes.length} change request${outcomes.length === 1 ? '' : 's'} from ${from} into ${env}: ${numbers}${notInOrg(proposed, env)}.`;
    ctx.log.info(message);
    void ctx.prompts.info(message);
    ctx.sessions.notifyChanged({ environment: env });
  }
  return outcomes;
}
