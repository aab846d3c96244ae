/**
 * One open connection per environment, shared by the tree, the panels and the commands: the
 * handle, and who the user is in that org (change request rules need the user id). Opened on
 * first use, kept until a refresh or a failure that calls for a new one.
 */
import { Emitter, type Disposable } from '../core/events';
import type { Environment } from '../core/pipeline';
import type { OrgConnection } from '../salesforce/connection';
import type { SalesforceApi } from '../salesforce-loader';

/** Where the sessions find an environment by name: the editor's pipeline model, or the CLI's pipeline file. */
export interface EnvironmentLookup {
  environment(name: string): Environment | undefined;
}

export interface EnvSession {
  environment: Environment;
  handle: OrgConnection;
  /** The user's id in that org (15 or 18 characters, as the org gives it). */
  userId: string;
  username: string;
  userFullName: string;
  orgId: string;
}

/** What changed, so views and panels refresh only what they show. */
export interface ChangeRequestChange {
  environment: string;
  /** The CR changed; undefined when the environment's whole list changed. */
  id?: string;
}

export class OrgSessions implements Disposable {
  private readonly sessions = new Map<string, { org: string; opening: Promise<EnvSession> }>();
  private readonly crChanged = new Emitter<ChangeRequestChange>();
  /** Fires after Changeline wrote a change request (or a list changed), from any view or panel. */
  readonly onDidChangeChangeRequests = this.crChanged.event;

  constructor(
    private readonly model: EnvironmentLookup,
    private readonly salesforce: () => Promise<SalesforceApi>,
  ) {}

  /**
   * The session of a pipeline environment (opened once; a failed open is retried next time). One
   * kept for an environment that left the pipeline, or now names another org, is not used.
   */
  get(environmentName: string): Promise<EnvSession> {
    const env = this.model.environment(environmentName);
    const cached = this.sessions.get(environmentName);
    if (cached && env && cached.org === env.org) return cached.opening;
    if (cached) this.sessions.delete(environmentName);
    if (!env) return Promise.reject(new Error(`There is no environment named "${environmentName}" in the pipeline.`));
    const opening = (async () => {
      const sf = await this.salesforce();
      const handle = await sf.connect(env.org);
      const info = await sf.testConnection(handle);
      return { environment: env, handle, userId: info.userId, username: info.username, userFullName: info.userFullName, orgId: info.orgId };
    })();
    this.sessions.set(environmentName, { org: env.org, opening });
    opening.catch(() => {
      if (this.sessions.get(environmentName)?.opening === opening) this.sessions.delete(environmentName);
    });
    return opening;
  }

  /** Forgets open sessions (after a refresh, or when the pipeline changed). */
  reset(environmentName?: string): void {
    if (environmentName === undefined) this.sessions.clear();
    else this.sessions.delete(environmentName);
  }

  /** Tells every view and panel that change requests of an environment changed. */
  notifyChanged(change: ChangeRequestChange): void {
    this.crChanged.fire(change);
  }

  dispose(): void {
    this.crChanged.dispose();
    this.sessions.clear();
  }
}
