/**
 * Opens VS Code's native diff editor on two documents, each shown in the language mode its
 * Salesforce file type calls for (Apex rather than TeX for `.cls`; see core/source-languages).
 */
import * as vscode from 'vscode';
import { sourceLanguage } from '../core/source-languages';

export async function openDiffEditor(left: vscode.Uri, right: vscode.Uri, title: string): Promise<void> {
  const languages = await vscode.languages.getLanguages();
  await Promise.all([left, right].map((uri) => showAsSource(uri, languages)));
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
}

async function showAsSource(uri: vscode.Uri, languages: readonly string[]): Promise<void> {
  if (!sourceLanguage(uri.path, languages)) return; // not a file type VS Code mistakes: nothing to open early
  const doc = await vscode.workspace.openTextDocument(uri);
  const wanted = sourceLanguage(uri.path, languages, doc.languageId);
  if (wanted) await vscode.languages.setTextDocumentLanguage(doc, wanted);
}
