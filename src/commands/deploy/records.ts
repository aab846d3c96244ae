/**
 * Editor commands on deployment records (Environments view, panel buttons): create one from an
 * approved change request, submit / approve / reject it, retrieve its package, check its
 * dependencies, validate, deploy or quick-deploy it. Thin: ask, run the workflow (under a
 * cancellable progress for org work), say what came of it, refresh the tree.
 */
import * as vscode from 'vscode';
import { deploymentLabel, describeNeed, type DeploymentRecord } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import type { Ctx } from '../../ctx';
import { ChangeRequestNode } from '../../views/crNodes';
import { DeploymentNode } from '../../views/deploymentNodes';
import { checkDependencies as runDependencyCheck } from '../../workflows/deploy/dependencies';
import {
  approveDeployment as approve,
  createDeployment as create,
  loadPackage,
  recordResult,
  rejectDeployment as reject,
  retrievePackage as retrieve,
  submitDeployment as submit,
  type RecordOutcome,
} from '../../workflows/deploy/records';
import { deployRecord, quickDeployRecord, validateRecord, type ReleaseResult } from '../../workflows/deploy/release';
import { DeployError } from '../../workflows/deploy/run';
import type { OverwriteFlag } from '../../workflows/deploy/overwrite';
import type { PackageFileText } from '../../salesforce/metadata/package-contents';
import { diffPackageFile, mainFile } from '../../views/packageDiff';
import { checkEnvironment } from '../change-requests/crArgs';
import { withCancellableProgress } from '../progress';
import { sessionExpiredHandler } from './follow';
import { deployFinished, VIEW_LOG } from '../promotion/log';
import { showRecordProblems } from './recordProblems';

