/** `changeline pipeline check`: the pipeline file's diagnostics, as the Problems panel shows them. */
import type { Command } from 'commander';
import type { OrgAuthorization } from '../../core/orgs';
import { readPipelineFile } from '../../workflows/environments/pipeline-file';
import type { CliContext } from '../context';
import type { Runner } from '../runner';
import { formatDiagnostic } from '../context';
import { CliError, EXIT, usageError } from '../exit';

export function registerPipeline(program: Command, run: Runner): void {
  const pipeline = program.command('pipeline').description('The pipeline file (.changeline/pipeline.json)');
  pipeline
    .command('check')
    .description('Validate the pipeline file: file:line:column diagnostics, exit 1 on errors')
    .option('--offline', 'do not check that the orgs are authorized (no Salesforce library is loaded)')
    .action(run(async (ctx: CliContext, opts: { offline?: boolean }) => {
      let auths: OrgAuthorization[] | undefined;
      if (!opts.offline) {
        try {
          auths = await (await ctx.salesforce()).listAuthorizations();
        } catch (e) {
          ctx.out.note(`note: the authorized orgs could not be listed (${(e as Error).message}); checking the file alone.`);
        }
      }
      const f = await readPipelineFile(ctx.options.pipeline, auths);
      if (f.kind === 'missing') throw usageError(`There is no pipeline file at ${f.file}. Pass --pipeline FILE, or create one in the editor.`);
      if (f.kind === 'unreadable') throw usageError(`The pipeline file ${f.file} cannot be read: ${f.message}`);
      const diags = f.result.diagnostics;
      const errors = diags.filter((d) => d.severity === 'error').length;
      const warnings = diags.length - errors;
      const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
      const summary = diags.length ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : `OK: ${plural(f.result.environments.length, 'environment')}, no problems`;
      ctx.out.result([...diags.map((d) => formatDiagnostic(f.file, d)), summary].join('\n'), {
        file: f.file,
        valid: errors === 0,
        errors,
        warnings,
        diagnostics: diags.map((d) => ({
          severity: d.severity,
          code: d.code,
          message: d.message,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          endLine: d.range.end.line + 1,
          endColumn: d.range.end.character + 1,
        })),
        environments: f.result.environments.map((e) => ({ name: e.name, org: e.org, role: e.role, next: e.next ?? null })),
      });
      if (errors) throw new CliError('', EXIT.failed);
    }));
}
