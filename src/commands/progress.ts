/**
 * The one bridge between VS Code's cancellable progress notification and a workflow: the
 * notification's Cancel aborts the workflow's AbortSignal, and the workflow's progress updates
 * (a message and a percent of the work) become the notification's message and bar.
 */
import * as vscode from 'vscode';
import { CancelledError } from '../core/cancelled';
import type { ProgressUpdate, RunOptions } from '../workflows/types';

export interface CancellableOptions {
  /** When set, a cancelled run ends in CancelledError("<cancelledAs> cancelled."), shown as information. */
  cancelledAs?: string;
}

export async function withCancellableProgress<T>(
  title: string,
  work: (opts: Required<RunOptions<ProgressUpdate>>) => Promise<T>,
  options: CancellableOptions = {},
): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    let reported = 0;
    const onProgress = (p: ProgressUpdate) => {
      const increment = p.percent !== undefined && p.percent > reported ? p.percent - reported : undefined;
      if (p.percent !== undefined) reported = Math.max(reported, p.percent);
      progress.report({ message: p.message, increment });
    };
    try {
      const result = await work({ signal: abort.signal, onProgress });
      if (token.isCancellationRequested && options.cancelledAs) throw new CancelledError(options.cancelledAs);
      return result;
    } catch (e) {
      if (token.isCancellationRequested && options.cancelledAs && !(e instanceof CancelledError)) throw new CancelledError(options.cancelledAs);
      throw e;
    } finally {
      sub.dispose();
    }
  });
}
