/**
 * A compare result as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break are
 * quoted, quotes doubled). Cells that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`, so an org's component names
 * cannot inject formulas.
 */
import type { CompareItem, CompareResult, DifferingFile } from './types';

export const CSV_COLUMNS = ['status', 'type', 'fullName', 'differingFiles', 'sourceModified', 'targetModified'] as const;

export function compareResultToCsv(result: Pick<CompareResult, 'items'>): string {
  const rows = [CSV_COLUMNS.map(String), ...result.items.map(rowOf)];
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function rowOf(item: CompareItem): string[] {
  return [
    item.status,
    item.type,
    item.fullName,
    (item.differingFiles ?? []).map(describeFile).join('; '),
    item.sourceModified ?? '',
    item.targetModified ?? '',
  ];
}

function describeFile(f: DifferingFile): string {
  return f.change === 'modified' ? f.path : `${f.path} (${f.change.replace(/-/g, ' ')})`;
}

/** One cell: formula-guarded, then quoted when needed. */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
