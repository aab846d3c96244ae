/** The Environments tree: reads the model, refreshes only the node that changed. */
import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import type { EnvironmentsModel } from './environmentsModel';
import type { ChangeRequestsModel } from './changeRequestsModel';
import { crChildren, groupChildren } from './crChildren';
import { ChangeRequestNode, ShowMoreNode, StatusGroupNode } from './crNodes';
import { offersSend, sendHint, withNothingToSend, withSendTarget } from './sendTarget';
import type { SendFreshnessModel } from './sendFreshnessModel';
import { componentKey, type ComponentRef } from '../core/metadata-types';
import type { DeploymentsModel } from './deploymentsModel';
import { DeploymentGroupNode, DeploymentInfoNode, DeploymentNode, DeploymentsNode } from './deploymentNodes';
import { EnvironmentNode, HintNode, PipelineProblemNode, type BehindText, type TreeNode } from './nodes';
import { DeploymentLogNode } from './logNodes';
import type { QueueModel } from './queueModel';
import { QueueEntryNode, QueueInfoNode, QueueNode } from './queueNodes';
import { isSender } from '../core/promotion/queue';

/** "3 errors, 1 warning": the pipeline file's problems as the Problems panel counts them. */
export function problemCount(diagnostics: ReadonlyArray<{ severity: 'error' | 'warning' }>): string {
  const n = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const part = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const warnings = n('warning');
  return warnings ? `${part(n('error'), 'error')}, ${part(warnings, 'warning')}` : part(n('error'), 'error');
}

/** The tooltip with one more paragraph of text. */
function tooltipWith(tooltip: vscode.TreeItem['tooltip'], text: string): vscode.MarkdownString {
  const md = tooltip instanceof vscode.MarkdownString ? tooltip : new vscode.MarkdownString().appendText(typeof tooltip === 'string' ? tooltip : '');
  return md.appendMarkdown('\n\n').appendText(text);
}

