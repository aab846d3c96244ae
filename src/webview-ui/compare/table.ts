/**
 * The results table: sortable headers, a checkbox per row (selection for a change request), a row
 * click asks the host for a diff, a multi-file `different` row expands to its files. Renders at
 * most PAGE rows at a time ("Show more" adds the next), so 10,000+ rows stay responsive.
 */
import { componentKey } from '../../core/metadata-types';
import type { CompareRow } from '../../shared/compareProtocol';
import { isMultiFile, SORT_COLUMNS, STATUS_LABELS, type SortColumn, type TableQuery } from '../../shared/compareTable';
import { fmt, h, shortDate } from './dom';

export const PAGE = 500;

export interface TableHandlers {
  sortBy(column: SortColumn): void;
  open(row: CompareRow, path?: string): void;
  toggleSelected(row: CompareRow, selected: boolean): void;
  toggleAll(rows: CompareRow[], selected: boolean): void;
  showMore(): void;
  /** Draw again (a row was expanded or collapsed). */
  rerender(): void;
}

const HEADERS: Record<SortColumn, string> = {
  status: 'Status',
  type: 'Type',
  name: 'Name',
  sourceModified: 'Source modified',
  targetModified: 'Target modified',
};

export const rowKey = (r: { type: string; fullName: string }): string => componentKey(r);

export function renderTable(
  rows: CompareRow[],
  shown: number,
  query: TableQuery,
  selected: ReadonlySet<string>,
  expanded: Set<string>,
  labels: { source: string; target: string },
  on: TableHandlers,
): HTMLElement {
  const visible = rows.slice(0, shown);
  const all = h('input', { type: 'checkbox', 'aria-label': 'Select all shown', 'data-testid': 'select-all' });
  all.checked = visible.length > 0 && visible.every((r) => selected.has(rowKey(r)));
  all.addEventListener('change', () => on.toggleAll(rows, all.checked));
  const head = h(
    'tr',
    {},
    h('th', { class: 'check' }, all),
    ...SORT_COLUMNS.map((c) => {
      const label = c === 'sourceModified' ? `${labels.source} modified` : c === 'targetModified' ? `${labels.target} modified` : HEADERS[c];
      const arrow = query.sort === c ? (query.descending ? ' ▼' : ' ▲') : '';
      const th = h('th', { 'data-testid': `sort-${c}`, class: 'sortable', 'aria-sort': query.sort === c ? (query.descending ? 'descending' : 'ascending') : 'none', tabindex: '0' }, label + arrow);
      th.addEventListener('click', () => on.sortBy(c));
      th.addEventListener('keydown', (e) => e.key === 'Enter' && on.sortBy(c));
      return th;
    }),
  );
  const body = h('tbody');
  for (const row of visible) {
    const k = rowKey(row);
    const box = h('input', { type: 'checkbox', 'aria-label': `Select ${row.type} ${row.fullName}` });
    box.checked = selected.has(k);
    box.addEventListener('change', () => on.toggleSelected(row, box.checked));
    const multi = isMultiFile(row);
    const isOpen = multi && expanded.has(k);
    const name = h('td', { class: 'name' });
    if (multi) {
      const twisty = h('button', { class: 'twisty', 'aria-expanded': isOpen ? 'true' : 'false', 'aria-label': `${isOpen ? 'Collapse' : 'Expand'} the ${row.differingFiles!.length} differing files`, 'data-testid': 'expand' }, isOpen ? '▾' : '▸');
      twisty.addEventListener('click', (e) => {
        e.stopPropagation();
        if (expanded.has(k)) expanded.delete(k);
        else expanded.add(k);
        on.rerender();
      });
      name.append(twisty);
    }
    name.append(h('span', {}, row.fullName));
    if (row.status === 'different' && row.differingFiles?.length) name.append(h('span', { class: 'muted files' }, ` ${fmt(row.differingFiles.length)} file${row.differingFiles.length === 1 ? '' : 's'}`));
    if (row.notes?.length) name.title = row.notes.join('\n');
    const tr = h(
      'tr',
      { class: `row status-${row.status}`, 'data-testid': 'row', 'data-type': row.type, 'data-name': row.fullName, 'data-status': row.status, tabindex: '0', title: 'Open the diff' },
      h('td', { class: 'check' }, box),
      h('td', {}, h('span', { class: `badge ${row.status}` }, row.status === 'only-in-source' ? `Only in ${labels.source}` : row.status === 'only-in-target' ? `Only in ${labels.target}` : STATUS_LABELS[row.status])),
      h('td', {}, row.type),
      name,
      h('td', { class: 'date' }, shortDate(row.sourceModified)),
      h('td', { class: 'date' }, shortDate(row.targetModified)),
    );
    box.addEventListener('click', (e) => e.stopPropagation());
    tr.addEventListener('click', () => on.open(row));
    tr.addEventListener('keydown', (e) => e.key === 'Enter' && on.open(row));
    body.append(tr);
    if (isOpen) {
      for (const f of row.differingFiles!) {
        const change = f.change === 'modified' ? 'modified' : f.change === 'only-in-source' ? `only in ${labels.source}` : `only in ${labels.target}`;
        const fr = h(
          'tr',
          { class: 'file-row', 'data-testid': 'file-row', 'data-path': f.path, tabindex: '0', title: 'Open this file\u2019s diff' },
          h('td'),
          h('td'),
          h('td', { class: 'muted' }, change),
          h('td', { class: 'name file', colspan: '3' }, f.path),
        );
        fr.addEventListener('click', () => on.open(row, f.path));
        fr.addEventListener('keydown', (e) => e.key === 'Enter' && on.open(row, f.path));
        body.append(fr);
      }
    }
  }
  // data-search: the search the rows were filtered by (after the typing pause), for whoever waits on it.
  const table = h('table', { class: 'results', 'data-testid': 'compare-table', 'data-search': query.text }, h('thead', {}, head), body);
  const wrap = h('div', { class: 'table-wrap' }, table);
  if (rows.length === 0) wrap.append(h('p', { class: 'muted', 'data-testid': 'no-rows' }, 'No component matches the filters.'));
  if (rows.length > shown) {
    const more = h('vscode-button', { secondary: true, 'data-testid': 'show-more' }, `Show ${fmt(Math.min(PAGE, rows.length - shown))} more`);
    more.addEventListener('click', () => on.showMore());
    wrap.append(h('p', { class: 'muted', 'data-testid': 'shown-count' }, `Showing ${fmt(shown)} of ${fmt(rows.length)} components `), more);
  } else if (rows.length > 0) {
    wrap.append(h('p', { class: 'muted', 'data-testid': 'shown-count' }, `Showing ${fmt(rows.length)} component${rows.length === 1 ? '' : 's'}`));
  }
  return wrap;
}
