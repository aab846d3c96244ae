/**
 * The deployment log of an environment as users filter and read it: status groups, source,
 * check-only, free text; one line per deployment. Pure, shared by the CLI, the tree and the panel.
 */
import { plural } from './history';
import type { HistoryDeployment } from './org-history';

/** What a user filters by: the org's statuses grouped as they read them. */
export const LOG_STATUS_GROUPS = {
  succeeded: ['Succeeded', 'SucceededPartial'],
  failed: ['Failed', 'FinalizingDeployFailed'],
  canceled: ['Canceled', 'Canceling'],
  running: ['Pending', 'InProgress', 'FinalizingDeploy'],
} as const;
export type LogStatusGroup = keyof typeof LOG_STATUS_GROUPS;
export const LOG_STATUS_NAMES = Object.keys(LOG_STATUS_GROUPS) as LogStatusGroup[];

export interface LogFilter {
  /** Any of these groups (none: all). */
  status?: readonly LogStatusGroup[];
  source?: 'changeline' | 'out-of-band';
  /** true: validations only; false: deploys only; absent: both. */
  checkOnly?: boolean;
  /** Words that must all appear (any case) in the id, who, message, CRs, record, type or error. */
  text?: string;
}

export function isLogStatusGroup(s: unknown): s is LogStatusGroup {
  return typeof s === 'string' && (LOG_STATUS_NAMES as string[]).includes(s);
}

/** The group of an org status ('failed' for one the groups do not name). */
export function statusGroup(status: string): LogStatusGroup {
  for (const g of LOG_STATUS_NAMES) if ((LOG_STATUS_GROUPS[g] as readonly string[]).includes(status)) return g;
  return 'failed';
}

function haystack(d: HistoryDeployment): string {
  return [d.id, d.createdByName, d.message, ...(d.crNumbers ?? []), d.mark?.label, d.mark?.env, d.type, d.errorMessage, d.status, d.source]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

/** The deployments the filter keeps, in their order. */
export function filterLog<T extends HistoryDeployment>(list: readonly T[], f: LogFilter = {}): T[] {
  const groups = f.status?.length ? new Set(f.status) : undefined;
  const words = (f.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return list.filter((d) => {
    if (groups && !groups.has(statusGroup(d.status))) return false;
    if (f.source && d.source !== f.source) return false;
    if (f.checkOnly !== undefined && d.checkOnly !== f.checkOnly) return false;
    if (words.length) {
      const h = haystack(d);
      if (!words.every((w) => h.includes(w))) return false;
    }
    return true;
  });
}

/** "Succeeded", "Partly succeeded", "Failed", "Cancelled", "In progress" — what the log shows. */
export function statusLabel(status: string): string {
  switch (status) {
    case 'SucceededPartial':
      return 'Partly succeeded';
    case 'Canceled':
      return 'Cancelled';
    case 'Canceling':
      return 'Cancelling';
    case 'InProgress':
      return 'In progress';
    case 'FinalizingDeploy':
      return 'Finalizing';
    case 'FinalizingDeployFailed':
      return 'Failed while finalizing';
    default:
      return status;
  }
}

/** "3 components (1 error)", "no components" — from the org's counts. */
export function componentCountText(d: Pick<HistoryDeployment, 'componentsTotal' | 'componentErrors'>): string {
  if (d.componentsTotal === undefined) return '';
  const errors = d.componentErrors ? ` (${plural(d.componentErrors, 'error')})` : '';
  return `${plural(d.componentsTotal, 'component')}${errors}`;
}

/** "12 tests (2 failed)", "no tests" — from the org's counts. */
export function testCountText(d: Pick<HistoryDeployment, 'testsTotal' | 'testErrors'>): string {
  if (!d.testsTotal) return 'no tests';
  const failed = d.testErrors ? ` (${d.testErrors} failed)` : '';
  return `${plural(d.testsTotal, 'test')}${failed}`;
}

/** What the log says of the filter, e.g. "failed, out of band, containing "hotfix"". */
export function describeFilter(f: LogFilter): string {
  const parts: string[] = [];
  if (f.status?.length) parts.push(f.status.join(' or '));
  if (f.source) parts.push(f.source === 'changeline' ? 'by Changeline' : 'out of band');
  if (f.checkOnly !== undefined) parts.push(f.checkOnly ? 'validations' : 'deploys');
  if (f.text?.trim()) parts.push(`containing "${f.text.trim()}"`);
  return parts.join(', ');
}