export class EnvironmentsProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, EnvironmentNode>();
  private deploymentNodes = new Map<string, DeploymentsNode>();
  private queueNodes = new Map<string, QueueNode>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: EnvironmentsModel,
    private readonly checkOnShow: () => boolean,
    readonly changeRequests: ChangeRequestsModel,
    readonly deployments: DeploymentsModel,
    /** The "2 behind UAT" of each environment, and its change event (lower environment). */
    readonly behind?: BehindText & { onDidChange: vscode.Event<string | undefined> },
    /** The deployment queues (absent in tests that build the tree without them). */
    readonly queues?: QueueModel,
    /** Whether Send has anything to send (absent: Send always offered, checked when run). */
    readonly sendFreshness?: SendFreshnessModel,
  ) {
    const onChange = (name: string | undefined) => {
      const node = name === undefined ? undefined : this.nodes.get(name);
      if (name !== undefined && !node) return; // not shown: nothing to refresh
      if (name === undefined) this.nodes = new Map();
      this.changed.fire(node);
    };
    this.subscriptions = [
      model.onDidChange(onChange),
      changeRequests.onDidChange(onChange),
      deployments.onDidChange((name) => {
        const node = name === undefined ? undefined : this.deploymentNodes.get(name);
        if (name === undefined || node) this.changed.fire(node);
      }),
      ...(behind ? [behind.onDidChange((name) => onChange(name))] : []),
      // The environment's row and its change requests' rows: all redrawn.
      ...(sendFreshness ? [sendFreshness.onDidChange(() => onChange(undefined))] : []),
      ...(queues
        ? [
            queues.onDidChange((name) => {
              const node = name === undefined ? undefined : this.queueNodes.get(name);
              if (name === undefined || node) this.changed.fire(node);
            }),
          ]
        : []),
    ];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.toTreeItem();
    // "Send to Production…" instead of "Send to Next Environment…" where that is the target.
    const env = node instanceof EnvironmentNode ? node.name : node instanceof ChangeRequestNode || node instanceof DeploymentNode ? node.environment : undefined;
    const pipeline = this.model.status.kind === 'ok' ? this.model.status.pipeline : undefined;
    // Menu titles are static: the tooltip names the target.
    const hint = env !== undefined && pipeline && offersSend(item.contextValue) ? sendHint(pipeline, env) : undefined;
    if (hint) item.tooltip = tooltipWith(item.tooltip, hint);
    if (env !== undefined) item.contextValue = withSendTarget(item.contextValue, env, pipeline);
    // Nothing changed since the last send: Send greyed out (package.json's enablement), the tooltip says why.
    const sends =
      node instanceof EnvironmentNode
        ? this.approvedComponents(node.name)
        : node instanceof ChangeRequestNode && node.cr.status === 'Approved'
          ? node.cr.customizations
          : node instanceof DeploymentNode
            ? node.record.components
            : undefined;
    const sendable = /^(environment\.connected|changeRequest\.approved|deployment\.(approved|deployed|completed))(\.|$)/;
    const why = env !== undefined && sends?.length && item.contextValue && sendable.test(item.contextValue) ? this.sendFreshness?.nothingToSend(env, sends) : undefined;
    if (why) {
      item.contextValue = withNothingToSend(item.contextValue!);
      item.tooltip = tooltipWith(item.tooltip, why);
    }
    return item;
  }

  /** What Send on an environment carries (its approved change requests' components), once they were all read. */
  private approvedComponents(env: string): ComponentRef[] | undefined {
    const s = this.changeRequests.peek(env);
    if (s?.kind !== 'ready' || !s.complete) return undefined;
    const seen = new Map<string, ComponentRef>();
    for (const cr of s.items) if (cr.status === 'Approved') for (const c of cr.customizations) seen.set(componentKey(c), c);
    return [...seen.values()];
  }

  getChildren(parent?: TreeNode): TreeNode[] {
    if (parent instanceof EnvironmentNode) {
      const crs = crChildren(this.changeRequests, parent.name);
      // The org's deployment log needs no tracking schema: always there.
      const log = new DeploymentLogNode(parent.name);
      // Deployment records live in the same tracking schema: shown once it is there.
      if (this.changeRequests.state(parent.name).kind !== 'ready') return [...crs, log];
      return [...crs, ...(this.queues ? [this.queueNode(parent.name)] : []), log, this.deploymentsNode(parent.name)];
    }
    if (parent instanceof QueueNode) return this.queueChildren(parent.environment);
    if (parent instanceof DeploymentsNode) return this.deploymentChildren(parent.environment);
    if (parent instanceof DeploymentGroupNode) {
      return (this.deployments.groups(parent.environment).find((g) => g.status === parent.status)?.items ?? []).map((d) => new DeploymentNode(parent.environment, d));
    }
    if (parent instanceof StatusGroupNode || parent instanceof ShowMoreNode) return groupChildren(this.changeRequests, parent);
    if (parent) return [];
    // Authorizations (and with them the Salesforce libraries) load on first display, not at activation.
    void this.model.loadAuthorizations();
    const s = this.model.status;
    switch (s.kind) {
      case 'no-folder':
      case 'missing':
        return []; // viewsWelcome explains and offers actions
      case 'unreadable':
        return [new PipelineProblemNode(`cannot read it: ${s.message}`, [s.message], s.uri)];
      case 'broken': {
        const first = s.errors[0];
        // Counted as the Problems panel lists them: errors and warnings alike.
        const all = s.result.diagnostics;
        return [
          new PipelineProblemNode(
            `${problemCount(all)}: ${first.message}`,
            all.map((d) => `Line ${d.range.start.line + 1} (${d.severity}): ${d.message}`),
            s.uri,
            first.range.start,
          ),
        ];
      }
      case 'ok': {
        const envs = s.pipeline.environments;
        if (envs.length === 0) {
          return [new HintNode('No environments yet: add one', { command: COMMANDS.addEnvironment.id, title: COMMANDS.addEnvironment.title })];
        }
        const nodes = envs.map((e) => this.nodes.get(e.name) ?? new EnvironmentNode(this.model, e.name, this.behind));
        this.nodes = new Map(nodes.map((n) => [n.name, n]));
        if (this.checkOnShow()) for (const n of nodes) this.model.ensureChecked(n.name);
        return nodes;
      }
    }
  }

  private deploymentsNode(env: string): DeploymentsNode {
    const s = this.deployments.state(env);
    const node = new DeploymentsNode(env, s.kind === 'ready' ? String(s.items.length) : undefined);
    this.deploymentNodes.set(env, node);
    return node;
  }

  private deploymentChildren(env: string): TreeNode[] {
    this.deployments.ensureLoaded(env);
    const s = this.deployments.state(env);
    switch (s.kind) {
      case 'idle':
      case 'loading':
        return [new DeploymentInfoNode(env, 'Reading deployment records…', undefined, true)];
      case 'error':
        return [new DeploymentInfoNode(env, 'Cannot read deployment records', s.message)];
      case 'ready': {
        const groups = this.deployments.groups(env);
        if (groups.length === 0) return [new DeploymentInfoNode(env, 'No deployment records yet', 'create one from an approved change request')];
        return groups.map((g) => new DeploymentGroupNode(env, g.status, g.items.length));
      }
    }
  }

  private queueNode(env: string): QueueNode {
    const q = this.queues!;
    q.ensureLoaded(env);
    const s = q.state(env);
    // What concerns you as a sender (rejections with their reason, failures) shows on the row.
    const notices = s.kind === 'ready' ? s.view.notices.filter((n) => n.entry.status === 'Rejected' || n.entry.status === 'Failed') : [];
    const detail = s.kind === 'error' ? 'cannot be read' : notices.length ? `${notices.length} of yours rejected or failed` : undefined;
    const node = new QueueNode(env, q.waitingCount(env), detail, notices.map((n) => n.text));
    this.queueNodes.set(env, node);
    return node;
  }

  private queueChildren(env: string): TreeNode[] {
    const s = this.queues!.state(env);
    switch (s.kind) {
      case 'idle':
      case 'loading':
        return [new QueueInfoNode(env, 'Reading the deployment queue…', undefined, true)];
      case 'error':
        return [new QueueInfoNode(env, 'Cannot read the deployment queue', s.message)];
      case 'ready':
        if (s.view.entries.length === 0) return [new QueueInfoNode(env, 'Nothing was sent here yet', 'Send to… from the environment below')];
        return s.view.entries.map((e) => new QueueEntryNode(env, e, isSender(e, s.view.you)));
    }
  }

  /** Environment rows are the roots (TreeView.reveal needs getParent; only environment rows are revealed). */
  getParent(node: TreeNode): TreeNode | undefined {
    void node;
    return undefined;
  }

  /** The node currently shown for an environment (for reveal and tests). */
  nodeFor(name: string): EnvironmentNode | undefined {
    return this.nodes.get(name);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
