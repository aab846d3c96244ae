/**
 * Compare of two open orgs: the core engine over two SalesforceCompareSides. It lives in the
 * Salesforce bundle (loaded on first use) so the engine and its XML parser stay out of activation.
 */
import { compareEnvironments, type CompareOptions } from '../core/compare/compare';
import type { CompareResult } from '../core/compare/types';
import { compareSide } from './compare-side';
import type { OrgConnection } from './connection';

export interface OrgToCompare {
  handle: OrgConnection;
  /** Name shown to the user (the environment's). */
  label: string;
  /** Read the org's source tracking to skip listing it when nothing changed (default true). */
  sourceTracking?: boolean;
}

export function compareOrgs(source: OrgToCompare, target: OrgToCompare, opts: CompareOptions = {}): Promise<CompareResult> {
  const side = (o: OrgToCompare) => compareSide(o.handle, { label: o.label, sourceTracking: o.sourceTracking });
  return compareEnvironments(side(source), side(target), opts);
}
