/**
 * Back Deploy… (on an environment) and Back-Promote Pipeline…: thin over the back-deploy
 * workflows. The dialog is a quick pick shown again after each step: the deployments the lower
 * environment lacks (who, when, message, CRs), the net components with new/changed/deleted and
 * work-in-progress flags (picking one opens its native diff, upper ↔ lower), Select Components…
 * to deselect, Ignore All, and Deploy / Validate, which run under a cancellable progress.
 */
import * as vscode from 'vscode';
import { componentKey, formatWhen, plural } from '../../core/promotion/history';
import { promotionTargets } from '../../core/promotion/send';
import { setSelected, type NetItem } from '../../core/back-deploy';
import { COMPARE_STATUSES, type CompareStatus } from '../../core/compare/types';
import { deploymentLabel } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import { CancelledError, type Ctx } from '../../ctx';
import type { CompareView } from '../../shared/compareProtocol';
import { missingFromHistory, upperOf } from '../../workflows/back-deploy/missing';
import { planBackDeploy, type BackDeployPlan } from '../../workflows/back-deploy/plan';
import { runBackPromotion, type BackPromoteResult } from '../../workflows/back-deploy/promote';
import { runBackDeploy, type BackDeployResult } from '../../workflows/back-deploy/run';
import { DeployError } from '../../workflows/deploy/run';
import { openCompareDiff } from '../compare/compareDiff';
import { sessionExpiredHandler } from '../deploy/follow';
import { withCancellableProgress } from '../progress';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function pipelineOf(ctx: Ctx): Pipeline {
  const s = ctx.model.status;
  if (s.kind !== 'ok') throw new Error('The pipeline file is missing or has errors: fix it (see the Problems panel) before back-deploying.');
  return s.pipeline;
}

const backDeployDeps = (ctx: Ctx) => ({ sessions: ctx.sessions, salesforce: () => ctx.salesforce(), log: ctx.log, compareStore: ctx.compare.store });

async function chooseLower(ctx: Ctx, pipeline: Pipeline, arg: unknown): Promise<string> {
  const given = isRecord(arg) ? (typeof arg.lower === 'string' ? arg.lower : typeof arg.name === 'string' ? arg.name : undefined) : typeof arg === 'string' ? arg : undefined;
  if (given !== undefined) {
    if (!pipeline.environments.some((e) => e.name === given)) throw new Error(`"${given}" is not an environment of the pipeline.`);
    return given;
  }
  const below = pipeline.environments.filter((e) => promotionTargets(pipeline, e.name).length > 0);
  if (below.length === 0) throw new Error('No environment of the pipeline promotes to another, so none has anything above it to back-deploy from.');
  const pick = await ctx.prompts.pick(
    below.map((e) => ({ label: e.name, description: e.org })),
    { title: 'Back Deploy: the environment to bring level', placeHolder: 'It receives what was deployed above it and it lacks' },
  );
  if (!pick) throw new CancelledError('Back Deploy');
  return pick.label;
}

async function chooseUpper(ctx: Ctx, pipeline: Pipeline, lower: string, arg: unknown): Promise<string> {
  const from = isRecord(arg) && typeof arg.upper === 'string' ? arg.upper : undefined;
  const u = upperOf(pipeline, lower, from);
  if (u.ok) return u.upper;
  if (from !== undefined) throw new Error(u.reason);
  const targets = promotionTargets(pipeline, lower).map((e) => e.name);
  if (targets.length < 2) throw new Error(u.reason);
  const pick = await ctx.prompts.pick(
    targets.map((t) => ({ label: t })),
    { title: `Back Deploy to ${lower} from…` },
  );
  if (!pick) throw new CancelledError('Back Deploy');
  return pick.label;
}

/** The plan's compare as a compare view, so a component's native diff opens as the compare panel's does. */
export function compareViewOf(plan: BackDeployPlan): CompareView {
  const items = Object.values(plan.compared);
  const countsByStatus = Object.fromEntries(COMPARE_STATUSES.map((s) => [s, items.filter((i) => i.status === s).length])) as Record<CompareStatus, number>;
  return {
    sourceEnv: plan.upper,
    targetEnv: plan.lower,
    scope: `Back-deploy ${plan.upper} → ${plan.lower}`,
    startedAt: new Date().toISOString(),
    items,
    countsByStatus,
    countsByType: {},
    notFound: [],
    retrievedCount: 0,
    fromCacheCount: 0,
    request: { components: items.map((i) => ({ type: i.type, fullName: i.fullName })) },
  };
}

type Choice =
  | { action: 'deploy' | 'validate' | 'select' | 'ignore' | 'none' }
  | { action: 'diff'; item: NetItem };

type DialogItem = vscode.QuickPickItem & { choice?: Choice };

const KIND_ICON = { new: '$(diff-added)', changed: '$(diff-modified)', deleted: '$(diff-removed)' } as const;

