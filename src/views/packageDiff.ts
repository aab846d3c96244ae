/**
 * A package file set against the target's current version in the native diff editor (the
 * target's on the left, the package's on the right), as the deployment panel's Diff and the
 * overwrite confirmation's Show Diff open it.
 */
import * as path from 'node:path';
import type { ComponentRef } from '../core/metadata-types';
import type { Ctx } from '../ctx';
import { matchTargetPath } from '../webviews/deployment/present';
import { openDiffEditor } from './diffEditor';
import { packageDocumentUri, toOrgFileUri } from './orgFiles';

export interface PackageFileDiff {
  targetEnvironment: string;
  /** The record whose package it is (its number names the package's side). */
  record: { number?: string };
  /** The file's path inside the package (unpackaged/classes/Greeter.cls). */
  filePath: string;
  text: string;
  ref: ComponentRef;
}

export async function diffPackageFile(ctx: Pick<Ctx, 'compare'>, d: PackageFileDiff): Promise<void> {
  const theirs = await ctx.compare.files.get(d.targetEnvironment, d.ref);
  const match = matchTargetPath(d.filePath, [...theirs.keys()]);
  const left = toOrgFileUri(d.targetEnvironment, match ?? d.filePath.split('/').slice(1).join('/'));
  ctx.compare.orgFiles.set(left, match !== undefined ? (theirs.get(match) ?? '') : '');
  const right = packageDocumentUri(d.record, d.filePath);
  ctx.compare.orgFiles.set(right, d.text);
  const missing = match === undefined ? ` — not in ${d.targetEnvironment}` : '';
  await openDiffEditor(left, right, `${path.posix.basename(d.filePath)} (${d.targetEnvironment} ↔ ${d.record.number ?? 'package'})${missing}`);
}

/** The file of a component to show first: its source (Greeter.cls) rather than its -meta.xml. */
export function mainFile<T extends { path: string; ref: ComponentRef }>(files: readonly T[], c: ComponentRef): T | undefined {
  const own = files.filter((f) => f.ref.type === c.type && f.ref.fullName === c.fullName);
  return own.find((f) => !f.path.endsWith('-meta.xml')) ?? own[0];
}
