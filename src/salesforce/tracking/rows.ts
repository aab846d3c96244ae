/** Reading the tracking objects' rows (query results): plain values, and JSON fields Changeline wrote. */
import type { ComponentRef } from '../../core/metadata-types';
import { SalesforceError } from '../errors';

export type Row = Record<string, unknown>;

/** A field's value as text ('' for empty). */
export const text = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));

/** A field Changeline cannot read back (edited outside Changeline): what to do about it. */
export function unreadableField(row: Row, field: string, record: string, what: string): SalesforceError {
  return new SalesforceError(
    'invalid-request',
    `The ${field} of ${record} ${text(row.Name) || text(row.Id)} is not ${what} Changeline can read (it was edited outside Changeline); fix or clear it in the org.`,
  );
}

/** A JSON component list field ([] when empty); `record` names the kind of record in the error ("change request"). */
export function componentList(row: Row, field: string, record: string): ComponentRef[] {
  const raw = text(row[field]).trim();
  if (!raw) return [];
  try {
    const list = JSON.parse(raw) as unknown;
    if (Array.isArray(list) && list.every((c) => c && typeof c.type === 'string' && typeof c.fullName === 'string')) {
      return list.map((c: ComponentRef) => ({ type: c.type, fullName: c.fullName }));
    }
  } catch {
    // fall through to the error below
  }
  throw unreadableField(row, field, record, 'a component list');
}
