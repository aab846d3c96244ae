/** Test Connection: from the tree (a node), the palette (quick pick) or tests (a name or {org}). */
import * as vscode from 'vscode';
import { describeOrgError } from '../../core/orgErrors';
import type { ConnectionResult } from '../../views/environmentsModel';
import type { Ctx } from '../../ctx';
import { COMMANDS } from '../../shared/ids';
import { checkEnvironment } from '../change-requests/crArgs';

/** Environment node, environment name, or `{org}` for any authorized alias/username. */
export type TestConnectionTarget = { name: string } | string | { org: string } | undefined;

export async function testConnection(ctx: Ctx, target?: TestConnectionTarget): Promise<ConnectionResult | undefined> {
  let name: string | undefined;
  let org: string | undefined;
  if (typeof target === 'string') name = target;
  else if (target && 'org' in target) org = target.org;
  else if (target && 'name' in target) name = target.name;
  else {
    const envs = ctx.model.environments();
    if (envs.length === 0) throw new Error('The pipeline has no environments to test. Create the pipeline file or add an environment first.');
    const pick = await ctx.prompts.pick(
      envs.map((e) => ({ label: e.name, description: e.org, detail: e.role })),
      { title: 'Test Connection', placeHolder: 'Choose an environment' },
    );
    if (!pick) return undefined;
    name = pick.label;
  }
  if (name !== undefined) {
    org = ctx.model.environment(checkEnvironment(ctx, name))!.org;
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Changeline: testing the connection to ${name ?? org}…` },
    () => (name !== undefined ? ctx.model.checkEnvironment(name) : ctx.model.checkOrg(org!)),
  );
  report(ctx, result);
  return result;
}

function report(ctx: Ctx, r: ConnectionResult): void {
  const label = r.environment ?? r.org;
  if (r.state === 'connected' && r.info) {
    const i = r.info;
    void ctx.prompts.info(`Connected to ${label} as ${i.username} — org ${i.orgId} (${i.orgType}), API ${i.apiVersion}.`);
    return;
  }
  const message =
    r.error && r.error.kind !== 'unexpected' ? describeOrgError(r.error.kind, r.org) : `Could not connect to "${r.org}": ${r.error?.message ?? 'unknown error'}.`;
  const actions = r.state === 'expired' || r.state === 'not-authorized' ? ['Add Environment…', 'Show Log'] : ['Show Log'];
  void ctx.prompts.error(`${label}: ${message}`, ...actions).then((pick) => {
    if (pick === 'Show Log') void vscode.commands.executeCommand(COMMANDS.showLog.id);
    else if (pick) void vscode.commands.executeCommand(COMMANDS.addEnvironment.id);
  });
  ctx.log.warn(`Connection to ${r.org}: ${r.state}${r.error ? ` (${r.error.kind})` : ''}.`);
}
