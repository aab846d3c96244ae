/**
 * The one context object, built once in activate() and passed to what needs it (as
 * rust-analyzer's Ctx): settings, log, the pipeline model, the sessions, the Salesforce layer
 * (the one way to reach it), the dialogs (the one way to prompt), and the panels. No service
 * locator, no module singletons. It is also the WorkflowDeps every workflow takes.
 */
import type * as vscode from 'vscode';
import type { DeployProblems } from './commands/deploy/problemsPanel';
import type { RunningDeploys } from './commands/deploy/running';
import type { RunningRecordRuns } from './commands/deploy/recordRuns';
import type { ChangelineConfig } from './config';
import type { Log } from './log';
import type { Prompts } from './prompts';
import type { SalesforceApi } from './salesforce-loader';
import type { ChangeRequestsModel } from './views/changeRequestsModel';
import type { DeploymentsModel } from './views/deploymentsModel';
import type { EnvironmentsModel } from './views/environmentsModel';
import type { OrgFilesProvider } from './views/orgFiles';
import type { QueueModel } from './views/queueModel';
import type { ChangeRequestPanels } from './webviews/changeRequest';
import type { DeploymentPanels } from './webviews/deployment';
import type { DeploymentLogPanels } from './webviews/deploymentLog/panel';
import type { BehindModel } from './views/behindModel';
import type { SendFreshnessModel } from './views/sendFreshnessModel';
import type { IgnoredNotices } from './workflows/back-deploy/ignored';
import type { ComparePanels } from './webviews/compare/panel';
import type { QueuePanels } from './webviews/queue';
import type { PipelinePanels } from './webviews/pipeline/panel';
import type { ComponentFiles } from './workflows/compare/component-files';
import type { CompareStore } from './workflows/compare/store';
import type { OrgSessions } from './workflows/sessions';
import type { WorkflowDeps } from './workflows/types';

export { CancelledError } from './core/cancelled';

/** Compare's parts: the panels, the persistent store, the read-only org documents, the component files of diffs. */
export interface CompareParts {
  panels: ComparePanels;
  store: CompareStore;
  orgFiles: OrgFilesProvider;
  files: ComponentFiles;
}

/** Deploys of local source: their Problems panel entries, and the one running in the org. */
export interface DeployParts {
  problems: DeployProblems;
  running: RunningDeploys;
  /** Deployment records' runs in the org, followed again after a reload. */
  records: RunningRecordRuns;
}

export interface Ctx extends WorkflowDeps {
  extension: vscode.ExtensionContext;
  log: Log;
  config(): ChangelineConfig;
  /** The pipeline and its environments' connection state. */
  model: EnvironmentsModel;
  /** Open connections per environment, and the change request change events. */
  sessions: OrgSessions;
  /** The Salesforce layer, loaded on first use. */
  salesforce(): Promise<SalesforceApi>;
  /** The change requests shown in the tree (per environment, filtered). */
  changeRequests: ChangeRequestsModel;
  /** The deployment records shown in the tree (per environment). */
  deployments: DeploymentsModel;
  prompts: Prompts;
  compare: CompareParts;
  changeRequestPanels: ChangeRequestPanels;
  deploy: DeployParts;
  /** The open deployment panels (by environment and record id). */
  deploymentPanels: DeploymentPanels;
  /** The open deployment log panels (one per environment). */
  deploymentLogPanels: DeploymentLogPanels;
  /** The deployments each environment lacks from the one above it (the tree's "2 behind UAT"). */
  behind: BehindModel;
  /** The deployment queue of each environment (tree and panels). */
  queues: QueueModel;
  /** Whether Send has anything new to send (greys Send on the tree's rows when certainly not). */
  sendFreshness: SendFreshnessModel;
  /** The open deployment queue panels (one per environment). */
  queuePanels: QueuePanels;
  /** The pipeline panel (environments as boxes). */
  pipelinePanels: PipelinePanels;
  /** Ignore All on a behind count (Back Deploy…), kept in the workspace storage. */
  ignoredNotices: IgnoredNotices;
}
