/**
 * The command table as plain data (no `vscode`): ids, titles and where they show. The manifest
 * unit test checks package.json against it; index.ts registers exactly these ids.
 */

export const COMMAND_CATEGORY = 'Changeline';

export interface CommandSpec {
  id: string;
  title: string;
  /** Needs a tree node: hidden from the Command Palette, reached from the view's context menu. */
  treeOnly?: boolean;
}

export const COMMANDS = {
  refresh: { id: 'changeline.refresh', title: 'Refresh Environments' },
  createPipeline: { id: 'changeline.createPipeline', title: 'Create Pipeline File from Authorized Orgs' },
  openPipeline: { id: 'changeline.openPipeline', title: 'Open Pipeline File' },
  addEnvironment: { id: 'changeline.addEnvironment', title: 'Add Environment…' },
  removeEnvironment: { id: 'changeline.removeEnvironment', title: 'Remove Environment', treeOnly: true },
  testConnection: { id: 'changeline.testConnection', title: 'Test Connection' },
  showLog: { id: 'changeline.showLog', title: 'Show Log' },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export const COMMAND_IDS: readonly string[] = Object.values(COMMANDS).map((c) => c.id);

export const VIEW_CONTAINER_ID = 'changeline';
export const ENVIRONMENTS_VIEW_ID = 'changeline.environments';

/** Context keys set by the extension and used in package.json `when` clauses. */
export const CONTEXT_KEYS = {
  /** 'none' (no folder open) | 'missing' | 'broken' | 'ok' */
  pipelineState: 'changeline.pipelineState',
  /** true once authorizations are known and at least one exists */
  hasAuthorizedOrgs: 'changeline.hasAuthorizedOrgs',
  /** true once authorizations were listed (so "no authorized org" is not shown while loading) */
  authorizationsLoaded: 'changeline.authorizationsLoaded',
} as const;
