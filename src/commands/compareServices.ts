/**
 * What the compare commands share beyond the CommandContext: the panels, the persistent store and
 * the read-only org documents. Set once by activate() (setCompareServices).
 */
import type { CompareStore } from '../services/compareStore';
import type { OrgFilesProvider } from '../views/orgFiles';
import type { ComparePanels } from '../webviews/compare/panel';

export interface CompareServices {
  panels: ComparePanels;
  store: CompareStore;
  orgFiles: OrgFilesProvider;
}

let services: CompareServices | undefined;

export function setCompareServices(s: CompareServices): void {
  services = s;
}

export function compareServices(): CompareServices {
  if (!services) throw new Error('Compare is not set up yet: reload the window.');
  return services;
}
