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

function toDiagnostic(p: FileProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p.range), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'Changeline deploy';
  d.code = p.component;
  if (p.related.length) d.relatedInformation = p.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), r.message));
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
  async show(problems: readonly DeployProblem[], deployedFiles: readonly string[]): Promise<{ placed: number; files: string[]; unplaced: DeployProblem[] }> {
    const { byFile, unplaced } = await placeProblemsInSlices(problems, deployedFiles);
    let placed = 0;
    await eachInSlices(byFile, ([file, list]) => {
      const uri = vscode.Uri.file(file);
      this.collection.set(uri, [...(this.collection.get(uri) ?? []), ...list.map(toDiagnostic)]);
      placed += list.length;
    });
    return { placed, files: [...byFile.keys()], unplaced };
  }

  dispose(): void {
    this.collection.dispose();
  }
}
