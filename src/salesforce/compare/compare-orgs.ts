/**
 * Compare of two open orgs: the core engine over two SalesforceCompareSides. It lives in the
 * Salesforce bundle (loaded on first use) so the engine and its XML parser stay out of activation.
 */
import { compareEnvironments, type CompareOptions } from '../../core/compare/compare';
import type { CompareProgress, CompareResult } from '../../core/compare/types';
import { compareSide } from './compare-side';
import type { OrgConnection } from '../connection';
import type { Backoff } from '../transient';

export interface OrgToCompare {
  handle: OrgConnection;
  /** Name shown to the user (the environment's). */
  label: string;
  /** Read the org's source tracking to skip listing it when nothing changed (default true). */
  sourceTracking?: boolean;
  /** The waits between tries of a read after a transient failure (default: about 0.5, 1 and 2 s). */
  backoff?: Backoff;
}

export function compareOrgs(source: OrgToCompare, target: OrgToCompare, opts: CompareOptions = {}): Promise<CompareResult> {
  // A read tried again after a transient failure is said in the progress, where the work stands.
  let last: CompareProgress = { phase: 'listing', done: 0, total: 0, detail: '' };
  const onProgress = opts.onProgress;
  const progress = onProgress && ((p: CompareProgress) => onProgress((last = p)));
  const onRetry = (message: string) => onProgress?.({ ...last, detail: message, notice: message });
  const side = (o: OrgToCompare) => compareSide(o.handle, { label: o.label, sourceTracking: o.sourceTracking, onRetry, backoff: o.backoff });
  return compareEnvironments(side(source), side(target), { ...opts, onProgress: progress });
}
