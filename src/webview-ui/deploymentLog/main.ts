/**
 * The deployment log webview: says `ready`, receives the rows as data and renders them as text
 * (newest first: when, status, source, who, message, CRs, record, component and test counts,
 * check-only), sends the filter the user sets and the row they open; shows that deployment's
 * component results and test failures under it.
 */
import '@vscode-elements/elements';
import { LOG_STATUS_OPTIONS, type DetailsView, type FromWebview, type LogFilterView, type LogPanelState, type LogRowView, type ToWebview, type WebviewState } from '../../shared/deploymentLogProtocol';
import { button, h, setOptions, type MultiValueElement, type ValueElement } from '../changeRequest/dom';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  setState(s: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: LogPanelState | undefined;
let openId: string | undefined;
const details = new Map<string, DetailsView | string>();

const when = (iso: string) => {
  const d = new Date(iso);
  return iso && !Number.isNaN(d.getTime()) ? d.toLocaleString() : '';
};

// ---------- filters ----------
const status = h('vscode-multi-select', { testid: 'log-status', 'aria-label': 'Status' }) as MultiValueElement;
setOptions(status, LOG_STATUS_OPTIONS.map((o) => ({ value: o.value, label: o.label })));
const source = h('vscode-single-select', { testid: 'log-source', 'aria-label': 'Source' }) as ValueElement;
setOptions(source, [{ value: '', label: 'Any source' }, { value: 'changeline', label: 'Changeline' }, { value: 'out-of-band', label: 'Out of band' }], '');
const kind = h('vscode-single-select', { testid: 'log-kind', 'aria-label': 'Deploys or validations' }) as ValueElement;
setOptions(kind, [{ value: '', label: 'Deploys and validations' }, { value: 'deploys', label: 'Deploys' }, { value: 'validations', label: 'Validations' }], '');
const text = h('vscode-textfield', { testid: 'log-text', placeholder: 'Text: id, who, message, CR, record, error', 'aria-label': 'Text' }) as ValueElement;

function currentFilter(): LogFilterView {
  const k = kind.value;
  const s = source.value;
  return {
    status: (status.value ?? []).filter((v) => LOG_STATUS_OPTIONS.some((o) => o.value === v)) as LogFilterView['status'],
    source: s === 'changeline' || s === 'out-of-band' ? s : '',
    kind: k === 'deploys' || k === 'validations' ? k : '',
    text: (text.value ?? '').slice(0, 200),
  };
}
let timer: ReturnType<typeof setTimeout> | undefined;
const sendFilter = () => {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => vscode.postMessage({ type: 'filter', filter: currentFilter() }), 150);
};
for (const el of [status, source, kind]) el.addEventListener('change', sendFilter);
text.addEventListener('input', sendFilter);

const summary = h('p', { class: 'meta', testid: 'log-summary' });
const busyLine = h('p', { class: 'note', testid: 'log-busy', hidden: true });
const notes = h('div', { testid: 'log-notes' });
const body = h('tbody', { testid: 'log-rows' });
const table = h(
  'table',
  {},
  h('thead', {}, h('tr', {}, ...['When', 'Status', 'Source', 'Who', 'Message', 'Components', 'Tests'].map((c) => h('th', {}, c)))),
  body,
);
const empty = h('p', { class: 'empty', testid: 'log-empty', hidden: true }, 'No deployment matches the filter.');

// ---------- rows ----------
function detailsRow(id: string): HTMLElement {
  const d = details.get(id);
  const cell = h('td', { colSpan: 7, class: 'details', testid: 'log-details' });
  if (d === undefined) cell.append(h('p', { class: 'note' }, 'Reading the component results…'));
  else if (typeof d === 'string') cell.append(h('div', { class: 'banner error', role: 'alert' }, d));
  else {
    if (d.running) cell.append(h('p', { class: 'note' }, 'Still running in the org: what it did so far.'));
    cell.append(h('h3', {}, `Components (${d.components.length})`));
    cell.append(
      d.components.length
        ? h('table', { testid: 'log-components' }, h('tbody', {}, ...d.components.map((c) => h('tr', {}, h('td', { class: c.state === 'Failed' ? 'failed' : undefined }, c.state), h('td', {}, c.type), h('td', {}, c.fullName)))))
        : h('p', { class: 'empty' }, 'The org reported no component results.'),
    );
    if (d.problems.length) {
      cell.append(h('h3', {}, 'Problems'), h('ul', { testid: 'log-problems' }, ...d.problems.map((p) => h('li', {}, h('strong', {}, p.component), `${p.line ? `:${p.line}` : ''} ${p.severity}: ${p.problem}`))));
    }
    cell.append(h('h3', {}, d.testsRun ? `Tests: ${d.testsRun} run, ${d.testFailures.length} failed` : 'Tests: none run'));
    if (d.testFailures.length) {
      cell.append(h('ul', { testid: 'log-test-failures' }, ...d.testFailures.map((t) => h('li', {}, h('strong', {}, t.test), ` — ${t.message}`, t.stackTrace ? h('pre', { class: 'stack' }, t.stackTrace) : undefined))));
    }
  }
  return h('tr', {}, cell);
}

