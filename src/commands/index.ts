/** The command table, registered once. Ids and titles live in ids.ts (checked against package.json). */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { backDeploy, backPromote } from './back-deploy/backDeploy';
import * as cr from './change-requests/changeRequests';
import * as compare from './compare/compare';
import { deploySource, validateSource } from './deploy/deploySource';
import { deployGitDifferences } from './git-delta/deployGitDelta';
import * as deploy from './deploy/records';
import { openDeployment } from './deploy/openDeployment';
import { openDeploymentLog, refreshBehind } from './promotion/log';
import { addToPackage } from './deploy/addDependencies';
import { completeDeployment } from './deploy/complete';
import { sendToNext } from './promotion/send';
import { deployQueueEntry, openQueue, rejectQueueEntry } from './promotion/queue';
import { withdrawQueueEntry } from './promotion/withdraw';
import { revertDeployment, revertLatestDeployment } from './promotion/revertDeployment';
import { showPipeline } from './promotion/pipeline';
import { addEnvironment, removeEnvironment } from './environments/environments';
import { COMMANDS, type CommandName } from '../shared/ids';
import { createPipeline, openPipeline } from './environments/pipelineFile';
import { guard } from './run';
import { testConnection } from './environments/testConnection';

type Handler = (ctx: Ctx, ...args: never[]) => Promise<unknown>;

const HANDLERS: Record<CommandName, Handler> = {
  refresh: async (ctx) => {
    // Authorizations first: connection checks started before them would judge a newly authorized
    // org by the old list ("not authorized").
    await ctx.model.loadAuthorizations(true);
    ctx.model.invalidateConnections();
    ctx.sessions.reset();
    ctx.changeRequests.refresh();
    ctx.deployments.refresh();
    ctx.behind.invalidate();
    ctx.sendFreshness.invalidate();
    void ctx.queues.refresh();
    return ctx.model.reload();
  },
  createPipeline,
  openPipeline,
  addEnvironment,
  removeEnvironment,
  testConnection,
  showLog: async (ctx) => ctx.log.show(),
  installTracking: cr.installTracking,
  grantTrackingAccess: cr.grantTrackingAccess,
  newChangeRequest: cr.newChangeRequest,
  openChangeRequest: cr.openChangeRequest,
  submitChangeRequest: cr.submitChangeRequest,
  approveChangeRequest: cr.approveChangeRequest,
  rejectChangeRequest: cr.rejectChangeRequest,
  pushChangeRequest: cr.pushChangeRequest,
  pullChangeRequests: cr.pullChangeRequests,
  cancelChangeRequest: cr.cancelChangeRequest,
  deleteChangeRequest: cr.deleteChangeRequest,
  copyChangeRequestNumber: cr.copyChangeRequestNumber,
  filterChangeRequests: cr.filterChangeRequests,
  toggleMyChangeRequests: cr.toggleMyChangeRequests,
  clearChangeRequestFilter: cr.clearChangeRequestFilter,
  compareEnvironments: compare.compareEnvironments,
  compareChangeRequest: compare.compareChangeRequest,
  diffWithEnvironment: compare.diffWithEnvironment,
  exportCompareCsv: compare.exportCompareCsv,
  deploySource,
  validateSource,
  deployGitDelta: deployGitDifferences,
  createDeployment: deploy.createDeployment,
  openDeployment,
  submitDeployment: deploy.submitDeployment,
  approveDeployment: deploy.approveDeployment,
  rejectDeployment: deploy.rejectDeployment,
  retrievePackage: deploy.retrievePackage,
  checkDependencies: deploy.checkDependencies,
  validateDeployment: deploy.validateDeployment,
  deployDeployment: deploy.deployDeployment,
  revertDeployment,
  revertLatestDeployment,
  quickDeployDeployment: deploy.quickDeployDeployment,
  refreshDeployments: deploy.refreshDeployments,
  openDeploymentLog,
  refreshBehind,
  addToPackage,
  completeDeployment,
  sendToNext,
  sendToProduction: sendToNext,
  openQueue,
  deployQueueEntry,
  rejectQueueEntry,
  withdrawQueueEntry,
  showPipeline,
  backDeploy,
  backPromote,
};

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return (Object.keys(COMMANDS) as CommandName[]).map((name) => {
    const spec = COMMANDS[name];
    const handler = HANDLERS[name] as (ctx: Ctx, ...args: unknown[]) => Promise<unknown>;
    return vscode.commands.registerCommand(spec.id, guard(ctx, spec.title.replace(/…$/, ''), (...args: unknown[]) => handler(ctx, ...args)));
  });
}
