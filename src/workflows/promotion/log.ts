/**
 * The deployment log of an environment: its history (history.ts), filtered as the user asks. The
 * editor's log panel and `changeline log` show it; the details of one deployment (components and
 * test failures) are read when opened.
 */
import type { Pipeline } from '../../core/pipeline';
import { filterLog, type LogFilter } from '../../core/promotion/log';
import { readOrgHistory, recordHolders, type HistoryDeployment, type HistoryOptions } from './history';
import type { WorkflowDeps } from '../types';

export interface LogRequest extends Omit<HistoryOptions, 'withComponents' | 'recordsFrom'> {
  filter?: LogFilter;
  /** The pipeline, so the deployment records of the environments promoting to this one are read. */
  pipeline?: Pipeline;
}

export interface DeploymentLog {
  env: string;
  /** The deployments the filter keeps, newest first. */
  deployments: HistoryDeployment[];
  /** How many the org reported before filtering. */
  total: number;
  filter: LogFilter;
  notes: string[];
  /** When it was read (ISO). */
  readAt: string;
}

/** The log of `env`, filtered. Default: the last 30 days, at most 2,000 deployments. */
export async function readDeploymentLog(deps: WorkflowDeps, env: string, req: LogRequest = {}): Promise<DeploymentLog> {
  const { filter = {}, pipeline, ...opts } = req;
  const history = await readOrgHistory(deps, env, {
    ...opts,
    limit: opts.limit ?? 2000,
    recordsFrom: pipeline ? recordHolders(pipeline, env) : undefined,
  });
  return { env, deployments: filterLog(history.deployments, filter), total: history.deployments.length, filter, notes: history.notes, readAt: new Date().toISOString() };
}