/** The dialog's rows: actions, the missing deployments, the components. */
export function dialogItems(plan: BackDeployPlan): DialogItem[] {
  const selected = plan.net.items.filter((i) => i.selected).length;
  const rows: DialogItem[] = [
    { label: `$(cloud-download) Deploy ${plural(selected, 'Component')} to ${plan.lower}`, description: 'one deployment, recorded in its org', choice: { action: 'deploy' } },
    { label: `$(pass) Validate in ${plan.lower}`, description: 'a check-only deploy; nothing changes', choice: { action: 'validate' } },
    { label: `$(checklist) Select Components…`, description: `${selected} of ${plan.net.items.length} selected`, choice: { action: 'select' } },
    { label: '$(eye-closed) Ignore All', description: `until a new deployment reaches ${plan.upper}`, choice: { action: 'ignore' } },
    { label: `${plural(plan.deployments.length, 'deployment')} ${plan.lower} lacks`, kind: vscode.QuickPickItemKind.Separator },
  ];
  for (const d of [...plan.deployments].reverse()) {
    rows.push({
      label: `$(history) ${formatWhen(d.completedDate ?? d.startDate)}${d.createdByName ? ` · ${d.createdByName}` : ''}`,
      description: d.message ?? (d.source === 'out-of-band' ? 'out of band' : ''),
      detail: [d.crNumbers?.length ? d.crNumbers.join(', ') : '', d.components ? plural(d.components.length, 'component') : 'components unknown', d.id].filter(Boolean).join(' · '),
      choice: { action: 'none' },
    });
  }
  rows.push({ label: 'Components (pick one to open its diff)', kind: vscode.QuickPickItemKind.Separator });
  for (const i of plan.net.items) {
    rows.push({
      label: `${KIND_ICON[i.kind]} ${i.component.type} ${i.component.fullName}`,
      description: `${i.kind}${i.selected ? '' : ' · not selected'}${i.workInProgress ? ' · $(warning) work in progress' : ''}`,
      ...(i.workInProgress ? { detail: i.workInProgress } : {}),
      choice: { action: 'diff', item: i },
    });
  }
  return rows;
}

async function selectComponents(ctx: Ctx, plan: BackDeployPlan): Promise<BackDeployPlan> {
  const items = plan.net.items.map((i) => ({
    label: `${i.component.type} ${i.component.fullName}`,
    description: i.kind,
    ...(i.workInProgress ? { detail: `$(warning) ${i.workInProgress}` } : {}),
    picked: i.selected,
    key: componentKey(i.component),
  }));
  const chosen = await ctx.prompts.pickMany(items, { title: `Components to bring from ${plan.upper} to ${plan.lower}`, ignoreFocusOut: true });
  if (!chosen) return plan;
  const net = setSelected(setSelected(plan.net, 'all', false), chosen.map((c) => c.key), true);
  return { ...plan, net };
}

/** Runs the work; a refusal (nothing sent) is a warning and undefined; the deployment records of `env` (all when undefined) are read again after. */
async function refusalsWarned<T>(ctx: Ctx, env: string | undefined, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof DeployError && e.kind === 'refused') {
      void ctx.prompts.warn(e.message);
      return undefined;
    }
    throw e;
  } finally {
    ctx.deployments.refresh(env);
    ctx.deploymentPanels.refresh(env);
    ctx.behind.invalidate(env);
  }
}

async function runIt(ctx: Ctx, plan: BackDeployPlan, pipeline: Pipeline, validate: boolean): Promise<BackDeployResult | undefined> {
  const what = validate ? 'Validation' : 'Back Deploy';
  const result = await refusalsWarned(ctx, plan.lower, () =>
    withCancellableProgress(
      `${what} ${plan.upper} → ${plan.lower}`,
      (opts) =>
        runBackDeploy(ctx, { plan, pipeline, validate }, {
          ...opts,
          onSessionExpired: sessionExpiredHandler(ctx, plan.lower, validate ? 'validation' : 'back-deploy'),
          confirmOverwrites: async (flags) =>
            ctx.prompts.confirm(
              `${plural(flags.length, 'component')} changed in ${plan.lower} while the back-deploy was prepared. Overwrite ${flags.length === 1 ? 'it' : 'them'}?`,
              'Overwrite',
              flags.map((f) => f.message.split('. Deploying')[0]).join('\n'),
            ),
        }),
      { cancelledAs: what },
    ),
  );
  if (!result) return undefined;
  const r = result.outcome.result;
  const head = `${validate ? 'Validation' : 'Back-deploy'} ${r.id} of ${deploymentLabel(result.record)} (${plan.upper} → ${plan.lower})`;
  for (const p of result.outcome.problems) ctx.log.warn(`${head}: ${p.path ?? `${p.component.type} ${p.component.fullName}`}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`);
  if (r.canceled) void ctx.prompts.info(`${head} was canceled in the org; ${plan.lower} is as it was.`);
  else if (r.success) void ctx.prompts.info(`${head} succeeded: ${r.componentsDone}/${r.componentsTotal} components. The record is ${result.record.status}.`);
  else void ctx.prompts.warn(`${head} failed: ${plural(r.componentErrors, 'component error')}.${r.errorMessage ? ` ${r.errorMessage}` : ''} Nothing was changed in ${plan.lower}.`, 'Show Log').then((p) => p && ctx.log.show());
  return result;
}

