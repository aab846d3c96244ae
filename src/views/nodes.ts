/**
 * Node classes of the Environments view, one per kind. A node holds identity only; its tree
 * item is built from the model each time VS Code asks, so refreshing one node shows fresh data.
 * `contextValue` is the node kind (menus in package.json match on it).
 */
import * as vscode from 'vscode';
import type { ConnectionState } from '../core/orgs';
import type { Role } from '../core/pipeline';
import { COMMANDS } from '../shared/ids';
import type { EnvironmentsModel } from './environmentsModel';
import type { CrNodeKind } from './crNodes';
import type { DeploymentNodeKind } from './deploymentNodes';
import type { QueueNodeKind } from './queueNodes';

export type NodeKind = 'environment' | 'pipelineProblem' | 'hint' | 'deploymentLog' | CrNodeKind | DeploymentNodeKind | QueueNodeKind;

/** What the tree shows of the deployments an environment lacks from the one above it (views/behindModel.ts). */
export interface BehindText {
  describe(env: string): string | undefined;
  tooltip(env: string): string[];
}

const ROLE_ICONS: Record<Role, string> = {
  development: 'beaker',
  integration: 'git-merge',
  staging: 'server-environment',
  production: 'globe',
};

const STATE_TEXT: Record<ConnectionState | 'checking', string> = {
  unknown: 'not checked',
  checking: 'checking…',
  connected: 'connected',
  expired: 'session expired',
  unreachable: 'unreachable',
  'not-authorized': 'not authorized',
  error: 'connection error',
};

/** `contextValue` suffix per state: `environment`, `environment.connected`, `environment.expired`, … */
const STATE_CONTEXT: Record<ConnectionState | 'checking', string> = {
  unknown: 'environment',
  checking: 'environment.checking',
  connected: 'environment.connected',
  expired: 'environment.expired',
  unreachable: 'environment.unreachable',
  'not-authorized': 'environment.notAuthorized',
  error: 'environment.error',
};

export interface TreeNode {
  readonly kind: NodeKind;
  toTreeItem(): vscode.TreeItem;
}

export class EnvironmentNode implements TreeNode {
  readonly kind = 'environment';
  constructor(
    private readonly model: EnvironmentsModel,
    readonly name: string,
    private readonly behind?: BehindText,
  ) {}

  state(): ConnectionState | 'checking' {
    if (this.model.isChecking(this.name)) return 'checking';
    return this.model.connection(this.name)?.state ?? 'unknown';
  }

  toTreeItem(): vscode.TreeItem {
    const env = this.model.environment(this.name);
    // Collapsed: its children are the environment's change requests (read when expanded).
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `environment:${this.name}`;
    if (!env) return item;
    const state = this.state();
    const result = this.model.connection(this.name);
    const auth = this.model.authorizationFor(env.org);
    const username = result?.info?.username ?? auth?.username ?? env.org;
    const behind = state === 'connected' ? this.behind?.describe(this.name) : undefined;
    item.description = `${username} · ${STATE_TEXT[state]}${behind ? ` · ${behind}` : ''}`;
    // `.behind` while the upper environment has deployments this one lacks: Back Deploy… shows inline and next to Send.
    item.contextValue = STATE_CONTEXT[state] + (behind ? '.behind' : '');
    item.iconPath = new vscode.ThemeIcon(
      state === 'checking' ? 'loading~spin' : ROLE_ICONS[env.role],
      state === 'expired' || state === 'unreachable' || state === 'not-authorized' || state === 'error'
        ? new vscode.ThemeColor('problemsWarningIcon.foreground')
        : undefined,
    );

    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(env.name).appendMarkdown('** · ').appendText(env.role).appendMarkdown('\n\n');
    const line = (label: string, value: string | undefined) => {
      if (value) md.appendMarkdown(`${label}: `).appendText(value).appendMarkdown('  \n');
    };
    line('Org', env.org);
    line('Username', username);
    line('State', STATE_TEXT[state]);
    line('Org ID', result?.info?.orgId ?? auth?.orgId);
    line('Type', result?.info?.orgType ?? (auth?.isSandbox === undefined ? undefined : auth.isSandbox ? 'Sandbox' : 'Production'));
    line('API version', result?.info?.apiVersion);
    line('Instance', result?.info?.instanceUrl ?? auth?.instanceUrl);
    line('Next', env.next);
    line('Test level', env.testLevel);
    if (result?.error && state !== 'connected') line('Last error', result.error.message);
    for (const t of this.behind?.tooltip(this.name) ?? []) md.appendMarkdown('\n').appendText(t).appendMarkdown('  \n');
    item.tooltip = md;
    return item;
  }
}

/** Shown alone when the pipeline file cannot be read: why, and a click opens the file. */
export class PipelineProblemNode implements TreeNode {
  readonly kind = 'pipelineProblem';
  constructor(
    readonly message: string,
    readonly details: string[],
    readonly uri: vscode.Uri,
    readonly position?: { line: number; character: number },
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Cannot show the pipeline', vscode.TreeItemCollapsibleState.None);
    item.id = 'pipelineProblem';
    item.description = this.message;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    item.contextValue = this.kind;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**The pipeline file has problems.** Fix them to see the pipeline:\n\n');
    for (const d of this.details) md.appendMarkdown('- ').appendText(d).appendMarkdown('\n');
    item.tooltip = md;
    item.command = { command: COMMANDS.openPipeline.id, title: 'Open Pipeline File', arguments: [this.position] };
    return item;
  }
}

/** A one-line hint with an action (e.g. an empty pipeline → Add Environment). */
export class HintNode implements TreeNode {
  readonly kind = 'hint';
  constructor(
    readonly label: string,
    readonly command: vscode.Command,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = `hint:${this.label}`;
    item.iconPath = new vscode.ThemeIcon('info');
    item.contextValue = this.kind;
    item.command = this.command;
    return item;
  }
}
