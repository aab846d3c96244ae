/**
 * The compare panel webview: says `ready`, receives the result as data, shows counts per status
 * and per type, a filterable sortable table, and sends the user's requests (diff, export, change
 * request, refresh) to the host. Everything from the org is rendered as text.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './compare.css';
import { STATUSES, type CompareRow, type CompareStatus, type CompareView, type CompareWebviewState, type HostMessage, type WebviewMessage } from '../../shared/compareProtocol';
import { listingSummary } from '../../shared/compareListing';
import { DEFAULT_QUERY, queryRows, SORT_COLUMNS, STATUS_LABELS, type SortColumn, type TableQuery } from '../../shared/compareTable';
import { fmt, h } from './dom';
import { PAGE, renderTable, rowKey } from './table';

interface VsCodeApi {
  postMessage(m: WebviewMessage): void;
  getState(): unknown;
  setState(s: CompareWebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

let view: CompareView | undefined;
let query: TableQuery = restoredQuery() ?? { ...DEFAULT_QUERY, statuses: [...DEFAULT_QUERY.statuses] };
let rows: CompareRow[] = [];
let shown = PAGE;
const selected = new Set<string>();
const expanded = new Set<string>();
let busyText: string | undefined;

const post = (m: WebviewMessage) => vscode.postMessage(m);

/** Filters and sort kept while the panel is hidden or the window reloads. */
function restoredQuery(): TableQuery | undefined {
  const q = (vscode.getState() as CompareWebviewState | undefined)?.query as Partial<TableQuery> | undefined;
  if (!q || typeof q !== 'object') return undefined;
  const statuses = Array.isArray(q.statuses) ? STATUSES.filter((s) => q.statuses!.includes(s)) : DEFAULT_QUERY.statuses;
  return {
    statuses: [...statuses],
    type: typeof q.type === 'string' ? q.type : '',
    text: typeof q.text === 'string' ? q.text : '',
    sort: SORT_COLUMNS.includes(q.sort as SortColumn) ? (q.sort as SortColumn) : DEFAULT_QUERY.sort,
    descending: q.descending === true,
  };
}

function saveState(): void {
  if (view) vscode.setState({ sourceEnv: view.sourceEnv, targetEnv: view.targetEnv, query });
}

function button(label: string, testId: string, onClick: () => void, secondary = true): HTMLElement {
  const b = h('vscode-button', { 'data-testid': testId, secondary }, label);
  b.addEventListener('click', onClick);
  return b;
}

function applyQuery(): void {
  rows = view ? queryRows(view.items, query) : [];
  saveState();
  shown = PAGE;
  render();
}

function summary(v: CompareView): HTMLElement {
  const chips = STATUSES.map((s: CompareStatus) => {
    const on = query.statuses.length === 0 || query.statuses.includes(s);
    const chip = h(
      'button',
      { class: `chip ${s}${on ? ' on' : ''}`, 'data-testid': `count-${s}`, 'aria-pressed': on ? 'true' : 'false', title: `Show or hide ${STATUS_LABELS[s].toLowerCase()} components` },
      h('span', { class: 'count' }, fmt(v.countsByStatus[s] ?? 0)),
      ` ${s === 'only-in-source' ? `Only in ${v.sourceEnv}` : s === 'only-in-target' ? `Only in ${v.targetEnv}` : STATUS_LABELS[s]}`,
    );
    chip.addEventListener('click', () => {
      const set = new Set(query.statuses.length ? query.statuses : STATUSES);
      if (set.has(s)) set.delete(s);
      else set.add(s);
      query = { ...query, statuses: STATUSES.filter((x) => set.has(x)) };
      applyQuery();
    });
    return chip;
  });
  return h('div', { class: 'summary', 'data-testid': 'summary' }, ...chips);
}

function typeCounts(v: CompareView): HTMLElement {
  const types = Object.keys(v.countsByType).sort();
  const body = h('tbody');
  for (const t of types) {
    const c = v.countsByType[t];
    const changed = (c['only-in-source'] ?? 0) + (c['only-in-target'] ?? 0) + (c.different ?? 0);
    const tr = h(
      'tr',
      { class: `type-row${query.type === t ? ' on' : ''}`, 'data-testid': 'type-count', 'data-type': t, tabindex: '0', title: `Show only ${t}` },
      h('td', {}, t),
      ...STATUSES.map((s) => h('td', { class: 'num' }, fmt(c[s] ?? 0))),
    );
    if (changed === 0) tr.classList.add('muted');
    tr.addEventListener('click', () => {
      query = { ...query, type: query.type === t ? '' : t };
      applyQuery();
    });
    body.append(tr);
  }
  const details = h(
    'details',
    { class: 'types', 'data-testid': 'type-counts' },
    h('summary', {}, `Counts per type (${fmt(types.length)} types)`),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Type'), h('th', {}, `Only in ${v.sourceEnv}`), h('th', {}, `Only in ${v.targetEnv}`), h('th', {}, 'Different'), h('th', {}, 'Identical'))),
      body,
    ),
  );
  return details;
}

