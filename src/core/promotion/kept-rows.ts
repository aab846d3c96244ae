/**
 * An org's DeployRequest rows kept between reads of its history, so a refresh asks the org only
 * for what is new. A finished deployment's row never changes; only rows created since the last
 * read, and those still running then, can differ. So the org is asked for the rows created from
 * the oldest row still running at the last read (else the newest row), and those replace what was
 * kept from that point on; older kept rows are finished and stay as they were. Rules:
 * - the kept rows are the newest rows of the org's window (`days`) at the time, newest first: all
 *   of them when `complete`, else a prefix;
 * - a request the kept rows and the new ones cannot answer in full (it wants more rows than a
 *   prefix holds) is read from the org in full, as is everything once the kept rows are
 *   KEPT_ROWS_MAX_AGE_MS old (rows age out of the window, and the org deletes them after 30 days);
 * - rows without a creation date are never kept (nothing says where they stand); only the org's
 *   dates are compared with each other, never this machine's clock (but for the age above).
 */
import { isRunning, type OrgDeployRow } from '../deployments/org-deploys';

/** Kept rows are read from the org in full again after this long. */
export const KEPT_ROWS_MAX_AGE_MS = 10 * 60_000;

export interface KeptRows {
  /** Newest first by creation date: every row of the window when `complete`, else the newest ones. */
  rows: readonly OrgDeployRow[];
  /** The window they were read for (DeployRequest created in the last N days). */
  days: number;
  complete: boolean;
  /** When the org was last read in full (epoch ms). */
  readAt: number;
}

const created = (r: OrgDeployRow): number => Date.parse(r.createdDate ?? '');

/** A creation date as a SOQL dateTime literal, down to the second (a `>=` on it takes the whole second). */
function toSecond(t: number): string {
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Rows read from the org in full, to keep (undefined: not keepable). At most `max` are kept. */
export function keepRows(rows: readonly OrgDeployRow[], days: number, limit: number, readAt: number, max: number): KeptRows | undefined {
  if (rows.some((r) => Number.isNaN(created(r)))) return undefined;
  return { rows: rows.slice(0, max), days, complete: rows.length < limit && rows.length <= max, readAt };
}

/**
 * Where to ask the org again from (a SOQL dateTime, inclusive): the oldest row still running at
 * the last read, else the newest row. Undefined when the kept rows cannot serve this request
 * (another window, too old, nothing kept): read in full.
 */
export function askFrom(kept: KeptRows | undefined, days: number, now: number): string | undefined {
  if (!kept || kept.days !== days || !(now >= kept.readAt && now - kept.readAt < KEPT_ROWS_MAX_AGE_MS)) return undefined;
  // Nothing kept: read in full (cheap then; this side's clock says nothing about the org's dates).
  if (kept.rows.length === 0) return undefined;
  let from = created(kept.rows[0]);
  for (const r of kept.rows) if (isRunning(r)) from = Math.min(from, created(r));
  return toSecond(from);
}

/**
 * The newest `limit` rows now, from the rows the org returned from `from` (newest first, at most
 * `limit`) and the kept ones before it; with the rows to keep next. Undefined when these cannot
 * say (read in full).
 */
export function mergeRows(kept: KeptRows, from: string, fresh: readonly OrgDeployRow[], limit: number, max: number): { rows: OrgDeployRow[]; kept: KeptRows } | undefined {
  if (fresh.some((r) => Number.isNaN(created(r)))) return undefined;
  if (fresh.length >= limit) {
    // The new rows alone are the newest `limit`; what lies between them and the kept ones is unknown.
    return { rows: fresh.slice(0, limit), kept: { rows: fresh.slice(0, max), days: kept.days, complete: false, readAt: kept.readAt } };
  }
  // Every row created from `from` on is among the new ones; before it, the kept ones are finished
  // (newest first, so they follow the new ones as they are).
  const cut = Date.parse(from);
  let i = 0;
  while (i < kept.rows.length && !(created(kept.rows[i]) < cut)) i++;
  const merged = fresh.concat(kept.rows.slice(i));
  if (merged.length < limit && !kept.complete) return undefined;
  return {
    rows: merged.slice(0, limit),
    kept: { rows: merged.slice(0, max), days: kept.days, complete: kept.complete && merged.length <= max, readAt: kept.readAt },
  };
}
