/**
 * The command table as plain data (no `vscode`): ids, titles and where they show. The manifest
 * unit test checks package.json against it; index.ts registers exactly these ids.
 */

export const COMMAND_CATEGORY = 'Changeline';

export interface CommandSpec {
  id: string;
  title: string;
  /** Needs a tree node: hidden from the Command Palette, reached from the view's context menu. */
  treeOnly?: boolean;
}

export const COMMANDS = {
  refresh: { id: 'changeline.refresh', title: 'Refresh Environments' },
  createPipeline: { id: 'changeline.createPipeline', title: 'Create Pipeline File from Authorized Orgs' },
  openPipeline: { id: 'changeline.openPipeline', title: 'Open Pipeline File' },
  addEnvironment: { id: 'changeline.addEnvironment', title: 'Add Environment…' },
  removeEnvironment: { id: 'changeline.removeEnvironment', title: 'Remove Environment', treeOnly: true },
  testConnection: { id: 'changeline.testConnection', title: 'Test Connection' },
  showLog: { id: 'changeline.showLog', title: 'Show Log' },
  // Change requests (issue 4)
  installTracking: { id: 'changeline.installTracking', title: 'Install Change Tracking…' },
  grantTrackingAccess: { id: 'changeline.grantTrackingAccess', title: 'Grant Change Tracking Access…' },
  newChangeRequest: { id: 'changeline.newChangeRequest', title: 'New Change Request…' },
  openChangeRequest: { id: 'changeline.openChangeRequest', title: 'Open Change Request', treeOnly: true },
  submitChangeRequest: { id: 'changeline.submitChangeRequest', title: 'Submit for Approval', treeOnly: true },
  approveChangeRequest: { id: 'changeline.approveChangeRequest', title: 'Approve…', treeOnly: true },
  rejectChangeRequest: { id: 'changeline.rejectChangeRequest', title: 'Reject…', treeOnly: true },
  pushChangeRequest: { id: 'changeline.pushChangeRequest', title: 'Push to Environment…', treeOnly: true },
  pullChangeRequests: { id: 'changeline.pullChangeRequests', title: 'Pull Change Requests…' },
  cancelChangeRequest: { id: 'changeline.cancelChangeRequest', title: 'Cancel Change Request…', treeOnly: true },
  deleteChangeRequest: { id: 'changeline.deleteChangeRequest', title: 'Delete Draft…', treeOnly: true },
  copyChangeRequestNumber: { id: 'changeline.copyChangeRequestNumber', title: 'Copy Number', treeOnly: true },
  filterChangeRequests: { id: 'changeline.filterChangeRequests', title: 'Filter Change Requests…' },
  toggleMyChangeRequests: { id: 'changeline.toggleMyChangeRequests', title: 'Show Only My Change Requests (Toggle)' },
  clearChangeRequestFilter: { id: 'changeline.clearChangeRequestFilter', title: 'Clear Change Request Filter' },
  // Compare (issue 5)
  compareEnvironments: { id: 'changeline.compareEnvironments', title: 'Compare Environments…' },
  compareChangeRequest: { id: 'changeline.compareChangeRequest', title: 'Compare Across Environments…', treeOnly: true },
  diffWithEnvironment: { id: 'changeline.diffWithEnvironment', title: 'Diff with Environment…' },
  exportCompareCsv: { id: 'changeline.exportCompareCsv', title: 'Export Compare Result as CSV…' },
  // Deploy local source (issue 14)
  deploySource: { id: 'changeline.deploySource', title: 'Deploy Source to Environment…' },
  validateSource: { id: 'changeline.validateSource', title: 'Validate Source in Environment…' },
  // Git differences (issue 16)
  deployGitDelta: { id: 'changeline.deployGitDelta', title: 'Deploy Git Differences…' },
  // Deployment records (issue 14)
  createDeployment: { id: 'changeline.createDeployment', title: 'Create Deployment…', treeOnly: true },
  openDeployment: { id: 'changeline.openDeployment', title: 'Open Deployment', treeOnly: true },
  submitDeployment: { id: 'changeline.submitDeployment', title: 'Submit Deployment for Approval', treeOnly: true },
  approveDeployment: { id: 'changeline.approveDeployment', title: 'Approve Deployment…', treeOnly: true },
  rejectDeployment: { id: 'changeline.rejectDeployment', title: 'Reject Deployment…', treeOnly: true },
  retrievePackage: { id: 'changeline.retrievePackage', title: 'Retrieve Selected Customizations', treeOnly: true },
  checkDependencies: { id: 'changeline.checkDependencies', title: 'Check Dependencies', treeOnly: true },
  validateDeployment: { id: 'changeline.validateDeployment', title: 'Validate', treeOnly: true },
  deployDeployment: { id: 'changeline.deployDeployment', title: 'Deploy', treeOnly: true },
  quickDeployDeployment: { id: 'changeline.quickDeployDeployment', title: 'Quick Deploy', treeOnly: true },
  refreshDeployments: { id: 'changeline.refreshDeployments', title: 'Refresh Deployments', treeOnly: true },
  // Deployment log and deployments behind (issue 15)
  openDeploymentLog: { id: 'changeline.openDeploymentLog', title: 'Open Deployment Log…' },
  refreshBehind: { id: 'changeline.refreshBehind', title: 'Refresh Deployments Behind', treeOnly: true },
  addToPackage: { id: 'changeline.addToPackage', title: 'Add Missing Dependencies to Package…', treeOnly: true },
  completeDeployment: { id: 'changeline.completeDeployment', title: 'Complete…', treeOnly: true },
  // Send and the deployment queue (issue 15)
  sendToNext: { id: 'changeline.sendToNext', title: 'Send to Next Environment…', treeOnly: true },
  /** The same command, shown instead of sendToNext on rows whose next stage is production. */
  sendToProduction: { id: 'changeline.sendToProduction', title: 'Send to Production…', treeOnly: true },
  openQueue: { id: 'changeline.openQueue', title: 'Open Deployment Queue', treeOnly: true },
  deployQueueEntry: { id: 'changeline.deployQueueEntry', title: 'Deploy Queued Changes…', treeOnly: true },
  rejectQueueEntry: { id: 'changeline.rejectQueueEntry', title: 'Reject Queued Changes…', treeOnly: true },
  withdrawQueueEntry: { id: 'changeline.withdrawQueueEntry', title: 'Withdraw Queued Changes…', treeOnly: true },
  // Revert the latest deployment (issue 15)
  revertDeployment: { id: 'changeline.revertDeployment', title: 'Revert Latest Deployment…', treeOnly: true },
  /** On an environment (tree row, its deployment log, its queue): the latest deployment to it, a record's or a queue entry's. */
  revertLatestDeployment: { id: 'changeline.revertLatestDeployment', title: 'Revert Latest Deployment…', treeOnly: true },
  // The pipeline view (issue 15)
  showPipeline: { id: 'changeline.showPipeline', title: 'Show Pipeline' },
  // Back-deploy (issue 16)
  backDeploy: { id: 'changeline.backDeploy', title: 'Back Deploy…' },
  backPromote: { id: 'changeline.backPromote', title: 'Back-Promote Pipeline…' },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export const COMMAND_IDS: readonly string[] = Object.values(COMMANDS).map((c) => c.id);

export const VIEW_CONTAINER_ID = 'changeline';
export const ENVIRONMENTS_VIEW_ID = 'changeline.environments';

/** Context keys set by the extension and used in package.json `when` clauses. */
export const CONTEXT_KEYS = {
  /** 'none' (no folder open) | 'missing' | 'broken' | 'ok' */
  pipelineState: 'changeline.pipelineState',
  /** true once authorizations are known and at least one exists */
  hasAuthorizedOrgs: 'changeline.hasAuthorizedOrgs',
  /** true once authorizations were listed (so "no authorized org" is not shown while loading) */
  authorizationsLoaded: 'changeline.authorizationsLoaded',
  /** true while a change request filter (text or "mine") is set */
  crFilterActive: 'changeline.crFilterActive',
  /** true while the "only mine" change request filter is on */
  crFilterMine: 'changeline.crFilterMine',
  /** true while a compare panel is the active panel */
  compareFocused: 'changeline.compareFocused',
} as const;

/** workspaceState key of the local-source deploy running in the org (picked up again after a reload). */
export const RUNNING_DEPLOY_KEY = 'changeline.deploy.running';

/** workspaceState key of deployment records' validations and deploys running in the org (picked up again after a reload). */
export const RUNNING_RECORD_RUNS_KEY = 'changeline.deploy.recordRuns';

/** Problems panel collection of deploy and validation results. */
export const DEPLOY_DIAGNOSTICS = 'changeline-deploy';

/** Webview panel view types (serializers restore them after a reload). */
export const PANEL_TYPES = {
  changeRequest: 'changeline.changeRequest',
  compare: 'changeline.compare',
  deployment: 'changeline.deployment',
  deploymentLog: 'changeline.deploymentLog',
  queue: 'changeline.queue',
  pipeline: 'changeline.pipeline',
} as const;

/** URI scheme of read-only documents holding an org's version of a file (diff sides). */
export const ORG_FILE_SCHEME = 'changeline-org';
