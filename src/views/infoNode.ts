/**
 * An informational row under an environment's list (loading, cannot read, nothing yet): the same
 * shape for deployment records and the deployment queue, told apart by `kind`.
 */
import * as vscode from 'vscode';

export class EnvironmentInfoNode<K extends string> {
  constructor(
    readonly kind: K,
    readonly environment: string,
    readonly label: string,
    readonly detail?: string,
    readonly loading = false,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label);
    item.id = `${this.kind}:${this.environment}`;
    item.description = this.detail;
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon(this.loading ? 'loading~spin' : 'info');
    return item;
  }
}
