/** The git delta's manifest as a read-only document (a content provider's scheme: it cannot be edited or saved). */
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';

export const GIT_DELTA_SCHEME = 'changeline-git-delta';

const texts = new Map<string, string>();
let registered = false;
let serial = 0;

/** Opens `text` as a read-only document named `name`; resolves with its editor's document. */
export async function showReadOnly(ctx: Ctx, name: string, text: string): Promise<vscode.TextDocument> {
  if (!registered) {
    registered = true;
    ctx.extension.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(GIT_DELTA_SCHEME, { provideTextDocumentContent: (uri) => texts.get(uri.toString()) ?? '' }),
      { dispose: () => ((registered = false), texts.clear()) },
    );
  }
  const uri = vscode.Uri.from({ scheme: GIT_DELTA_SCHEME, path: `/${name.replace(/[\\/:*?"<>|]/g, '_')}.txt`, query: String(++serial) });
  texts.set(uri.toString(), text);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}