function filters(v: CompareView): HTMLElement {
  const search = h('vscode-textfield', { placeholder: 'Search names, types and files', 'data-testid': 'search', 'aria-label': 'Search' }) as HTMLElement & { value: string };
  search.value = query.text;
  let timer: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      query = { ...query, text: search.value };
      applyQuery();
      document.querySelector<HTMLElement>('[data-testid="search"]')?.focus();
    }, 150);
  });
  const type = h('select', { 'data-testid': 'type-filter', 'aria-label': 'Metadata type' }, h('option', { value: '' }, 'All types'));
  for (const t of Object.keys(v.countsByType).sort()) type.append(h('option', { value: t }, t));
  type.value = query.type;
  type.addEventListener('change', () => {
    query = { ...query, type: type.value };
    applyQuery();
  });
  return h('div', { class: 'filters' }, search, type);
}

function toolbar(v: CompareView): HTMLElement {
  const create = button(`Create Change Request… (${fmt(selected.size)})`, 'create-cr', () => {
    const refs = v.items.filter((r) => selected.has(rowKey(r))).map((r) => ({ type: r.type, fullName: r.fullName }));
    if (refs.length) post({ type: 'createChangeRequest', refs });
  }, false);
  if (selected.size === 0) create.setAttribute('disabled', '');
  return h(
    'div',
    { class: 'toolbar' },
    create,
    button('Export CSV…', 'export-csv', () => post({ type: 'exportCsv' })),
    button('Refresh', 'refresh', () => post({ type: 'refresh', full: false })),
    button('Full refresh', 'full-refresh', () => post({ type: 'refresh', full: true })),
  );
}

function header(v: CompareView): HTMLElement {
  const when = new Date(v.startedAt);
  const stats = `Compared ${when.toLocaleString()} · ${fmt(v.items.length)} components · retrieved ${fmt(v.retrievedCount)}, ${fmt(v.fromCacheCount)} from cache`;
  return h(
    'header',
    {},
    h('h1', { 'data-testid': 'title' }, `${v.sourceEnv} ↔ ${v.targetEnv}`),
    h('p', { class: 'muted', 'data-testid': 'scope' }, v.scope),
    h('p', { class: 'muted', 'data-testid': 'stats' }, stats),
    ((text) => (text ? h('p', { class: 'muted', 'data-testid': 'listing' }, text) : undefined))(listingSummary(v.sourceEnv, v.targetEnv, v.listing, (iso) => new Date(iso).toLocaleString())),
    v.notFound.length
      ? h('p', { class: 'warning', 'data-testid': 'not-found' }, `Neither environment has ${fmt(v.notFound.length)} requested component${v.notFound.length === 1 ? '' : 's'}: ${v.notFound.slice(0, 10).map((r) => `${r.type} ${r.fullName}`).join(', ')}${v.notFound.length > 10 ? '…' : ''}`)
      : undefined,
  );
}

function render(): void {
  app.replaceChildren();
  if (busyText) app.append(h('div', { class: 'busy', 'data-testid': 'busy', role: 'status' }, busyText));
  if (!view) return;
  const v = view;
  app.append(
    header(v),
    toolbar(v),
    summary(v),
    typeCounts(v),
    filters(v),
    renderTable(rows, shown, query, selected, expanded, { source: v.sourceEnv, target: v.targetEnv }, {
      sortBy: (c) => {
        query = { ...query, sort: c, descending: query.sort === c ? !query.descending : false };
        applyQuery();
      },
      open: (row, path) => post({ type: 'openDiff', ref: { type: row.type, fullName: row.fullName }, ...(path ? { path } : {}) }),
      toggleSelected: (row, on) => {
        if (on) selected.add(rowKey(row));
        else selected.delete(rowKey(row));
        render();
      },
      toggleAll: (all, on) => {
        for (const r of all.slice(0, shown)) {
          if (on) selected.add(rowKey(r));
          else selected.delete(rowKey(r));
        }
        render();
      },
      showMore: () => {
        shown += PAGE;
        render();
      },
      rerender: render,
    }),
  );
}

function renderEmpty(sourceEnv: string, targetEnv: string, reason: string): void {
  app.replaceChildren(
    h('h1', {}, `${sourceEnv} ↔ ${targetEnv}`),
    h('p', { 'data-testid': 'empty' }, reason),
    button('Compare again', 'run-again', () => post({ type: 'refresh', full: false }), false),
  );
}

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  switch (m?.type) {
    case 'init': {
      const first = !view || view.sourceEnv !== m.view.sourceEnv || view.targetEnv !== m.view.targetEnv;
      view = m.view;
      busyText = undefined;
      const present = new Set(view.items.map(rowKey));
      for (const k of [...selected]) if (!present.has(k)) selected.delete(k);
      if (first) expanded.clear();
      applyQuery();
      break;
    }
    case 'empty':
      vscode.setState({ sourceEnv: m.sourceEnv, targetEnv: m.targetEnv });
      renderEmpty(m.sourceEnv, m.targetEnv, m.reason);
      break;
    case 'busy':
      busyText = m.text;
      render();
      break;
    case 'idle':
      busyText = undefined;
      render();
      break;
  }
});

post({ type: 'ready' });
