/** The history timeline, newest first, with the entry whose seal does not match marked. */
import type { HistoryView, PanelState } from '../../shared/changeRequestProtocol';
import type { Section } from './app';
import { h } from './dom';

const ACTION_LABELS: Record<string, string> = {
  created: 'created it',
  edited: 'edited',
  status: 'changed the status',
  approved: 'approved',
  rejected: 'rejected',
  pushed: 'pushed it',
  pulled: 'pulled it',
};

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function entry(e: HistoryView): HTMLElement {
  return h(
    'li',
    { testid: 'cr-history-entry', 'data-seq': e.seq, 'data-action': e.action, class: e.tampered ? 'tampered' : undefined },
    h('div', {}, h('strong', {}, e.who), ` ${ACTION_LABELS[e.action] ?? e.action}`, e.org ? ` (${e.org})` : undefined, h('span', { class: 'meta' }, ` · ${when(e.at)} · #${e.seq}`)),
    e.tampered ? h('div', { class: 'field-error', testid: 'cr-history-tampered-entry' }, 'This entry does not match its seal: it was changed outside Changeline.') : undefined,
    ...e.changes.map((c) => h('div', { class: 'value' }, `${c.label}: ${c.old} → ${c.new}`)),
    e.comment ? h('div', { class: 'value', testid: 'cr-history-comment' }, `“${e.comment}”`) : undefined,
  );
}

export function historySection(): Section {
  const warning = h('div', { class: 'banner warning', testid: 'cr-history-tampered', hidden: true });
  const list = h('ul', { class: 'timeline', testid: 'cr-history' });
  const el = h('section', { testid: 'cr-history-section' }, h('h2', {}, 'History'), warning, list);
  return {
    el,
    update(s: PanelState) {
      warning.hidden = s.tamperedEntry === undefined;
      warning.textContent = s.tamperedEntry === undefined ? '' : `The history of this change request was changed outside Changeline (entry ${s.tamperedEntry} does not match its seal).`;
      list.replaceChildren(...(s.history.length ? [...s.history].reverse().map(entry) : [h('li', { class: 'empty' }, 'No history yet.')]));
    },
  };
}
