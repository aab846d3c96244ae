/**
 * Composes compare at activation: the persistent store, the read-only org documents, the panels and
 * their serializer. Light: nothing here loads the Salesforce libraries.
 */
import { CompareStore } from '../services/compareStore';
import { OrgFilesProvider } from '../views/orgFiles';
import { ComparePanels } from '../webviews/compare/panel';
import { compareActions } from './compare';
import type { CommandContext } from './context';
import { setCompareServices, type CompareServices } from './compareServices';
import { guard } from './run';

/** What the extension-host tests reach: the panels, the store, the org documents. */
export type CompareApi = CompareServices;

export function setupCompare(ctx: CommandContext): CompareApi {
  const context = ctx.extension;
  const store = new CompareStore(context.globalStorageUri, ctx.log);
  const orgFiles = new OrgFilesProvider();
  const panels = new ComparePanels(context.extensionUri, ctx.log);
  panels.setActions(compareActions(ctx, (title, fn) => guard(ctx, title, fn)()));
  context.subscriptions.push(orgFiles, orgFiles.register(), panels, panels.register());
  const services = { panels, store, orgFiles };
  setCompareServices(services);
  return services;
}
