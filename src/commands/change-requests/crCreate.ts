/** New Change Request: environment, name (checked as typed), change type; created as a Draft and opened. */
import * as vscode from 'vscode';
import { CHANGE_TYPES, createRequest, isChangeType, newDraft, validateFields, type ChangeRequest, type ChangeType, type ComponentRef } from '../../core/change-requests';
import { metadataTypeNames } from '../../core/metadata-types';
import { EnvironmentNode } from '../../views/nodes';
import type { Ctx } from '../../ctx';
import { resolveEnvironment } from './crArgs';
import { ensureTracking } from './crTracking';

export interface NewChangeRequestArgs {
  environment?: string;
  name?: string;
  changeType?: string;
  customizations?: ComponentRef[];
  /** Components not yet in the environment's org (e.g. only in the other org of a compare). */
  proposedCustomizations?: ComponentRef[];
}

/** The input box's live check of a name: the core rule's sentence, or undefined when fine. */
export function validateChangeRequestName(name: string): string | undefined {
  const v = validateFields(newDraft({ name }));
  return v.ok ? undefined : v.reason;
}

export async function newChangeRequest(ctx: Ctx, arg?: NewChangeRequestArgs | EnvironmentNode): Promise<ChangeRequest | undefined> {
  const a: NewChangeRequestArgs = arg instanceof EnvironmentNode ? { environment: arg.name } : (arg ?? {});
  const env = await resolveEnvironment(ctx, a.environment, 'Environment for the new change request');
  if (!env) return undefined;
  if (!(await ensureTracking(ctx, env))) return undefined;

  const name =
    a.name ??
    (await ctx.prompts.input({
      title: `New change request in ${env}`,
      prompt: 'Name',
      placeHolder: 'e.g. Add discount field to Opportunity',
      ignoreFocusOut: true,
      validateInput: validateChangeRequestName,
    }));
  if (name === undefined) return undefined;
  let changeType: ChangeType | undefined;
  if (a.changeType !== undefined) {
    if (!isChangeType(a.changeType)) throw new Error(`"${a.changeType}" is not a change type; use one of: ${CHANGE_TYPES.join(', ')}.`);
    changeType = a.changeType;
  } else {
    const picked = await ctx.prompts.pick(CHANGE_TYPES.map((t) => ({ label: t })), { title: `New change request in ${env}`, placeHolder: 'Change type', ignoreFocusOut: true });
    if (!picked) return undefined;
    changeType = picked.label as ChangeType;
  }

  const session = await ctx.sessions.get(env);
  const sf = await ctx.salesforce();
  const customizations = a.customizations ?? [];
  const proposedCustomizations = a.proposedCustomizations ?? [];
  // Component types are checked against the org only when some are given (a describe costs a round trip).
  const knownTypes = customizations.length + proposedCustomizations.length ? metadataTypeNames(await sf.describeTypes(session.handle)) : undefined;
  const outcome = await createRequest(
    { store: sf.trackingStore(session.handle), actor: { userId: session.userId }, knownTypes },
    { name: name.trim(), changeType, customizations, proposedCustomizations },
  );
  if (!outcome.ok) {
    void ctx.prompts.warn(outcome.reason);
    return undefined;
  }
  ctx.log.info(`Created ${outcome.cr.number} "${outcome.cr.name}" in ${env}.`);
  // The new CR goes into the list in place (the tree keeps its groups and what is expanded).
  ctx.sessions.notifyChanged({ environment: env, id: outcome.cr.id });
  await vscode.commands.executeCommand('changeline.openChangeRequest', { environment: env, id: outcome.cr.id });
  return outcome.cr;
}
