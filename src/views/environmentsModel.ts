/**
 * The data behind the Environments view: the pipeline file (read, validated, published as
 * diagnostics), the authorized orgs (loaded lazily with the Salesforce layer) and a cache of
 * connection states checked in the background with a small concurrency. No tree code here.
 */
import * as vscode from 'vscode';
import type { ConnectionResult, OrgAuthorization } from '../core/orgs';
import type { ApprovalPolicy } from '../core/change-requests';
import { findAuthorization, parsePipeline, selfApprovalAllowed, type Environment, type Pipeline, type PipelineDiagnostic, type PipelineResult } from '../core/pipeline';
import { TaskPool } from '../core/pool';
import { CONTEXT_KEYS } from '../shared/ids';
import type { SalesforceApi } from '../salesforce-loader';
import type { Log } from '../log';
import { testOrg } from '../workflows/environments/check';
import { toDiagnostic } from './diagnostics';

export type PipelineStatus =
  | { kind: 'no-folder' }
  | { kind: 'missing'; uri: vscode.Uri }
  | { kind: 'unreadable'; uri: vscode.Uri; message: string }
  | { kind: 'broken'; uri: vscode.Uri; result: PipelineResult; errors: PipelineDiagnostic[] }
  | { kind: 'ok'; uri: vscode.Uri; result: PipelineResult; pipeline: Pipeline };

/** Result of testing one org's connection. */
export type { ConnectionResult };

export interface ModelDeps {
  folder: () => vscode.Uri | undefined;
  pipelineFile: () => string;
  concurrency: () => number;
  salesforce: () => Promise<SalesforceApi>;
  log: Log;
}

