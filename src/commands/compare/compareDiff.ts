/**
 * Opening one component file of a compare in VS Code's native diff editor: the component is
 * retrieved from both orgs (just that one), its files kept briefly (the next file of the same
 * bundle opens at once), and shown as read-only `changeline-org:` documents.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComponentRef } from '../../core/metadata-types';
import type { CompareView } from '../../shared/compareProtocol';
import { toOrgFileUri } from '../../views/orgFiles';
import type { Ctx } from '../../ctx';
import type { Files } from '../../workflows/compare/component-files';
import { withCancellableProgress } from '../progress';
import { openDiffEditor } from '../../views/diffEditor';

export function bytesOf(content: string | Uint8Array | undefined): Uint8Array {
  if (content === undefined) return new Uint8Array();
  return typeof content === 'string' ? new TextEncoder().encode(content) : content;
}

/** Whether bytes read as text: valid UTF-8 without NUL characters. */
export function isText(bytes: Uint8Array): boolean {
  if (bytes.subarray(0, 8000).includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The file a row click opens: the first differing one, else the main file (not the -meta.xml). */
function defaultPath(item: CompareView['items'][number] | undefined, paths: string[]): string | undefined {
  if (item?.differingFiles?.length) return item.differingFiles[0].path;
  const sorted = [...paths].sort();
  return sorted.find((p) => !p.endsWith('-meta.xml')) ?? sorted[0];
}

export interface OpenedDiff {
  title: string;
  left: vscode.Uri;
  right: vscode.Uri;
}

/** Opens the diff of `ref` (file `filePath`, or the default one) between the view's environments. */
export async function openCompareDiff(ctx: Ctx, view: CompareView, ref: ComponentRef, filePath?: string): Promise<OpenedDiff | undefined> {
  const item = view.items.find((i) => i.type === ref.type && i.fullName === ref.fullName);
  if (!item) throw new Error(`${ref.type} ${ref.fullName} is not in this compare result. Refresh the compare.`);
  const inSource = item.status !== 'only-in-target';
  const inTarget = item.status !== 'only-in-source';
  const title = `${ref.type} ${ref.fullName}`;
  const none = Promise.resolve<Files>(new Map());
  const [left, right] = await withCancellableProgress(
    `Retrieving ${title}…`,
    ({ signal }) =>
      Promise.all([
        inSource ? ctx.compare.files.get(view.sourceEnv, ref, signal) : none,
        inTarget ? ctx.compare.files.get(view.targetEnv, ref, signal) : none,
      ]),
    { cancelledAs: 'Open Diff' },
  );
  const paths = [...new Set([...left.keys(), ...right.keys()])];
  if (paths.length === 0) {
    void ctx.prompts.warn(`Neither ${view.sourceEnv} nor ${view.targetEnv} returned files for ${title} (was it deleted since the compare?). Refresh the compare.`);
    return undefined;
  }
  const chosen = filePath ?? defaultPath(item, paths)!;
  if (!paths.includes(chosen)) {
    void ctx.prompts.warn(`${title} has no file ${chosen} in either environment any more. Refresh the compare.`);
    return undefined;
  }
  const leftBytes = bytesOf(left.get(chosen));
  const rightBytes = bytesOf(right.get(chosen));
  if (!isText(leftBytes) || !isText(rightBytes)) {
    const same = leftBytes.byteLength === rightBytes.byteLength && leftBytes.every((b, i) => b === rightBytes[i]);
    void ctx.prompts.info(
      `${path.posix.basename(chosen)} is a binary file (${leftBytes.byteLength.toLocaleString('en-US')} bytes in ${view.sourceEnv}, ${rightBytes.byteLength.toLocaleString('en-US')} bytes in ${view.targetEnv}): it ${same ? 'is the same in both' : 'differs'}, and cannot be shown as text.`,
    );
    return undefined;
  }
  const { orgFiles } = ctx.compare;
  const leftUri = toOrgFileUri(view.sourceEnv, chosen);
  const rightUri = toOrgFileUri(view.targetEnv, chosen);
  orgFiles.set(leftUri, leftBytes);
  orgFiles.set(rightUri, rightBytes);
  const missing = !left.has(chosen) ? ` — not in ${view.sourceEnv}` : !right.has(chosen) ? ` — not in ${view.targetEnv}` : '';
  const diffTitle = `${path.posix.basename(chosen)} (${view.sourceEnv} ↔ ${view.targetEnv})${missing}`;
  await openDiffEditor(leftUri, rightUri, diffTitle);
  return { title: diffTitle, left: leftUri, right: rightUri };
}
