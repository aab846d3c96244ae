/**
 * Which change requests the tree shows: the text filter, "only mine", and grouping by status.
 * Pure functions (no `vscode`), so the rules are unit-testable.
 */
import { STATUSES, type ChangeRequest, type CrStatus } from '../core/change-requests';

export interface CrFilter {
  /** Matched case-insensitively against number, name and customization full names; '' = none. */
  text: string;
  /** Only CRs created or submitted by the user. */
  mine: boolean;
}

export const NO_FILTER: CrFilter = { text: '', mine: false };

export function filterActive(f: CrFilter): boolean {
  return f.mine || f.text.trim() !== '';
}

/** Same Salesforce user: ids compare on their 15-character case-sensitive prefix. */
export function sameUser(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.slice(0, 15) === b.slice(0, 15);
}

export function matchesFilter(cr: ChangeRequest, f: CrFilter, userId: string | undefined): boolean {
  if (f.mine && !sameUser(cr.createdBy, userId) && !sameUser(cr.submittedBy, userId)) return false;
  const text = f.text.trim().toLowerCase();
  if (!text) return true;
  if ((cr.number ?? '').toLowerCase().includes(text) || cr.name.toLowerCase().includes(text)) return true;
  return [...cr.customizations, ...cr.proposedCustomizations].some((c) => c.fullName.toLowerCase().includes(text));
}

export interface StatusGroup {
  status: CrStatus;
  items: ChangeRequest[];
}

/** Groups in status order (Draft first); statuses with no CR are left out. Items keep their order. */
export function groupByStatus(crs: readonly ChangeRequest[]): StatusGroup[] {
  const by = new Map<CrStatus, ChangeRequest[]>();
  for (const cr of crs) {
    const list = by.get(cr.status);
    if (list) list.push(cr);
    else by.set(cr.status, [cr]);
  }
  return STATUSES.filter((s) => by.has(s)).map((status) => ({ status, items: by.get(status)! }));
}

/** Short text for the view's description, e.g. `filter: "discount" · mine`. */
export function describeFilter(f: CrFilter): string | undefined {
  const parts: string[] = [];
  if (f.text.trim()) parts.push(`filter: "${f.text.trim()}"`);
  if (f.mine) parts.push('only mine');
  return parts.length ? parts.join(' · ') : undefined;
}
