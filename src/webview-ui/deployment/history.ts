/** The history timeline, newest first, with the entry whose seal does not match marked. */
import type { HistoryView, PanelState } from '../../shared/deploymentProtocol';
import { when, type Section } from './app';
import { h } from '../changeRequest/dom';

const ACTION_LABELS: Record<string, string> = {
  created: 'created it',
  edited: 'edited',
  status: 'changed the status',
  approved: 'approved',
  rejected: 'rejected',
  package: 'package',
  dependencies: 'checked dependencies',
  validation: 'validation',
  deploy: 'deploy',
};

function entry(e: HistoryView): HTMLElement {
  return h(
    'li',
    { testid: 'dep-history-entry', 'data-seq': e.seq, 'data-action': e.action, class: e.tampered ? 'tampered' : undefined },
    h('div', {}, h('strong', {}, e.who), ` ${ACTION_LABELS[e.action] ?? e.action}`, h('span', { class: 'meta' }, ` · ${when(e.at)} · #${e.seq}`)),
    e.tampered ? h('div', { class: 'bad' }, 'This entry does not match its seal: it was changed outside Changeline.') : undefined,
    ...e.lines.map((l) => h('div', {}, l)),
    e.comment ? h('div', { testid: 'dep-history-comment' }, `“${e.comment}”`) : undefined,
  );
}

export function historySection(): Section {
  const warning = h('div', { class: 'banner warning', testid: 'dep-history-tampered', hidden: true });
  const list = h('ul', { class: 'timeline', testid: 'dep-history' });
  const el = h('section', {}, h('h2', {}, 'History'), warning, list);
  return {
    el,
    update(s: PanelState) {
      warning.hidden = s.tamperedEntry === undefined;
      warning.textContent = s.tamperedEntry === undefined ? '' : `The history of this deployment was changed outside Changeline (entry ${s.tamperedEntry} does not match its seal).`;
      list.replaceChildren(...(s.history.length ? [...s.history].reverse().map(entry) : [h('li', { class: 'empty' }, 'No history yet.')]));
    },
  };
}