export class EnvironmentsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with an environment name when only that environment changed, undefined for all. */
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('changeline');
  private readonly pool: TaskPool;
  private readonly results = new Map<string, ConnectionResult>();
  private readonly pending = new Map<string, Promise<ConnectionResult>>();
  private authLoad?: Promise<OrgAuthorization[]>;
  /** Orgs not in the cached authorizations for which the list was read again once already. */
  private readonly relisted = new Set<string>();
  private generation = 0;
  /** Org of each environment in the last pipeline that read without errors. */
  private orgs = new Map<string, string>();

  status: PipelineStatus = { kind: 'no-folder' };
  private read = false;
  private markRead!: () => void;
  /** Settles once the pipeline file has been read for the first time (whatever it held). */
  private readonly firstRead = new Promise<void>((resolve) => (this.markRead = resolve));
  /** Undefined until listed. */
  authorizations?: OrgAuthorization[];

  constructor(private readonly deps: ModelDeps) {
    this.pool = new TaskPool(deps.concurrency());
  }

  pipelineUri(): vscode.Uri | undefined {
    const folder = this.deps.folder();
    return folder && vscode.Uri.joinPath(folder, this.deps.pipelineFile());
  }

  /** Re-reads and re-validates the pipeline file; publishes diagnostics; notifies the view. */
  async reload(): Promise<PipelineStatus> {
    const uri = this.pipelineUri();
    if (!uri) this.status = { kind: 'no-folder' };
    else {
      let text: string | undefined;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (e) {
        if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') this.status = { kind: 'missing', uri };
        else this.status = { kind: 'unreadable', uri, message: (e as Error).message };
      }
      if (text !== undefined) this.status = this.evaluate(uri, text);
    }
    const recheck = this.forgetChangedOrgs();
    this.read = true;
    this.markRead();
    this.publish();
    this.changed.fire(undefined);
    for (const name of recheck) void this.checkEnvironment(name).catch(() => undefined);
    return this.status;
  }

  /**
   * Forgets the connection state of environments whose org the file changed (or that left it), so
   * no row keeps showing the old org's state. Returns those still in the pipeline that had a state
   * (or a check running): they are checked again against their new org.
   */
  private forgetChangedOrgs(): string[] {
    if (this.status.kind !== 'ok') return []; // a broken file changes nothing until it reads again
    const now = new Map(this.status.pipeline.environments.map((e) => [e.name, e.org] as const));
    const recheck: string[] = [];
    for (const [name, org] of this.orgs) {
      if (now.get(name) === org) continue;
      const had = this.results.has(name) || this.pending.has(name);
      this.results.delete(name);
      this.pending.delete(name);
      if (had && now.has(name)) recheck.push(name);
      this.deps.log.info(now.has(name) ? `${name} now points at "${now.get(name)}" (was "${org}"): checking it again.` : `${name} left the pipeline.`);
    }
    this.orgs = now;
    return recheck;
  }

  private evaluate(uri: vscode.Uri, text: string): PipelineStatus {
    const result = parsePipeline(text, { authorizations: this.authorizations });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (!result.pipeline) return { kind: 'broken', uri, result, errors };
    return { kind: 'ok', uri, result, pipeline: result.pipeline };
  }

  private publish(): void {
    this.diagnostics.clear();
    const s = this.status;
    if (s.kind === 'ok' || s.kind === 'broken') this.diagnostics.set(s.uri, s.result.diagnostics.map(toDiagnostic));
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.pipelineState, s.kind === 'unreadable' ? 'broken' : s.kind === 'no-folder' ? 'none' : s.kind);
  }

  /** Whether the pipeline file has been read at least once (until then no environment is known). */
  hasReadPipeline(): boolean {
    return this.read;
  }

  /** Resolves once the pipeline file has been read at least once. */
  whenPipelineRead(): Promise<void> {
    return this.firstRead;
  }

  environments(): Environment[] {
    return this.status.kind === 'ok' ? this.status.pipeline.environments : [];
  }

  environment(name: string): Environment | undefined {
    return this.environments().find((e) => e.name === name);
  }

  /** The environment's rule on self-approval, as the pipeline file sets it (refused for an unknown environment). */
  approvalPolicy(name: string): ApprovalPolicy {
    const env = this.environment(name);
    return { selfApproval: !!env && selfApprovalAllowed(env), environment: name };
  }

  authorizationFor(org: string): OrgAuthorization | undefined {
    return this.authorizations && findAuthorization(org, this.authorizations);
  }

  /** Lists authorized orgs (once, unless forced), then re-validates the file against them. */
  loadAuthorizations(force = false): Promise<OrgAuthorization[]> {
    if (this.authLoad && !force) return this.authLoad;
    const load = (async () => {
      try {
        const sf = await this.deps.salesforce();
        const auths = await sf.listAuthorizations();
        this.deps.log.info(`Found ${auths.length} authorized org(s).`);
        return auths;
      } catch (e) {
        this.deps.log.error('Could not list authorized orgs', e);
        return [];
      }
    })().then(async (auths) => {
      if (this.authLoad !== load) return auths;
      this.authorizations = auths;
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasAuthorizedOrgs, auths.length > 0);
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.authorizationsLoaded, true);
      await this.reload();
      return auths;
    });
    this.authLoad = load;
    return load;
  }

  /** Cached result of the environment's last check, if any. */
  connection(name: string): ConnectionResult | undefined {
    return this.results.get(name);
  }

  isChecking(name: string): boolean {
    return this.pending.has(name);
  }

  /** Starts a background check of the environment unless one ran or runs already. */
  ensureChecked(name: string): void {
    if (!this.results.has(name) && !this.pending.has(name)) void this.checkEnvironment(name);
  }

  /** Tests the environment's org now (queued behind at most `concurrency` running checks). */
  checkEnvironment(name: string): Promise<ConnectionResult> {
    const env = this.environment(name);
    if (!env) return Promise.reject(new Error(`There is no environment named "${name}" in the pipeline.`));
    const running = this.pending.get(name);
    if (running) return running;
    const generation = this.generation;
    const p = this.pool
      .run(() => this.checkOrg(env.org, name))
      .then((r) => {
        // A check of an org the environment no longer points at (the file changed meanwhile) is dropped.
        if (generation === this.generation && this.environment(name)?.org === r.org) this.results.set(name, r);
        return r;
      })
      .finally(() => {
        if (this.pending.get(name) === p) this.pending.delete(name);
        this.changed.fire(name);
      });
    this.pending.set(name, p);
    this.changed.fire(name);
    return p;
  }

  /** Tests any org by alias or username (not necessarily in the pipeline). */
  async checkOrg(org: string, environment?: string): Promise<ConnectionResult> {
    let auths = this.authorizations ?? (await this.loadAuthorizations());
    if (!findAuthorization(org, auths) && !this.relisted.has(org)) {
      // Perhaps authorized with the sf CLI since the list was read: read it once more before saying no.
      this.relisted.add(org);
      auths = await this.loadAuthorizations(true);
    }
    if (!findAuthorization(org, auths)) {
      return { org, environment, state: 'not-authorized', error: { kind: 'unknown-org', message: `"${org}" is not an authorized org.` } };
    }
    return testOrg(this.deps, org, environment);
  }

  /** Records a result obtained outside the queue (e.g. by the Test Connection command). */
  record(name: string, result: ConnectionResult): void {
    this.results.set(name, result);
    this.changed.fire(name);
  }

  /** Forgets cached connection states; the view checks again as it renders. */
  invalidateConnections(): void {
    this.generation++;
    this.results.clear();
  }

  setConcurrency(n: number): void {
    this.pool.setLimit(n);
  }

  dispose(): void {
    this.changed.dispose();
    this.diagnostics.dispose();
  }
}
