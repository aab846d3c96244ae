/** Errors are caught once per command here: logged with detail, shown short with "Show Log". */
import * as vscode from 'vscode';
import { isOrgError } from '../core/orgErrors';
import { scrubSecrets } from '../core/scrub';
import { CancelledError, type CommandContext } from './context';
import { COMMANDS } from './ids';
import { prompts } from './prompts';

export function guard<A extends unknown[], R>(
  ctx: CommandContext,
  title: string,
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      if (e instanceof CancelledError || (isOrgError(e) && e.kind === 'cancelled') || e instanceof vscode.CancellationError) {
        ctx.log.info(`${title}: cancelled.`);
        void vscode.window.showInformationMessage(`${title} cancelled.`);
        return undefined;
      }
      ctx.log.error(`${title} failed`, e);
      // Salesforce layer errors already say what happened and what to do.
      const message = (e as Error)?.message ?? String(e);
      void prompts.error(`${title}: ${scrubSecrets(message)}`, 'Show Log').then((pick) => {
        if (pick) void vscode.commands.executeCommand(COMMANDS.showLog.id);
      });
      return undefined;
    }
  };
}
