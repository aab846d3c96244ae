/**
 * Composes compare at activation: the persistent store, the read-only org documents, the
 * component files of diffs, the panels and their serializer. Light: nothing here loads the
 * Salesforce libraries. The panels' actions reach the rest through the Ctx they are given.
 */
import * as path from 'node:path';
import type { CompareParts, Ctx } from '../../ctx';
import { OrgFilesProvider } from '../../views/orgFiles';
import { ComparePanels } from '../../webviews/compare/panel';
import { ComponentFiles } from '../../workflows/compare/component-files';
import { CompareStore } from '../../workflows/compare/store';
import { NodeFileStore } from '../../workflows/storage';
import { compareActions } from './compare';
import { guard } from '../run';

/** What the extension-host tests reach: the panels, the store, the org documents. */
export type CompareApi = CompareParts;

/** Called while activate() composes the Ctx: the actions read ctx.compare only when they run. */
export function setupCompare(ctx: Ctx): CompareParts {
  const context = ctx.extension;
  const store = new CompareStore(new NodeFileStore(path.join(context.globalStorageUri.fsPath, 'compare')), ctx.log);
  const orgFiles = new OrgFilesProvider();
  const panels = new ComparePanels(context.extensionUri, ctx.log, compareActions(ctx, (title, fn) => guard(ctx, title, fn)()));
  context.subscriptions.push(orgFiles, orgFiles.register(), panels, panels.register());
  return { panels, store, orgFiles, files: new ComponentFiles(ctx) };
}
