/**
 * What every `changeline` subcommand gets: the output, the pipeline file (read and validated once),
 * the sessions it opens from the sf CLI's authorized orgs, the Salesforce layer (loaded on first
 * use, so `--help` loads none of it), and the Ctrl-C signal.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Environment, Pipeline, PipelineDiagnostic } from '../core/pipeline';
import { loadSalesforce, type SalesforceApi } from '../salesforce-loader';
import { readPipelineFile, type PipelineFile } from '../workflows/environments/pipeline-file';
import { OrgSessions } from '../workflows/sessions';
import type { WorkflowDeps } from '../workflows/types';
import { CliError, EXIT, usageError } from './exit';
import type { Output } from './output';

export interface GlobalOptions {
  pipeline: string;
  json?: boolean;
  verbose?: boolean;
  cacheDir?: string;
}

export class CliContext implements WorkflowDeps {
  private file?: Promise<PipelineFile>;
  private loaded?: Pipeline;
  readonly sessions: OrgSessions;

  constructor(
    readonly options: GlobalOptions,
    readonly out: Output,
    readonly signal: AbortSignal,
  ) {
    this.sessions = new OrgSessions({ environment: (name) => this.loaded?.environments.find((e) => e.name === name) }, () => this.salesforce());
  }

  get log() {
    return this.out.log;
  }

  salesforce(): Promise<SalesforceApi> {
    return loadSalesforce();
  }

  /** Folder for compare caches and results (`--cache-dir`, else $XDG_CACHE_HOME/changeline or ~/.cache/changeline). */
  cacheDir(): string {
    return this.options.cacheDir ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'changeline');
  }

  /** The pipeline file as read and validated (diagnostics included), without requiring it to be valid. */
  pipelineFile(): Promise<PipelineFile> {
    this.file ??= readPipelineFile(this.options.pipeline);
    return this.file;
  }

  /** The valid pipeline; a missing or broken file ends the run with what to fix. */
  async pipeline(): Promise<Pipeline> {
    if (this.loaded) return this.loaded;
    const f = await this.pipelineFile();
    if (f.kind === 'missing') throw usageError(`There is no pipeline file at ${f.file}. Create one in the editor (Changeline: Create Pipeline File from Authorized Orgs) or pass --pipeline FILE.`);
    if (f.kind === 'unreadable') throw usageError(`The pipeline file ${f.file} cannot be read: ${f.message}`);
    if (!f.result.pipeline) {
      const errors = f.result.diagnostics.filter((d) => d.severity === 'error');
      throw new CliError(`The pipeline file has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first:\n${errors.map((d) => formatDiagnostic(f.file, d)).join('\n')}`, EXIT.failed);
    }
    this.loaded = f.result.pipeline;
    return this.loaded;
  }

  /** A pipeline environment by name; an unknown name is a usage error naming the known ones. */
  async environment(name: string | undefined, option = '--env'): Promise<Environment> {
    const pipeline = await this.pipeline();
    const names = pipeline.environments.map((e) => e.name);
    if (!name) throw usageError(`Name an environment with ${option} (one of ${names.join(', ')}).`);
    const env = pipeline.environments.find((e) => e.name === name) ?? pipeline.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
    if (!env) throw usageError(`There is no environment named "${name}" in the pipeline; it has ${names.join(', ')}.`);
    return env;
  }
}

/** `file:line:column: severity: message`, 1-based, as compilers print them (editors and CI annotate from it). */
export function formatDiagnostic(file: string, d: PipelineDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message}`;
}
