/**
 * The deploy results in the Problems panel ('changeline-deploy'): one diagnostic per problem on
 * its workspace file, the stack's other frames as related places. A new deploy of some files or
 * folders clears what an earlier one left on them.
 */
import * as vscode from 'vscode';
import type { DeployProblem } from '../../core/deployments/problems';
import type { Range } from '../../core/pipeline/types';
import { DEPLOY_DIAGNOSTICS } from '../../shared/ids';
import { eachInSlices } from '../../core/slices';
import { filesToClear, placeProblemsInSlices, type FileProblem } from '../../views/deployDiagnostics';

const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** Where a problem's file is shown: a workspace file by default, or a read-only document (a record's package). */
export type UriOf = (file: string) => vscode.Uri;

function toDiagnostic(p: FileProblem, uriOf: UriOf): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p.range), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'Changeline deploy';
  d.code = p.component;
  if (p.related.length) d.relatedInformation = p.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uriOf(r.file), toRange(r.range)), r.message));
  return d;
}

export class DeployProblems implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DEPLOY_DIAGNOSTICS);

  /** Clears the entries of files in (or at) the paths about to be deployed. */
  clearFor(paths: readonly string[]): void {
    const files: string[] = [];
    this.collection.forEach((uri) => void files.push(uri.fsPath));
    for (const f of filesToClear(files, paths)) this.collection.delete(vscode.Uri.file(f));
  }

  /**
   * Shows the problems on the deployed files; resolves with how many were placed and those with no
   * file. Done in slices that yield: 10,000 problems do not block the extension host.
   */
  async show(
    problems: readonly DeployProblem[],
    deployedFiles: readonly string[],
    uriOf: UriOf = (f) => vscode.Uri.file(f),
  ): Promise<{ placed: number; files: string[]; unplaced: DeployProblem[] }> {
    const { byFile, unplaced } = await placeProblemsInSlices(problems, deployedFiles);
    let placed = 0;
    await eachInSlices(byFile, ([file, list]) => {
      const uri = uriOf(file);
      this.collection.set(uri, [...(this.collection.get(uri) ?? []), ...list.map((p) => toDiagnostic(p, uriOf))]);
      placed += list.length;
    });
    return { placed, files: [...byFile.keys()], unplaced };
  }

  /** Clears the entries of read-only documents whose URI starts with `prefix` (a record's package, before its next run). */
  clearDocuments(prefix: vscode.Uri): void {
    const start = prefix.toString();
    const stale: vscode.Uri[] = [];
    this.collection.forEach((uri) => void (uri.toString().startsWith(start) && stale.push(uri)));
    for (const uri of stale) this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
