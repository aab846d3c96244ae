/**
 * Tree rows of an environment's deployment queue: "Queue (N)" (N entries waiting) and one row per
 * entry, newest last. Org data (messages, names) goes into labels and tooltips as text.
 */
import * as vscode from 'vscode';
import { entryLabel, formatWhen, type QueueEntry, type QueueStatus } from '../core/promotion';
import { COMMANDS } from '../shared/ids';
import { EnvironmentInfoNode } from './infoNode';

const STATUS_ICON: Record<QueueStatus, [string, string | undefined]> = {
  Queued: ['inbox', 'charts.yellow'],
  Deploying: ['rocket', 'charts.blue'],
  Deployed: ['cloud-upload', 'charts.green'],
  Rejected: ['error', 'charts.red'],
  Failed: ['error', 'charts.red'],
  Cancelled: ['circle-slash', 'disabledForeground'],
  Reverted: ['discard', 'charts.orange'],
};

/**
 * `contextValue` of an entry row: `deploymentQueueEntry.queued`, …, `deploymentQueueEntry.withdrawn`;
 * `.yours` appended on entries you sent (Withdraw… is offered there). package.json menus match on it.
 */
export function queueEntryContextValue(e: Pick<QueueEntry, 'status' | 'withdrawn'>, yours = false): string {
  const state = e.status === 'Cancelled' && e.withdrawn ? 'withdrawn' : e.status.toLowerCase();
  return `deploymentQueueEntry.${state}${yours ? '.yours' : ''}`;
}

export class QueueNode {
  readonly kind = 'deploymentQueue';
  constructor(
    readonly environment: string,
    /** Entries waiting; undefined while not read. */
    readonly waiting?: number,
    readonly detail?: string,
    /** What the sender should read (rejections with their reason, failures). */
    readonly notices: readonly string[] = [],
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.waiting === undefined ? 'Queue' : `Queue (${this.waiting.toLocaleString('en-US')})`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `deploymentQueue:${this.environment}`;
    item.description = this.detail;
    item.contextValue = this.kind;
    item.iconPath = new vscode.ThemeIcon('list-ordered');
    const md = new vscode.MarkdownString();
    md.appendText(`Changes sent to ${this.environment}, waiting for its release managers to deploy or reject them.`);
    for (const n of this.notices) md.appendMarkdown('\n\n').appendText(n);
    item.tooltip = md;
    return item;
  }
}

export class QueueInfoNode extends EnvironmentInfoNode<'deploymentQueueInfo'> {
  constructor(environment: string, label: string, detail?: string, loading = false) {
    super('deploymentQueueInfo', environment, label, detail, loading);
  }
}

export class QueueEntryNode {
  readonly kind = 'deploymentQueueEntry';
  constructor(
    readonly environment: string,
    readonly entry: QueueEntry,
    /** You sent it (Withdraw… is offered while it waits). */
    readonly yours = false,
  ) {}

  get id(): string {
    return this.entry.id ?? '';
  }

  toTreeItem(): vscode.TreeItem {
    const e = this.entry;
    const item = new vscode.TreeItem(entryLabel(e));
    item.id = `deploymentQueueEntry:${this.environment}:${e.id}`;
    item.description = `${e.status} · from ${e.source} · ${e.sender.name}`;
    item.contextValue = queueEntryContextValue(e, this.yours);
    const [name, color] = STATUS_ICON[e.status];
    item.iconPath = new vscode.ThemeIcon(name, color ? new vscode.ThemeColor(color) : undefined);
    item.command = { command: COMMANDS.openQueue.id, title: COMMANDS.openQueue.title, arguments: [{ environment: this.environment }] };
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(entryLabel(e)).appendMarkdown('** · ').appendText(e.status).appendMarkdown('\n\n');
    md.appendText(e.message).appendMarkdown('\n\n');
    md.appendText(`Sent from ${e.source} by ${e.sender.name}, ${formatWhen(e.sentAt)}`).appendMarkdown('  \n');
    md.appendText(`CRs: ${e.crs.map((c) => c.number ?? c.id).join(', ') || 'none'} · ${e.components.length} component${e.components.length === 1 ? '' : 's'}`).appendMarkdown('  \n');
    if (e.rejection) md.appendText(`Rejected by ${e.rejection.by}: ${e.rejection.reason}`).appendMarkdown('  \n');
    if (e.failure) md.appendText(`Failed: ${e.failure}`).appendMarkdown('  \n');
    if (e.withdrawn) md.appendText(`Withdrawn by ${e.withdrawn.by}, ${formatWhen(e.withdrawn.at)}`).appendMarkdown('  \n');
    item.tooltip = md;
    return item;
  }
}

export type QueueNodeKind = 'deploymentQueue' | 'deploymentQueueInfo' | 'deploymentQueueEntry';

export type QueueTreeNode = QueueNode | QueueInfoNode | QueueEntryNode;
