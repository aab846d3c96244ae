/**
 * Reading the pipeline file from disk and validating it (the same diagnostics as the Problems
 * panel), for the command line. The editor reads it through its workspace instead.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { OrgAuthorization } from '../../core/orgs';
import { parsePipeline, type PipelineResult } from '../../core/pipeline';

export const DEFAULT_PIPELINE_FILE = '.changeline/pipeline.json';

export type PipelineFile =
  | { kind: 'missing'; file: string }
  | { kind: 'unreadable'; file: string; message: string }
  | { kind: 'read'; file: string; text: string; result: PipelineResult };

export async function readPipelineFile(file: string, authorizations?: readonly OrgAuthorization[]): Promise<PipelineFile> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing', file: abs };
    return { kind: 'unreadable', file: abs, message: (e as Error).message };
  }
  return { kind: 'read', file: abs, text, result: parsePipeline(text, { authorizations: authorizations ? [...authorizations] : undefined }) };
}
