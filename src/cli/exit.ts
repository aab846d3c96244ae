/**
 * The documented exit codes of `changeline` (docs/cli.md), and the error that carries one.
 * Errors say what happened and what to do, as in the editor.
 */
import { isOrgError } from '../core/orgErrors';
import { CancelledError } from '../core/cancelled';

export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** What it checked or ran failed: a pipeline file with errors, a failed validation, deploy or tests. */
  failed: 1,
  /** Bad usage: unknown command or option, a missing argument, no pipeline file. */
  usage: 2,
  /** Refused by the pipeline's rules or a change request's (promotion path, approvals). */
  refused: 3,
  /** An org could not be reached, or its session expired / it is not authorized. */
  org: 4,
  /** Cancelled (Ctrl-C). */
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
export const refused = (message: string) => new CliError(message, EXIT.refused);

/** The exit code an error ends the run with. */
export function exitCodeOf(e: unknown): ExitCode {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof CancelledError) return EXIT.cancelled;
  if (isOrgError(e)) {
    switch (e.kind) {
      case 'cancelled':
        return EXIT.cancelled;
      case 'expired-session':
      case 'auth-failed':
      case 'unknown-org':
      case 'unreachable':
      case 'server-error':
        return EXIT.org;
      default:
        return EXIT.failed;
    }
  }
  return EXIT.failed;
}
