/** The command table, registered once. Ids and titles live in ids.ts (checked against package.json). */
import * as vscode from 'vscode';
import type { CommandContext } from './context';
import { addEnvironment, removeEnvironment } from './environments';
import { COMMANDS, type CommandName } from './ids';
import { createPipeline, openPipeline } from './pipelineFile';
import { guard } from './run';
import { testConnection } from './testConnection';

type Handler = (ctx: CommandContext, ...args: never[]) => Promise<unknown>;

const HANDLERS: Record<CommandName, Handler> = {
  refresh: async (ctx) => {
    ctx.model.invalidateConnections();
    await ctx.model.loadAuthorizations(true);
    return ctx.model.reload();
  },
  createPipeline,
  openPipeline,
  addEnvironment,
  removeEnvironment,
  testConnection,
  showLog: async (ctx) => ctx.log.show(),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return (Object.keys(COMMANDS) as CommandName[]).map((name) => {
    const spec = COMMANDS[name];
    const handler = HANDLERS[name] as (ctx: CommandContext, ...args: unknown[]) => Promise<unknown>;
    return vscode.commands.registerCommand(spec.id, guard(ctx, spec.title.replace(/…$/, ''), (...args: unknown[]) => handler(ctx, ...args)));
  });
}
