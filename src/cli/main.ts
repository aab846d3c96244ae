/**
 * `changeline`: the editor's engine on the command line, for CI. Each subcommand is a thin wrapper
 * over a workflow (src/workflows), so the CLI and the extension cannot disagree. `--help` loads no
 * Salesforce library; Ctrl-C aborts the running workflow (a deploy's cancel reaches cancelDeploy).
 * Exit codes: src/cli/exit.ts (documented in docs/cli.md).
 */
import { Command, CommanderError } from 'commander';
import { CancelledError } from '../core/cancelled';
import { scrubSecrets } from '../core/scrub';
import { DEFAULT_PIPELINE_FILE } from '../workflows/environments/pipeline-file';
import { registerBackDeploy } from './subcommands/back-deploy';
import { registerChangeRequests } from './subcommands/cr';
import { registerCompare } from './subcommands/compare';
import { registerDeploy } from './subcommands/deploy';
import { registerDeployment } from './subcommands/deployment';
import { registerEnvironments } from './subcommands/environments';
import { registerGitDelta } from './subcommands/git-delta';
import { registerBehind } from './subcommands/behind';
import { registerLog } from './subcommands/log';
import { registerLogin } from './subcommands/login';
import { registerPipeline } from './subcommands/pipeline';
import { registerQueue } from './subcommands/queue';
import { registerRevert } from './subcommands/revert';
import { CliContext, type GlobalOptions } from './context';
import { CliError, EXIT, exitCodeOf } from './exit';
import { createOutput, type Output } from './output';
import type { Runner } from './runner';

declare const CHANGELINE_VERSION: string | undefined;

export async function main(argv: string[]): Promise<number> {
  const abort = new AbortController();
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted > 1) process.exit(EXIT.cancelled);
    process.stderr.write('\nCancelling… (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  let out: Output | undefined;

  const run: Runner =
    (fn) =>
    async (...args) => {
      const command = args[args.length - 1] as Command;
      const globals = command.optsWithGlobals() as GlobalOptions;
      out = createOutput({ json: !!globals.json, verbose: !!globals.verbose });
      await fn(new CliContext(globals, out, abort.signal), ...(args.slice(0, -1) as never));
    };

  const program = new Command('changeline')
    .description('Salesforce release management: the Changeline engine for CI and the terminal')
    .version(typeof CHANGELINE_VERSION === 'string' ? CHANGELINE_VERSION : 'dev')
    .option('--pipeline <file>', 'pipeline file', DEFAULT_PIPELINE_FILE)
    .option('--json', 'write the result as one JSON document on stdout')
    .option('--verbose', 'log what happens on stderr')
    .option('--cache-dir <dir>', 'where compare caches and results are kept (default ~/.cache/changeline)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerPipeline(program, run);
  registerEnvironments(program, run);
  registerCompare(program, run);
  registerChangeRequests(program, run);
  registerDeploy(program, run);
  registerDeployment(program, run);
  registerGitDelta(program, run);
  registerLog(program, run);
  registerBehind(program, run);
  registerQueue(program, run);
  registerRevert(program, run);
  registerBackDeploy(program, run);
  registerLogin(program, run);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with exit code 0; a bad option or argument with 2.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const code = exitCodeOf(e);
    // A CliError without a message ends a run whose result was written already (a failed deploy).
    const written = e instanceof CliError && e.message === '';
    const message = written ? '' : e instanceof CancelledError || code === EXIT.cancelled ? 'Cancelled.' : (e as Error)?.message ?? String(e);
    out?.done();
    if (message) {
      if (out?.json) process.stdout.write(`${JSON.stringify({ error: scrubSecrets(message), exitCode: code }, null, 2)}\n`);
      process.stderr.write(`error: ${scrubSecrets(message)}\n`);
    } else if (out?.json && !written && !(e instanceof CliError)) process.stdout.write(`${JSON.stringify({ error: 'failed', exitCode: code })}\n`);
    return code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

if (require.main === module) {
  // The Salesforce libraries may keep sockets and timers open: exit once stdout is flushed.
  void main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));
}
