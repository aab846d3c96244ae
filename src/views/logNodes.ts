/** The "Deployment Log" row under each environment: opens the environment's log panel. */
import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';

export class DeploymentLogNode {
  readonly kind = 'deploymentLog';
  constructor(readonly environment: string) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Deployment Log', vscode.TreeItemCollapsibleState.None);
    item.id = `deploymentLog:${this.environment}`;
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon('history');
    item.tooltip = `Every deployment that reached ${this.environment}'s org, by Changeline and out of band (change sets, the sf CLI, other tools), newest first.`;
    item.command = { command: COMMANDS.openDeploymentLog.id, title: COMMANDS.openDeploymentLog.title, arguments: [{ environment: this.environment }] };
    return item;
  }
}