export type BackDeployOutcome = { kind: 'level' } | { kind: 'ignored'; file: string } | { kind: 'ran'; result: BackDeployResult } | { kind: 'closed' } | undefined;

/** Back Deploy…: arg an environment node (`{name}`), or `{lower, upper?}`. */
export async function backDeploy(ctx: Ctx, arg?: unknown): Promise<BackDeployOutcome> {
  const pipeline = pipelineOf(ctx);
  const lower = await chooseLower(ctx, pipeline, arg);
  const upper = await chooseUpper(ctx, pipeline, lower, arg);
  const deps = backDeployDeps(ctx);
  let plan = await withCancellableProgress(
    `Back Deploy ${upper} → ${lower}`,
    async (opts) => {
      const deployments = await missingFromHistory(deps, pipeline)(lower, upper, opts);
      return deployments.length ? planBackDeploy(deps, { lower, upper, deployments }, opts) : undefined;
    },
    { cancelledAs: 'Back Deploy' },
  );
  if (!plan || (plan.net.items.length === 0 && plan.net.unknown.length === 0)) {
    void ctx.prompts.info(plan ? `${lower} has everything ${upper} deployed (${plural(plan.net.identical, 'identical component')}): nothing to bring down.` : `${lower} is level with ${upper}: nothing to bring down.`);
    return { kind: 'level' };
  }
  if (plan.recordsProblem) void ctx.prompts.warn(plan.recordsProblem);
  for (;;) {
    const pick = await ctx.prompts.pick(dialogItems(plan), { title: `Back Deploy ${upper} → ${lower}: ${plan.summary}`, ignoreFocusOut: true, matchOnDescription: true });
    const choice = pick?.choice;
    if (!choice) return { kind: 'closed' };
    switch (choice.action) {
      case 'none':
        continue;
      case 'diff':
        await openCompareDiff(ctx, compareViewOf(plan), choice.item.component);
        continue;
      case 'select':
        plan = await selectComponents(ctx, plan);
        continue;
      case 'ignore':
      {
        const store = ctx.ignoredNotices;
        await store.ignore(lower, upper, plan.deployments);
        ctx.behind.invalidate(lower);
        void ctx.prompts.info(`The ${plural(plan.deployments.length, 'deployment')} ${lower} lacks from ${upper} are ignored until a new deployment reaches ${upper}.`);
        return { kind: 'ignored', file: store.file };
      }
      case 'deploy':
      case 'validate': {
        if (!plan.net.items.some((i) => i.selected)) {
          void ctx.prompts.warn(`Select at least one component to bring from ${upper} to ${lower}.`);
          continue;
        }
        const result = await runIt(ctx, plan, pipeline, choice.action === 'validate');
        return result ? { kind: 'ran', result } : undefined;
      }
    }
  }
}

/** Back-Promote Pipeline…: every environment below production brought level, top down; arg `{include?: string[]}` or an environment node (that one only). */
export async function backPromote(ctx: Ctx, arg?: unknown): Promise<BackPromoteResult | undefined> {
  const pipeline = pipelineOf(ctx);
  const include = isRecord(arg) && Array.isArray(arg.include) ? arg.include.filter((x): x is string => typeof x === 'string') : isRecord(arg) && typeof arg.name === 'string' ? [arg.name] : undefined;
  const ok = await ctx.prompts.confirm(
    include ? `Bring ${include.join(', ')} level, top down from production?` : 'Bring every environment below production level, top down?',
    'Back-Promote',
    'One back-deploy per step, in reverse pipeline order; components changed in a lower environment since its last sync are left as they are. It stops at the first failure.',
  );
  if (!ok) return undefined;
  const deps = backDeployDeps(ctx);
  const result = await refusalsWarned(ctx, undefined, () =>
    withCancellableProgress('Back-Promote Pipeline', (opts) => runBackPromotion(deps, { pipeline, missing: missingFromHistory(deps, pipeline), ...(include ? { include } : {}) }, opts), {
      cancelledAs: 'Back-Promote Pipeline',
    }),
  );
  if (!result) return undefined;
  for (const s of result.run.steps) ctx.log.info(`Back-promotion ${s.from} → ${s.to}: ${s.status}${s.detail ? ` (${s.detail})` : ''}`);
  if (result.run.state === 'succeeded') void ctx.prompts.info(result.summary);
  else void ctx.prompts.warn(result.summary, 'Show Log').then((p) => p && ctx.log.show());
  return result;
}
