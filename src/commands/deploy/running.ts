/**
 * The local-source deploy running in the org, kept in the workspace's state from the moment the
 * org gave it an id, so that a window reload or a restart picks it up again (by id) and follows it
 * to its end. Ids, names and paths only: no session, no token.
 */
import type * as vscode from 'vscode';
import { RUNNING_DEPLOY_KEY } from '../../shared/ids';

export interface RunningDeploy {
  deployId: string;
  targetEnv: string;
  /** The deployed files and folders (absolute paths), to place the problems on. */
  sourcePaths: string[];
  checkOnly: boolean;
  startedAt: string;
}

const valid = (r: unknown): r is RunningDeploy => {
  const x = r as Partial<RunningDeploy> | undefined;
  return typeof x?.deployId === 'string' && typeof x.targetEnv === 'string' && Array.isArray(x.sourcePaths) && x.sourcePaths.every((p) => typeof p === 'string');
};

export class RunningDeploys {
  constructor(private readonly state: vscode.Memento) {}

  get(): RunningDeploy | undefined {
    const r = this.state.get<unknown>(RUNNING_DEPLOY_KEY);
    return valid(r) ? { ...r, checkOnly: r.checkOnly === true } : undefined;
  }

  save(r: RunningDeploy): Thenable<void> {
    return this.state.update(RUNNING_DEPLOY_KEY, r);
  }

  /** Forgets the deploy (only this one, when an id is given: a newer one stays). */
  async clear(deployId?: string): Promise<void> {
    if (deployId && this.get()?.deployId !== deployId) return;
    await this.state.update(RUNNING_DEPLOY_KEY, undefined);
  }
}
