/**
 * Changeline entry point. activate() only composes the parts and reports activation failures;
 * the Salesforce libraries load later, on first use (see salesforce-loader.ts).
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION, readConfig } from './config';
import { Log } from './log';
import { loadSalesforce, salesforceLoadState, type SalesforceApi } from './salesforce-loader';
import { registerCommands } from './commands';
import type { CompareParts, Ctx } from './ctx';
import { ENVIRONMENTS_VIEW_ID } from './shared/ids';
import { EnvironmentsModel } from './views/environmentsModel';
import { EnvironmentsProvider } from './views/environmentsProvider';
import { ChangeRequestsModel } from './views/changeRequestsModel';
import { DeploymentsModel } from './views/deploymentsModel';
import { QueueModel } from './views/queueModel';
import { QueuePanels } from './webviews/queue';
import { PipelinePanels } from './webviews/pipeline/panel';
import { describeFilter } from './views/crFilter';
import { createPrompts, type Prompts } from './prompts';
import { OrgSessions } from './workflows/sessions';
import { ChangeRequestPanels } from './webviews/changeRequest';
import { DeploymentPanels } from './webviews/deployment';
import { DeploymentLogPanels } from './webviews/deploymentLog/panel';
import { BehindModel } from './views/behindModel';
import { SendFreshnessModel } from './views/sendFreshnessModel';
import { IgnoredNotices } from './workflows/back-deploy/ignored';
import { NodeFileStore } from './workflows/storage';
import { setupCompare, type CompareApi } from './commands/compare/compareSetup';
import { DeployProblems } from './commands/deploy/problemsPanel';
import { RunningDeploys } from './commands/deploy/running';
import { resumeRecordedDeploy, type DeploySummary } from './commands/deploy/follow';
import { resumeRecordRuns, RunningRecordRuns } from './commands/deploy/recordRuns';
import type { ReleaseResult } from './workflows/deploy/release';

/** Returned by activate(): read by the extension-host tests and the bench. */
export interface ChangelineApi {
  /** Milliseconds spent in activate(). */
  activationMs: number;
  /** True if the Salesforce libraries were loaded by the end of activate() (they should not be). */
  salesforceLoadedAtActivation: boolean;
  model: EnvironmentsModel;
  provider: EnvironmentsProvider;
  sessions: OrgSessions;
  /** The open change request editors (by environment and CR id). */
  changeRequestPanels: ChangeRequestPanels;
  /** The open deployment panels (by environment and record id). */
  deploymentPanels: DeploymentPanels;
  /** The open deployment log panels (one per environment). */
  deploymentLogPanels: DeploymentLogPanels;
  /** The deployments each environment lacks from the one above it (the tree's "2 behind UAT"). */
  behind: BehindModel;
  /** The deployment queue of each environment, and its open panels. */
  queues: QueueModel;
  /** Whether Send has anything new to send, per environment. */
  sendFreshness: SendFreshnessModel;
  queuePanels: QueuePanels;
  /** The pipeline panel (environments as boxes with their counts). */
  pipelinePanels: PipelinePanels;
  /** Compare panels, the persistent compare store and the read-only org documents. */
  compare: CompareApi;
  /** Deployment records per environment as the tree shows them. */
  deployments: DeploymentsModel;
  /** Change requests per environment as the tree shows them (tracking state, pages, filter). */
  changeRequests: ChangeRequestsModel;
  /** The Changeline log (its level follows `changeline.log.level`). */
  log: Log;
  /** The extension's log folder (the output channel's file sits beside it). */
  logFolder: string;
  /** The dialogs the change request commands show; tests answer them by replacing a function. */
  prompts: Prompts;
  /** Whether (and how fast) the heavy Salesforce bundle was loaded. */
  salesforceLoadState(): { loaded: boolean; loadMs?: number };
  salesforce(): Promise<SalesforceApi>;
  /** Local-source deploys: the Problems entries, the running deploy's record, and the pick-up activation runs. */
  deploy: {
    problems: DeployProblems;
    running: RunningDeploys;
    resumeRecorded(): Promise<DeploySummary | undefined>;
    records: RunningRecordRuns;
    /** Follows the deployment records' runs remembered as running (activation calls it after a reload). */
    resumeRecordRuns(): Promise<Array<ReleaseResult | undefined>>;
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<ChangelineApi> {
  const started = performance.now();
  try {
    const config = () => readConfig(vscode.workspace.getConfiguration(CONFIG_SECTION));
    const log = new Log(config().logLevel);
    context.subscriptions.push(log);

    const model = new EnvironmentsModel({
      folder: () => vscode.workspace.workspaceFolders?.[0]?.uri,
      pipelineFile: () => config().pipelineFile,
      concurrency: () => config().connectionCheckConcurrency,
      salesforce: loadSalesforce,
      log,
    });
    const sessions = new OrgSessions(model, loadSalesforce);
    context.subscriptions.push(sessions);
    const changeRequests = new ChangeRequestsModel({ environments: model, sessions, salesforce: loadSalesforce, log });
    const deployments = new DeploymentsModel({ sessions, salesforce: loadSalesforce, log });
    // Reads ctx.compare (set below) only when a count is computed, after activate() returns.
    let compareStore: (() => CompareParts['store']) | undefined;
    const ignoredNotices = new IgnoredNotices(new NodeFileStore(vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'back-deploy').fsPath), log);
    void ignoredNotices.load();
    const behind = new BehindModel({
      sessions,
      salesforce: loadSalesforce,
      log,
      pipeline: () => (model.status.kind === 'ok' ? model.status.pipeline : undefined),
      store: () => compareStore!(),
      connected: (env) => model.connection(env)?.state === 'connected',
      ignored: (lower, upper, report) => ignoredNotices.ignoredNow(lower, upper, report.deployments.map((e) => e.deployment)),
    });
    const queues = new QueueModel({ sessions, salesforce: loadSalesforce, log });
    const sendFreshness = new SendFreshnessModel({
      sessions,
      salesforce: loadSalesforce,
      log,
      pipeline: () => (model.status.kind === 'ok' ? model.status.pipeline : undefined),
      connected: (env) => model.connection(env)?.state === 'connected',
    });
    const provider = new EnvironmentsProvider(model, () => config().checkConnectionsOnStartup, changeRequests, deployments, behind, queues, sendFreshness);
    const treeView = vscode.window.createTreeView(ENVIRONMENTS_VIEW_ID, { treeDataProvider: provider });
    context.subscriptions.push(
      model,
      changeRequests,
      deployments,
      behind,
      queues,
      sendFreshness,
      // A send, withdrawal, rejection or deploy in a queue changes what its senders last sent.
      queues.onDidChange((env) => sendFreshness.invalidate(env)),
      provider,
      treeView,
      // The active change request filter shows next to the view's title.
      changeRequests.onDidChange(() => (treeView.description = describeFilter(changeRequests.filter))),
    );
    // The one context. Composed in two steps because the panels' actions take it; they read
    // ctx.compare and ctx.changeRequestPanels only when they run, after activate() returns.
    const prompts = createPrompts();
    const ctx = { model, log, config, salesforce: loadSalesforce, extension: context, sessions, changeRequests, deployments, queues, sendFreshness, prompts, behind, ignoredNotices } as Ctx;
    ctx.compare = setupCompare(ctx);
    compareStore = () => ctx.compare.store;
    ctx.changeRequestPanels = new ChangeRequestPanels(ctx);
    ctx.deploy = { problems: new DeployProblems(), running: new RunningDeploys(context.workspaceState), records: new RunningRecordRuns(context.workspaceState) };
    ctx.deploymentPanels = new DeploymentPanels(ctx);
    ctx.deploymentLogPanels = new DeploymentLogPanels(ctx);
    ctx.queuePanels = new QueuePanels(ctx);
    // The pipeline panel's "open CRs" shows the environment's row in the tree, expanded.
    ctx.pipelinePanels = new PipelinePanels(ctx, async (env) => {
      await vscode.commands.executeCommand(`${ENVIRONMENTS_VIEW_ID}.focus`);
      if (!provider.nodeFor(env)) provider.getChildren();
      const node = provider.nodeFor(env);
      if (!node) throw new Error(`${env} is not in the Environments view.`);
      await treeView.reveal(node, { select: true, focus: true, expand: true });
    });
    context.subscriptions.push(ctx.pipelinePanels);
    context.subscriptions.push(ctx.changeRequestPanels, ctx.deploymentPanels, ctx.deploymentLogPanels, ctx.queuePanels, ctx.deploy.problems, ...registerCommands(ctx));
    const { compare, changeRequestPanels, deploymentPanels } = ctx;

    let watcher = watchPipelineFile(model, config().pipelineFile);
    context.subscriptions.push(
      { dispose: () => watcher?.dispose() },
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(CONFIG_SECTION)) return;
        const c = config();
        log.setLevel(c.logLevel);
        model.setConcurrency(c.connectionCheckConcurrency);
        if (e.affectsConfiguration(`${CONFIG_SECTION}.pipeline.file`)) {
          watcher?.dispose();
          watcher = watchPipelineFile(model, c.pipelineFile);
          void model.reload();
        }
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc.uri.toString() === model.pipelineUri()?.toString()) void model.reload();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        watcher?.dispose();
        watcher = watchPipelineFile(model, config().pipelineFile);
        void model.reload();
      }),
    );

    await model.reload();
    // A deploy still running when the window reloaded (or the editor quit) is followed to its end.
    const resumeRecorded = () => resumeRecordedDeploy(ctx);
    if (ctx.deploy.running.get()) {
      void resumeRecorded().catch((e: unknown) => {
        log.error('Following the deploy started before the reload failed', e);
        void prompts.error(`Following the deploy started before the reload failed: ${(e as Error).message}`);
      });
    }
    // So is a deployment record's validation or deploy: its result goes to the record.
    const resumeRecords = () => resumeRecordRuns(ctx);
    if (ctx.deploy.records.all().length) {
      void resumeRecords().catch((e: unknown) => {
        log.error('Following the deployment started before the reload failed', e);
        void prompts.error(`Following the deployment started before the reload failed: ${(e as Error).message}`);
      });
    }
    const activationMs = performance.now() - started;
    log.info(`Changeline activated in ${activationMs.toFixed(1)} ms.`);
    const salesforceLoadedAtActivation = salesforceLoadState().loaded;
    return { activationMs, salesforceLoadedAtActivation, log, logFolder: context.logUri.fsPath, model, provider, sessions, changeRequestPanels, deploymentPanels, deploymentLogPanels: ctx.deploymentLogPanels, behind, compare, changeRequests, deployments, queues, sendFreshness, queuePanels: ctx.queuePanels, pipelinePanels: ctx.pipelinePanels, prompts, salesforceLoadState, salesforce: loadSalesforce, deploy: { ...ctx.deploy, resumeRecorded, resumeRecordRuns: resumeRecords } };
  } catch (e) {
    void vscode.window.showErrorMessage(`Changeline could not start: ${(e as Error)?.message ?? String(e)}`);
    throw e;
  }
}

/** Saving, creating or deleting the pipeline file refreshes the view. */
function watchPipelineFile(model: EnvironmentsModel, file: string): vscode.Disposable | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, file));
  const reload = () => void model.reload();
  return vscode.Disposable.from(w, w.onDidChange(reload), w.onDidCreate(reload), w.onDidDelete(reload));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
