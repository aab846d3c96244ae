/** What every command gets: the model, the log, settings and the Salesforce layer. */
import type * as vscode from 'vscode';
import type { ChangelineConfig } from '../config';
import type { Log } from '../log';
import type { SalesforceApi } from '../salesforce-loader';
import type { OrgSessions } from '../services/orgSessions';
import type { ChangeRequestsModel } from '../views/changeRequestsModel';
import type { EnvironmentsModel } from '../views/environmentsModel';

export interface CommandContext {
  model: EnvironmentsModel;
  log: Log;
  config(): ChangelineConfig;
  salesforce(): Promise<SalesforceApi>;
  extension: vscode.ExtensionContext;
  /** Open connections per environment, and the change request change events. */
  sessions: OrgSessions;
  /** The change requests shown in the tree (per environment, filtered). */
  changeRequests: ChangeRequestsModel;
}

/** Thrown when the user cancels a running operation (shown as information, not as an error). */
export class CancelledError extends Error {
  constructor(what = 'Operation') {
    super(`${what} cancelled.`);
    this.name = 'CancelledError';
  }
}
