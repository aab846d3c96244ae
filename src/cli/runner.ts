/** How a subcommand's action gets its context: built from the global options when it runs. */
import type { CliContext } from './context';

/** Wraps `(ctx, ...args) => …` into a commander action (commander passes the arguments, the options, then the command). */
export type Runner = <A extends unknown[]>(fn: (ctx: CliContext, ...args: A) => Promise<void>) => (...args: unknown[]) => Promise<void>;
