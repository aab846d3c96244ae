/**
 * The deployment queue webview: says `ready`, receives the queue as data, renders it as text
 * (entries with message, sender, CRs and components, each component diffable against the
 * environment), and sends Deploy / Reject / Diff to the host. Release managers get the buttons;
 * others read the queue and are told who can act. Keeps the environment with setState.
 */
import '@vscode-elements/elements';
import type { FromWebview, QueueEntryView, QueueState, ToWebview, WebviewState } from '../../shared/queueProtocol';
import { button, h } from '../changeRequest/dom';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  setState(s: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: QueueState | undefined;
let busy: string | undefined;
let banner: { kind: string; text: string } | undefined;

const when = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
};

function diffLink(e: QueueEntryView, c: { type: string; fullName: string }, env: string): HTMLElement {
  const b = h('button', { class: 'link', testid: `queue-diff-${e.number}-${c.fullName}`, title: `Diff with ${env}` }, `${c.type} ${c.fullName}`);
  b.addEventListener('click', () => vscode.postMessage({ type: 'diff', id: e.id, component: c }));
  return b;
}

function entry(e: QueueEntryView, s: QueueState): HTMLElement {
  const comps = h(
    'ul',
    {},
    ...e.components.map((c) =>
      h('li', {}, diffLink(e, c, s.environment)),
    ),
  );
  const manage = s.canManage && e.actionable;
  const actions = manage || e.withdrawable
    ? h(
        'div',
        { class: 'actions' },
        manage ? button('Deploy…', `queue-deploy-${e.number}`, () => vscode.postMessage({ type: 'deploy', id: e.id }), { icon: 'rocket' }) : undefined,
        manage ? button('Reject…', `queue-reject-${e.number}`, () => vscode.postMessage({ type: 'reject', id: e.id }), { secondary: true }) : undefined,
        // The sender takes back what they sent, while it still waits.
        e.withdrawable ? button('Withdraw…', `queue-withdraw-${e.number}`, () => vscode.postMessage({ type: 'withdraw', id: e.id }), { secondary: true }) : undefined,
      )
    : s.canManage && e.status === 'Deployed'
      ? h('div', { class: 'actions' }, button('Revert…', `queue-revert-${e.number}`, () => vscode.postMessage({ type: 'revert', id: e.id }), { secondary: true, icon: 'discard' }))
      : undefined;
  if (actions && busy) for (const b of actions.querySelectorAll('vscode-button')) (b as HTMLElement & { disabled: boolean }).disabled = true;
  return h(
    'div',
    { class: 'entry', testid: `queue-entry-${e.number}` },
    h('h2', {}, `${e.number} · ${e.status}`),
    h('p', { class: 'meta' }, `From ${e.source} · sent by ${e.sender} · ${when(e.sentAt)} · CRs: ${e.crs.join(', ') || 'none'}`),
    h('p', { class: 'message', testid: `queue-message-${e.number}` }, e.message),
    e.outcome ? h('p', { class: 'meta', testid: `queue-outcome-${e.number}` }, e.outcome) : undefined,
    comps,
    actions,
  );
}

function render(): void {
  if (!state) return;
  const s = state;
  const parts: Array<HTMLElement | undefined> = [
    h('header', {}, h('h1', {}, `${s.environment} · Deployment queue`), button('Reload', 'queue-reload', () => vscode.postMessage({ type: 'reload' }), { secondary: true, icon: 'refresh' })),
    busy ? h('p', { class: 'meta', testid: 'queue-busy' }, busy) : undefined,
    banner ? h('div', { class: `banner ${banner.kind}`, role: 'alert', testid: 'queue-banner' }, banner.text) : undefined,
    s.canManage
      ? h('p', { class: 'meta', testid: 'queue-role' }, `You are a release manager of ${s.environment}.`)
      : h('div', { class: 'banner info', testid: 'queue-readonly' }, s.readOnly ?? 'Read-only.'),
    ...s.notices.map((n) => h('div', { class: 'banner warning', testid: 'queue-notice' }, n)),
    s.entries.length ? undefined : h('p', { class: 'empty' }, `Nothing was sent to ${s.environment} yet.`),
    ...s.entries.map((e) => entry(e, s)),
  ];
  document.getElementById('app')!.replaceChildren(...parts.filter((p): p is HTMLElement => p !== undefined));
}

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'state':
      state = m.state;
      banner = undefined;
      vscode.setState({ environment: m.state.environment, id: 'queue' });
      render();
      break;
    case 'busy':
      busy = m.busy ? (m.what ?? 'Working…') : undefined;
      render();
      break;
    case 'banner':
      banner = { kind: m.kind, text: m.text };
      if (state) render();
      else document.getElementById('app')!.replaceChildren(h('div', { class: `banner ${m.kind}`, role: 'alert', testid: 'queue-banner' }, m.text));
      break;
    case 'failed':
      document.getElementById('app')!.replaceChildren(h('div', { class: 'banner error', role: 'alert', testid: 'queue-failed' }, m.text), button('Try Again', 'queue-retry', () => vscode.postMessage({ type: 'reload' })));
      break;
  }
});

vscode.postMessage({ type: 'ready' });
