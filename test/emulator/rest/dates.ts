/** Date and datetime formats as the Salesforce REST API reads and writes them. Pure functions. */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2024-01-15T10:20:30.000+0000`, the format Salesforce returns for datetime fields. */
export function sfDateTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** `2024-01-15` (UTC). */
export function sfDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO 8601 date or datetime (offset `Z`, `+hh:mm` or `+hhmm`; none means UTC). */
export function parseDateTime(s: string): Date | undefined {
  const m = DATETIME_RE.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', tz] = m;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  if (!validDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return undefined;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60000;
  }
  return new Date(t);
}

/** Parses `YYYY-MM-DD` into a normalized date string, or undefined. */
export function parseDate(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

/** A half-open time range [start, end) in ms since the epoch. */
export interface DateRange {
  start: number;
  end: number;
}

const DAY = 86400000;

function startOfDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/**
 * The range a SOQL date literal denotes (UTC). Supported: TODAY, YESTERDAY, TOMORROW,
 * LAST_N_DAYS:n (today and the n days before), NEXT_N_DAYS:n (tomorrow and the n-1 days after),
 * THIS_MONTH, LAST_MONTH, THIS_YEAR. Undefined for anything else.
 */
export function dateLiteralRange(name: string, n: number | undefined, now: number): DateRange | undefined {
  const today = startOfDay(now);
  const d = new Date(today);
  switch (name) {
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'LAST_N_DAYS':
      return n === undefined ? undefined : { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return n === undefined ? undefined : { start: today + DAY, end: today + (n + 1) * DAY };
    case 'THIS_MONTH':
      return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
    case 'LAST_MONTH':
      return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) };
    case 'THIS_YEAR':
      return { start: Date.UTC(d.getUTCFullYear(), 0, 1), end: Date.UTC(d.getUTCFullYear() + 1, 0, 1) };
    default:
      return undefined;
  }
}

export const DATE_LITERALS_WITH_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS']);
export const DATE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW', 'THIS_MONTH', 'LAST_MONTH', 'THIS_YEAR', ...DATE_LITERALS_WITH_N]);
