/**
 * The one way Changeline asks and tells the user: every command, panel and view prompts through
 * the Prompts object of the context (Ctx.prompts). The extension-host tests answer it by swapping
 * a function (through ChangelineApi.prompts) and record what the user would have read; everything
 * else runs for real.
 */
import * as vscode from 'vscode';

export interface Prompts {
  /** A non-modal warning with optional buttons; resolves with the button chosen. */
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  /** A non-modal error message with optional buttons (a command that failed). */
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
  /** A non-modal information message with optional buttons. */
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  /** A modal confirmation: true only if the user chose `action`. */
  confirm(message: string, action: string, detail?: string): Thenable<boolean>;
  /** A modal question with several actions; resolves with the one chosen (undefined: cancelled). */
  ask(message: string, detail: string | undefined, ...actions: string[]): Thenable<string | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { canPickMany?: false }): Thenable<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T[] | undefined>;
}

/** The dialogs of the running editor (one object per activation, held by the Ctx). */
export const createPrompts = (): Prompts => ({
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
  confirm: (message, action, detail) => vscode.window.showWarningMessage(message, { modal: true, detail }, action).then((r) => r === action),
  ask: (message, detail, ...actions) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  input: (options) => vscode.window.showInputBox(options),
  pick: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: false }),
  pickMany: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: true }),
});