function row(r: LogRowView): HTMLElement[] {
  const msg = [r.record, r.crs.join(' '), r.message, r.error].filter(Boolean).join(' · ');
  const tr = h(
    'tr',
    { class: `row${openId === r.id ? ' selected' : ''}`, testid: 'log-row', 'data-id': r.id, tabIndex: 0, title: `${r.id}: click for the component results and test failures` },
    h('td', {}, when(r.when)),
    h('td', {}, h('span', { class: r.group }, r.statusLabel), r.checkOnly ? h('span', { class: 'tag' }, 'validation') : undefined),
    h('td', {}, r.source === 'changeline' ? 'Changeline' : 'Out of band'),
    h('td', {}, r.who),
    h('td', {}, msg),
    h('td', {}, r.components),
    h('td', {}, r.tests),
  );
  const toggle = () => {
    openId = openId === r.id ? undefined : r.id;
    if (openId && !details.has(r.id)) vscode.postMessage({ type: 'details', id: r.id });
    render();
  };
  tr.addEventListener('click', toggle);
  tr.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      toggle();
    }
  });
  return openId === r.id ? [tr, detailsRow(r.id)] : [tr];
}

function render(): void {
  if (!state) return;
  const s = state;
  const shown = s.rows.length < s.matching ? `${s.rows.length} of ${s.matching} shown (refine the filter to see others)` : `${s.matching} shown`;
  summary.textContent = `${s.environment}: ${s.total} deployment${s.total === 1 ? '' : 's'} in the org's history (last 30 days), ${shown} · read ${when(s.readAt)}`;
  notes.replaceChildren(...s.notes.map((n) => h('div', { class: 'banner warning' }, n)));
  body.replaceChildren(...s.rows.flatMap(row));
  empty.hidden = s.rows.length > 0;
  table.hidden = s.rows.length === 0;
}

const page = [
  h('header', {}, h('h1', { testid: 'log-title' }, 'Deployment Log'), button('Refresh', 'log-refresh', () => vscode.postMessage({ type: 'refresh' }), { secondary: true, icon: 'refresh' }), button('Revert Latest Deployment…', 'log-revert-latest', () => vscode.postMessage({ type: 'revertLatest' }), { secondary: true, icon: 'discard' })),
  summary,
  busyLine,
  h('div', { class: 'filters' }, h('label', {}, 'Filter:'), status, source, kind, text),
  notes,
  table,
  empty,
];

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'state': {
      const first = !state;
      state = m.state;
      vscode.setState({ environment: state.environment, id: 'log' });
      if (first) {
        document.getElementById('app')!.replaceChildren(...page);
        text.value = state.filter.text;
      }
      if (state.selected && state.selected !== openId) {
        openId = state.selected;
        if (!details.has(openId)) vscode.postMessage({ type: 'details', id: openId });
      }
      render();
      break;
    }
    case 'busy':
      busyLine.hidden = !m.busy;
      busyLine.textContent = m.busy ? (m.what ?? 'Working…') : '';
      break;
    case 'details':
      details.set(m.details.id, m.details);
      render();
      break;
    case 'detailsFailed':
      details.set(m.id, m.text);
      render();
      break;
    case 'failed':
      document.getElementById('app')!.replaceChildren(h('div', { class: 'banner error', testid: 'log-failed', role: 'alert' }, m.text), button('Try Again', 'log-retry', () => vscode.postMessage({ type: 'refresh' })));
      state = undefined;
      break;
  }
});

vscode.postMessage({ type: 'ready' });