interface Target {
  environment: string;
  id: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The record a command acts on: a tree row, or `{ environment, id }` (panel buttons, tests). */
export function deploymentTarget(arg: unknown, purpose = 'to run this command'): Target {
  if (arg instanceof DeploymentNode) return { environment: arg.environment, id: arg.id };
  if (isObject(arg) && typeof arg.environment === 'string' && typeof arg.id === 'string' && arg.environment && arg.id) return { environment: arg.environment, id: arg.id };
  throw new Error(`Choose a deployment record in the Environments view (under Deployments) ${purpose}.`);
}

export function pipelineOf(ctx: Ctx): Pipeline {
  const s = ctx.model.status;
  if (s.kind !== 'ok') throw new Error('The pipeline file has errors or is missing (see the Problems panel); fix it first.');
  return s.pipeline;
}

/** The tree's rows and the open panels of an environment's records read again. */
export function refreshViews(ctx: Ctx, env: string): void {
  ctx.deployments.refresh(env);
  ctx.deploymentPanels.refresh(env);
}

/** Says what came of a write to a record, and refreshes its environment's rows. */
function said(ctx: Ctx, env: string, outcome: RecordOutcome, success: (d: DeploymentRecord) => string): RecordOutcome {
  refreshViews(ctx, env);
  if (outcome.ok) {
    const message = success(outcome.record);
    ctx.log.info(message);
    void ctx.prompts.info(message);
  } else {
    void ctx.prompts.warn(outcome.conflict ? `${outcome.reason} Nothing was saved; try again.` : outcome.reason);
  }
  return outcome;
}

/** createDeployment(CR row | { environment, id (the CR's), to? }): an approved CR toward an environment the pipeline connects to. */
export async function createDeployment(ctx: Ctx, arg?: unknown): Promise<RecordOutcome | undefined> {
  let environment: string;
  let crId: string;
  if (arg instanceof ChangeRequestNode) ({ environment, id: crId } = arg);
  else if (isObject(arg) && typeof arg.environment === 'string' && typeof arg.id === 'string') ({ environment, id: crId } = arg as unknown as Target);
  else throw new Error('Choose an approved change request in the Environments view to create its deployment.');
  checkEnvironment(ctx, environment);
  const pipeline = pipelineOf(ctx);
  const targets = pipeline.connections.filter((c) => c.from === environment).map((c) => c.to);
  let to = isObject(arg) && typeof arg.to === 'string' ? arg.to : undefined;
  if (to === undefined) {
    if (targets.length === 0) throw new Error(`The pipeline connects ${environment} to no other environment; set its "next" in the pipeline file.`);
    const pick = targets.length === 1 ? { label: targets[0] } : await ctx.prompts.pick(targets.map((label) => ({ label })), { title: 'Deploy to which environment?', ignoreFocusOut: true });
    if (!pick) return undefined;
    to = pick.label;
  }
  const outcome = await create(ctx, { crEnv: environment, crRef: crId, targetEnv: to, pipeline });
  return said(ctx, environment, outcome, (d) => `Created ${deploymentLabel(d)}: ${d.crNumber ?? d.crId} from ${d.sourceEnvironment} to ${d.targetEnvironment}, ${d.components.length} component${d.components.length === 1 ? '' : 's'}. Submit it for approval next.`);
}

export async function submitDeployment(ctx: Ctx, arg?: unknown): Promise<RecordOutcome> {
  const t = deploymentTarget(arg);
  return said(ctx, t.environment, await submit(ctx, t.environment, t.id, pipelineOf(ctx)), (d) => `${deploymentLabel(d)} is now ${d.status}.`);
}

async function decide(ctx: Ctx, arg: unknown, verb: 'Approve' | 'Reject'): Promise<RecordOutcome | undefined> {
  const t = deploymentTarget(arg);
  let comment = isObject(arg) && typeof arg.comment === 'string' ? arg.comment : undefined;
  if (comment === undefined) {
    comment = await ctx.prompts.input({
      title: `${verb} ${ctx.deployments.find(t.environment, t.id)?.number ?? 'the deployment'}`,
      prompt: `Why do you ${verb.toLowerCase()} it? (kept in its history)`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A comment is required.'),
    });
    if (comment === undefined) return undefined;
  }
  const outcome = verb === 'Approve' ? await approve(ctx, t.environment, t.id, comment) : await reject(ctx, t.environment, t.id, comment);
  return said(ctx, t.environment, outcome, (d) => `${deploymentLabel(d)} is now ${d.status}.`);
}

export const approveDeployment = (ctx: Ctx, arg?: unknown) => decide(ctx, arg, 'Approve');
export const rejectDeployment = (ctx: Ctx, arg?: unknown) => decide(ctx, arg, 'Reject');

export async function retrievePackage(ctx: Ctx, arg?: unknown) {
  const t = deploymentTarget(arg);
  const got = await withCancellableProgress('Retrieving the selected customizations', (opts) => retrieve(ctx, t.environment, t.id, opts), { cancelledAs: 'Retrieve' });
  refreshViews(ctx, t.environment);
  if (!got.ok) {
    void ctx.prompts.warn(got.conflict ? `${got.reason} Nothing was saved; try again.` : got.reason);
    return got;
  }
  const d = got.result.record;
  const message = `${deploymentLabel(d)}: a package of ${d.package?.componentCount ?? 0} component${d.package?.componentCount === 1 ? '' : 's'} (${got.result.files.length} files) is kept with the record in ${t.environment}'s org. Check its dependencies, then validate it.`;
  ctx.log.info(message);
  void ctx.prompts.info(message);
  return got;
}

export async function checkDependencies(ctx: Ctx, arg?: unknown) {
  const t = deploymentTarget(arg);
  const report = await withCancellableProgress(
    'Checking dependencies',
    async (opts) => {
      const { record, zip } = await loadPackage(ctx, t.environment, t.id);
      const r = await runDependencyCheck(ctx, { targetEnv: record.targetEnvironment, sourceEnv: record.sourceEnvironment, zip }, opts);
      const { userId } = await ctx.sessions.get(t.environment);
      await recordResult(ctx, t.environment, record, {
        kind: 'dependencies',
        fact: { at: new Date().toISOString(), by: userId, missing: r.missing.length, sources: r.orgDependencies ? ['static scan', 'org dependencies'] : ['static scan'] },
      });
      return { record, r };
    },
    { cancelledAs: 'Check Dependencies' },
  );
  refreshViews(ctx, t.environment);
  const { record, r } = report;
  if (r.missing.length === 0) {
    void ctx.prompts.info(`${deploymentLabel(record)}: every reference is in the package or in ${record.targetEnvironment} (${r.references.length} references; ${r.basis}).`);
  } else {
    const lines = r.missing.map((m) => `${m.ref.type} ${m.ref.fullName}: ${m.neededBy.map(describeNeed).join('; ')}`);
    for (const l of lines) ctx.log.warn(`${deploymentLabel(record)} needs ${l}`);
    void ctx.prompts.warn(`${deploymentLabel(record)} references ${r.missing.length} component${r.missing.length === 1 ? '' : 's'} neither in the package nor in ${record.targetEnvironment}: ${lines.slice(0, 3).join(' · ')}${lines.length > 3 ? ' …' : ''} (${r.basis}). Add them to the change request, or deploy them first.`);
  }
  return r;
}

type Release = typeof validateRecord;

const OVERWRITE = 'Overwrite';
const SHOW_DIFF = 'Show Diff';

/**
 * Asks whether to overwrite components changed in the target after the retrieve. Show Diff opens
 * the flagged component's package version against the target's current one (a pick first when
 * several are flagged), then asks again; only Overwrite goes on.
 */
async function confirmOverwrites(ctx: Ctx, flags: readonly OverwriteFlag[], files: readonly PackageFileText[], target = 'the target', record: { number?: string } = {}): Promise<boolean> {
  const question = `${flags.length} component${flags.length === 1 ? ' was' : 's were'} changed in ${target} after the package was retrieved. Overwrite ${flags.length === 1 ? 'it' : 'them'}?`;
  const detail = flags.map((f) => f.message.split('. Deploying')[0]).join('\n');
  for (;;) {
    const answer = await ctx.prompts.ask(question, detail, OVERWRITE, SHOW_DIFF);
    if (answer === OVERWRITE) return true;
    if (answer !== SHOW_DIFF) return false;
    const name = (f: OverwriteFlag) => `${f.component.type} ${f.component.fullName}`;
    const flag =
      flags.length === 1
        ? flags[0]
        : (await ctx.prompts.pick(flags.map((f) => ({ label: name(f), description: f.lastModifiedByName ? `changed by ${f.lastModifiedByName}` : undefined, flag: f })), { title: 'Show the diff of' }))?.flag;
    if (!flag) continue;
    const file = mainFile(files, flag.component);
    if (!file) {
      void ctx.prompts.warn(`The package has no file for ${name(flag)} to compare.`);
      continue;
    }
    try {
      await diffPackageFile(ctx, { targetEnvironment: target, record, filePath: file.path, text: file.text, ref: flag.component });
    } catch (e) {
      ctx.log.error(`Showing the diff of ${name(flag)}`, e);
      void ctx.prompts.error(`The diff of ${name(flag)} could not be shown: ${(e as Error).message}`);
    }
  }
}

async function runRelease(ctx: Ctx, arg: unknown, fn: Release, what: 'Validation' | 'Deploy' | 'Quick deploy'): Promise<(ReleaseResult & { problemDocuments?: string[] }) | undefined> {
  const t = deploymentTarget(arg);
  const pipeline = pipelineOf(ctx);
  const record = ctx.deployments.find(t.environment, t.id);
  const title = `${what} of ${record ? deploymentLabel(record) : 'the deployment'}${record ? ` in ${record.targetEnvironment}` : ''}`;
  let result: ReleaseResult;
  let runId: string | undefined;
  try {
    result = await withCancellableProgress(
      title,
      (opts) =>
        fn(ctx, { env: t.environment, ref: t.id, pipeline }, {
          ...opts,
          // Remembered from the moment the org gives the id: a reload picks the run up again.
          onStarted: (id) => {
            runId = id;
            void ctx.deploy.records.add({ env: t.environment, recordId: t.id, runId: id, kind: what === 'Validation' ? 'validate' : 'deploy', targetEnv: record?.targetEnvironment ?? '', startedAt: new Date().toISOString() });
          },
          // An expired session while following the run asks to log in again, then follows it on.
          ...(record ? { onSessionExpired: sessionExpiredHandler(ctx, record.targetEnvironment, what.toLowerCase()) } : {}),
          // Nobody's change in the target is overwritten silently: an explicit choice, with who and when.
          // Each flagged component's diff is one click away (Show Diff), then the question comes back.
          confirmOverwrites: (flags, pkg) => confirmOverwrites(ctx, flags, pkg.files, record?.targetEnvironment, record),
        }),
      { cancelledAs: what },
    );
  } catch (e) {
    refreshViews(ctx, t.environment);
    // A run the org still has but this window lost (expired session, unreachable org) stays remembered for the next reload.
    const lost = e instanceof DeployError && (e.kind === 'unreachable' || e.kind === 'expired-session');
    if (runId && !lost) await ctx.deploy.records.remove(runId);
    if (e instanceof DeployError && e.kind === 'refused') {
      void ctx.prompts.warn(e.message);
      return undefined;
    }
    throw e;
  } finally {
    refreshViews(ctx, t.environment);
  }
  if (runId) await ctx.deploy.records.remove(runId);
  const shown = await showRecordProblems(ctx, t.environment, result.record, result.outcome, result.files).catch((e: unknown) => {
    ctx.log.warn(`The problems of ${deploymentLabel(result.record)} could not be placed on its package's files: ${(e as Error).message}`);
    return undefined;
  });
  const r = result.outcome.result;
  const tests = r.testsTotal ? `, tests ${r.testsDone}/${r.testsTotal} (${r.tests.failures.length} failed)` : '';
  const head = `${what} ${r.id} of ${deploymentLabel(result.record)} to ${result.record.targetEnvironment}`;
  for (const p of result.outcome.problems) ctx.log.warn(`${head}: ${p.path ?? `${p.component.type} ${p.component.fullName}`}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`);
  const viewLog = deployFinished(ctx, result.record.targetEnvironment, r.id);
  if (r.canceled) void ctx.prompts.info(`${head} was canceled in the org.`, VIEW_LOG).then(viewLog);
  else if (r.success) void ctx.prompts.info(`${head} succeeded: ${r.componentsDone}/${r.componentsTotal} components${tests}. The record is ${result.record.status}.`, VIEW_LOG).then(viewLog);
  else {
    const actions = shown?.placed ? ['Show Problems', 'Show Log', VIEW_LOG] : ['Show Log', VIEW_LOG];
    void ctx.prompts
      .warn(`${head} failed: ${r.componentErrors} component error${r.componentErrors === 1 ? '' : 's'}${tests}.${r.errorMessage ? ` ${r.errorMessage}` : ''}`, ...actions)
      .then((pick) => {
        if (pick === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        else if (pick === 'Show Log') ctx.log.show();
        else viewLog(pick);
      });
  }
  for (const p of result.afterDeploy?.problems ?? []) void ctx.prompts.warn(p);
  return { ...result, ...(shown ? { problemDocuments: shown.documents } : {}) };
}

export const validateDeployment = (ctx: Ctx, arg?: unknown) => runRelease(ctx, arg, validateRecord, 'Validation');
export const deployDeployment = (ctx: Ctx, arg?: unknown) => runRelease(ctx, arg, deployRecord, 'Deploy');
export const quickDeployDeployment = (ctx: Ctx, arg?: unknown) => runRelease(ctx, arg, quickDeployRecord, 'Quick deploy');

export async function refreshDeployments(ctx: Ctx, arg?: unknown): Promise<void> {
  const env = isObject(arg) && typeof arg.environment === 'string' ? arg.environment : undefined;
  ctx.deployments.refresh(env);
  ctx.deploymentPanels.refresh(env);
}
