/**
 * The action buttons: the ones the core allows to the current user are enabled; the others are
 * disabled with the reason as their tooltip (and said under the buttons for keyboard users).
 */
import type { PanelState } from '../../shared/deploymentProtocol';
import type { App, Section } from './app';
import { button, h } from '../changeRequest/dom';

export function actionsSection(app: App): Section {
  const row = h('div', { class: 'actions', testid: 'dep-actions' });
  const notes = h('ul', { class: 'note', testid: 'dep-action-notes' });
  const el = h('section', { testid: 'dep-actions-section' }, h('h2', {}, 'Actions'), row, notes);
  return {
    el,
    update(s: PanelState) {
      row.replaceChildren(
        ...s.actions.map((a) => {
          const b = button(a.label, a.testId, () => app.post({ type: 'action', action: a.action, environment: s.environment, id: s.id }), {
            secondary: !a.allowed,
            title: a.allowed ? a.note : a.reason,
          });
          b.disabled = !a.allowed || app.busy();
          b.setAttribute('data-allowed', String(a.allowed));
          return b;
        }),
      );
      notes.replaceChildren(...s.actions.filter((a) => a.allowed && a.note).map((a) => h('li', {}, `${a.label.replace(/…$/, '')}: ${a.note}`)));
    },
  };
}
