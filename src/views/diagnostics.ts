/** Pipeline diagnostics as VS Code diagnostics (Problems panel). */
import * as vscode from 'vscode';
import type { PipelineDiagnostic } from '../core/pipeline';

export function toDiagnostic(d: PipelineDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
  const diag = new vscode.Diagnostic(range, d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diag.source = 'Changeline';
  diag.code = d.code;
  return diag;
}
