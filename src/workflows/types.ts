/**
 * What every workflow is given: the sessions (one per environment), the Salesforce layer (loaded
 * once, lazily) and a log. The editor builds these in activate(); the CLI from the pipeline file.
 */
import type { LogSink } from '../core/log-sink';
import type { SalesforceApi } from '../salesforce-loader';
import type { OrgSessions } from './sessions';

export interface WorkflowDeps {
  sessions: OrgSessions;
  salesforce(): Promise<SalesforceApi>;
  log: LogSink;
}

/** How a workflow is run: cancelled through the signal, progress as a line of text (and a share of the work done, 0–100). */
export interface RunOptions<P = ProgressUpdate> {
  signal?: AbortSignal;
  onProgress?: (p: P) => void;
}

export interface ProgressUpdate {
  message: string;
  /** Percent of the whole work done so far (0–100), when known. */
  percent?: number;
}
