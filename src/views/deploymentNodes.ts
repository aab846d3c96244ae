/**
 * Tree rows for deployment records under an environment: one "Deployments" row, a group per
 * status with its count, the records. Org data goes into labels and tooltips as text.
 */
import * as vscode from 'vscode';
import { deploymentLabel, type DeploymentRecord, type DeploymentStatus } from '../core/deployments';
import { COMMANDS } from '../shared/ids';
import { EnvironmentInfoNode } from './infoNode';

const STATUS_ICON: Record<DeploymentStatus, [string, string | undefined]> = {
  Draft: ['edit', undefined],
  'Pending approval': ['clock', 'charts.yellow'],
  Approved: ['pass', 'charts.green'],
  Rejected: ['error', 'charts.red'],
  Deploying: ['rocket', 'charts.blue'],
  Deployed: ['cloud-upload', 'charts.blue'],
  Failed: ['error', 'charts.red'],
  Cancelled: ['circle-slash', 'disabledForeground'],
  Completed: ['check-all', 'charts.green'],
  Reverted: ['discard', 'charts.orange'],
  Abandoned: ['circle-slash', 'disabledForeground'],
};

const icon = (status: DeploymentStatus) => {
  const [name, color] = STATUS_ICON[status];
  return new vscode.ThemeIcon(name, color ? new vscode.ThemeColor(color) : undefined);
};

/** `contextValue` of a record row: `deployment.draft`, `deployment.pending_approval`, … (package.json menus match on it). */
export const deploymentContextValue = (status: DeploymentStatus): string => `deployment.${status.toLowerCase().replace(/\s+/g, '_')}`;

export class DeploymentsNode {
  readonly kind = 'deployments';
  constructor(
    readonly environment: string,
    readonly description?: string,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Deployments', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `deployments:${this.environment}`;
    item.description = this.description;
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon('rocket');
    item.tooltip = `Deployment records kept in ${this.environment}'s org: change requests released to the next environment.`;
    return item;
  }
}

export class DeploymentInfoNode extends EnvironmentInfoNode<'deploymentInfo'> {
  constructor(environment: string, label: string, detail?: string, loading = false) {
    super('deploymentInfo', environment, label, detail, loading);
  }
}

export class DeploymentGroupNode {
  readonly kind = 'deploymentGroup';
  constructor(
    readonly environment: string,
    readonly status: DeploymentStatus,
    readonly count: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${this.status} (${this.count.toLocaleString('en-US')})`, vscode.TreeItemCollapsibleState.Collapsed);
    // Stable id (no count): an expanded group stays expanded when its count changes.
    item.id = `deploymentGroup:${this.environment}:${this.status}`;
    item.contextValue = this.kind;
    item.iconPath = icon(this.status);
    return item;
  }
}

export class DeploymentNode {
  readonly kind = 'deployment';
  constructor(
    readonly environment: string,
    readonly record: DeploymentRecord,
  ) {}

  get id(): string {
    return this.record.id ?? '';
  }

  toTreeItem(): vscode.TreeItem {
    const d = this.record;
    const item = new vscode.TreeItem(deploymentLabel(d));
    item.id = `deployment:${this.environment}:${d.id}`;
    item.description = `${d.crNumber ?? d.crId} → ${d.targetEnvironment}`;
    item.contextValue = deploymentContextValue(d.status);
    item.iconPath = icon(d.status);
    item.command = { command: COMMANDS.openDeployment.id, title: COMMANDS.openDeployment.title, arguments: [{ environment: this.environment, id: d.id }] };
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(deploymentLabel(d)).appendMarkdown('** · ').appendText(d.status).appendMarkdown('\n\n');
    md.appendText(`${d.crNumber ?? d.crId}: ${d.sourceEnvironment} → ${d.targetEnvironment}`).appendMarkdown('  \n');
    md.appendText(`${d.components.length} component${d.components.length === 1 ? '' : 's'}`).appendMarkdown('  \n');
    if (d.package) md.appendText(`Package retrieved ${d.package.retrievedAt}`).appendMarkdown('  \n');
    if (d.validation) md.appendText(`Validation ${d.validation.id}: ${d.validation.success ? 'succeeded' : 'failed'}`).appendMarkdown('  \n');
    if (d.deploy) md.appendText(`Deploy ${d.deploy.id}: ${d.deploy.status}`).appendMarkdown('  \n');
    item.tooltip = md;
    return item;
  }
}

export type DeploymentNodeKind = 'deployments' | 'deploymentInfo' | 'deploymentGroup' | 'deployment';

export type DeploymentTreeNode = DeploymentsNode | DeploymentInfoNode | DeploymentGroupNode | DeploymentNode;
