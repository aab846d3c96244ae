/**
 * A deployment record's validation or deploy problems in the Problems panel, on the read-only
 * documents of its package (`changeline-org:/DEP-00001 package/<path>`, the ones the deployment
 * panel opens), with line and column. The documents' text is put in place so a click on an entry
 * opens the file at the line.
 */
import * as vscode from 'vscode';
import { deploymentLabel, type DeploymentRecord } from '../../core/deployments';
import type { Ctx } from '../../ctx';
import { packageDocumentUri } from '../../views/orgFiles';
import { loadPackage } from '../../workflows/deploy/records';
import type { DeployOutcome } from '../../workflows/deploy/run';

/** Every document of the record's package starts with this. */
const packagePrefix = (record: Pick<DeploymentRecord, 'number'>): vscode.Uri => vscode.Uri.parse(packageDocumentUri(record, 'x').toString().replace(/x$/, ''));

export interface RecordProblemsShown {
  /** URIs with entries (as strings). */
  documents: string[];
  placed: number;
  /** Problems with no file in the package (said in the message instead). */
  unplaced: number;
}

/**
 * Clears what an earlier run of the record left, then shows this run's problems on its package's
 * documents. `files`: the package's text files when the caller has read them already (a release
 * does); otherwise the package is read from the org.
 */
export async function showRecordProblems(
  ctx: Ctx,
  env: string,
  record: DeploymentRecord,
  outcome: DeployOutcome,
  files?: ReadonlyArray<{ path: string; text: string }>,
): Promise<RecordProblemsShown> {
  ctx.deploy.problems.clearDocuments(packagePrefix(record));
  if (outcome.problems.length === 0 || !record.package) return { documents: [], placed: 0, unplaced: outcome.problems.length };
  files ??= (await ctx.salesforce()).readPackage({ zip: (await loadPackage(ctx, env, record)).zip }).files;
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const uriOf = (file: string): vscode.Uri => packageDocumentUri(record, file);
  const shown = await ctx.deploy.problems.show(outcome.problems, [...texts.keys()], uriOf);
  // The documents hold the package's text, so the entries open at their line.
  for (const file of shown.files) ctx.compare.orgFiles.set(uriOf(file), texts.get(file) ?? '');
  if (shown.placed) ctx.log.info(`${deploymentLabel(record)}: ${shown.placed} problem${shown.placed === 1 ? '' : 's'} in the Problems panel, on ${shown.files.length} file${shown.files.length === 1 ? '' : 's'} of its package.`);
  return { documents: shown.files.map((f) => uriOf(f).toString()), placed: shown.placed, unplaced: shown.unplaced.length };
}
