/**
 * Node classes for the change requests under an environment: the "tracking not installed" row,
 * loading / error rows, one group per status with its count, the CRs themselves, and a
 * "Show more…" row that pages long groups in. Org data goes into labels and tooltips as text.
 */
import * as vscode from 'vscode';
import { TRACKED_FIELDS, type ChangeRequest, type CrStatus } from '../core/change-requests';
import { COMMANDS } from '../shared/ids';

export type CrNodeKind = 'trackingMissing' | 'crLoading' | 'crError' | 'crHint' | 'crGroup' | 'changeRequest' | 'crShowMore';

/** CRs shown per group (and per "Show more…" step), so a huge list never builds thousands of rows at once. */
export const GROUP_PAGE = 200;

const STATUS_KEY: Record<CrStatus, string> = {
  Draft: 'draft',
  'Pending approval': 'pending',
  Approved: 'approved',
  Rejected: 'rejected',
  Deploying: 'deploying',
  Deployed: 'deployed',
  Ready: 'ready',
  Idle: 'idle',
  Completed: 'completed',
  Cancelled: 'cancelled',
};

const STATUS_ICON: Record<CrStatus, [string, string | undefined]> = {
  Draft: ['edit', undefined],
  'Pending approval': ['clock', 'charts.yellow'],
  Approved: ['pass', 'charts.green'],
  Rejected: ['error', 'charts.red'],
  Deploying: ['rocket', 'charts.blue'],
  Deployed: ['cloud-upload', 'charts.blue'],
  Ready: ['debug-start', 'charts.green'],
  Idle: ['debug-pause', undefined],
  Completed: ['check-all', 'charts.green'],
  Cancelled: ['circle-slash', 'disabledForeground'],
};

export function statusIcon(status: CrStatus): vscode.ThemeIcon {
  const [icon, color] = STATUS_ICON[status];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

/** `contextValue` of a CR row: `changeRequest.draft`, `changeRequest.pending`, … (package.json menus match on it). */
export function crContextValue(status: CrStatus): string {
  return `changeRequest.${STATUS_KEY[status]}`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The org has no tracking schema (or an old one): the inline action installs it. */
export class TrackingMissingNode {
  readonly kind = 'trackingMissing';
  constructor(
    readonly environment: string,
    readonly upgrade: boolean,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.upgrade ? 'Change tracking is out of date — Upgrade…' : 'Change tracking not installed — Install…');
    item.id = `trackingMissing:${this.environment}`;
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    item.tooltip = this.upgrade
      ? 'This org has an older version of the change tracking objects. Upgrade them to read and write change requests here.'
      : 'Change requests are stored in the org. Install the change tracking objects (3 custom objects and a permission set) to use them here.';
    item.command = { command: COMMANDS.installTracking.id, title: COMMANDS.installTracking.title, arguments: [this.environment] };
    return item;
  }
}

export class CrLoadingNode {
  readonly kind = 'crLoading';
  constructor(
    readonly environment: string,
    readonly loaded?: number,
    readonly total?: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.loaded === undefined ? 'Reading change requests…' : `Loading change requests… ${count(this.loaded)} of ${count(this.total ?? 0)}`);
    item.id = `crLoading:${this.environment}`;
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon('loading~spin');
    return item;
  }
}

/** The org could not be read: the message (no CR list). */
export class CrErrorNode {
  readonly kind = 'crError';
  constructor(
    readonly environment: string,
    readonly message: string,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Cannot read change requests');
    item.id = `crError:${this.environment}`;
    item.description = this.message;
    item.tooltip = new vscode.MarkdownString().appendText(this.message);
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    return item;
  }
}

/** An empty list: what to do next. */
export class CrHintNode {
  readonly kind = 'crHint';
  constructor(
    readonly environment: string,
    readonly label: string,
    readonly command: vscode.Command,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label);
    item.id = `crHint:${this.environment}`;
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon('info');
    item.command = this.command;
    return item;
  }
}

export class StatusGroupNode {
  readonly kind = 'crGroup';
  constructor(
    readonly environment: string,
    readonly status: CrStatus,
    readonly count: number,
    /** More CRs are still loading (the count will grow). */
    readonly partial: boolean,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${this.status} (${count(this.count)}${this.partial ? '+' : ''})`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `crGroup:${this.environment}:${this.status}`;
    item.contextValue = this.kind;
    item.iconPath = statusIcon(this.status);
    return item;
  }
}

export class ChangeRequestNode {
  readonly kind = 'changeRequest';
  constructor(
    readonly environment: string,
    readonly cr: ChangeRequest,
  ) {}

  get id(): string {
    return this.cr.id ?? '';
  }

  toTreeItem(): vscode.TreeItem {
    const cr = this.cr;
    const item = new vscode.TreeItem(cr.number ?? cr.name);
    item.id = `changeRequest:${this.environment}:${cr.id}`;
    item.description = cr.name;
    item.contextValue = crContextValue(cr.status);
    item.iconPath = statusIcon(cr.status);
    item.command = { command: COMMANDS.openChangeRequest.id, title: COMMANDS.openChangeRequest.title, arguments: [{ environment: this.environment, id: cr.id }] };
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(cr.number ?? '').appendMarkdown('** · ').appendText(cr.status).appendMarkdown('\n\n');
    md.appendText(cr.name).appendMarkdown('\n\n');
    const line = (label: string, value: string | undefined) => {
      if (value) md.appendMarkdown(`${label}: `).appendText(value).appendMarkdown('  \n');
    };
    line('Change type', cr.changeType);
    line(TRACKED_FIELDS.customizations, String(cr.customizations.length));
    if (cr.proposedCustomizations.length) line(TRACKED_FIELDS.proposedCustomizations, String(cr.proposedCustomizations.length));
    line('Approvers', cr.approvers.length ? String(cr.approvers.length) : undefined);
    const origin = cr.origin;
    if (origin?.number) line('Copied from', `${origin.number}${origin.environment ? ` in ${origin.environment}` : ''}`);
    const dep = cr.deployment;
    if (dep) line('Deployed by', `${dep.number ?? dep.recordId}${dep.environment ? ` (kept in ${dep.environment})` : ''}${dep.deployId ? `, deploy ${dep.deployId}` : ''}`);
    if (cr.overview) md.appendMarkdown('\n').appendText(cr.overview.length > 300 ? `${cr.overview.slice(0, 300)}…` : cr.overview);
    item.tooltip = md;
    return item;
  }
}

/** The rest of a long group, GROUP_PAGE at a time: expanding it shows the next rows. */
export class ShowMoreNode {
  readonly kind = 'crShowMore';
  constructor(
    readonly environment: string,
    readonly status: CrStatus,
    readonly offset: number,
    readonly remaining: number,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Show more… (${count(this.remaining)} more)`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `crShowMore:${this.environment}:${this.status}:${this.offset}`;
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    return item;
  }
}

export type CrNode = TrackingMissingNode | CrLoadingNode | CrErrorNode | CrHintNode | StatusGroupNode | ChangeRequestNode | ShowMoreNode;
