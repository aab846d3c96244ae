/** Approvers, picked among the org's active users (shown as "Name (username)", stored as ids). */
import type { PanelState } from '../../shared/changeRequestProtocol';
import type { App, Section } from './app';
import { h, setOptions, type MultiValueElement } from './dom';

export function approversSection(app: App): Section {
  const select = h('vscode-multi-select', { id: 'cr-approvers', testid: 'cr-approvers' }) as MultiValueElement;
  const note = h('p', { class: 'meta', testid: 'cr-approvers-note' });
  const chosen = h('ul', { testid: 'cr-approvers-list' });
  let usersKey = '';
  select.addEventListener('change', () => app.edit((d) => (d.approvers = [...select.value])));
  const el = h('section', { testid: 'cr-approvers-section' }, h('h2', {}, 'Approvers'), select, chosen, note);
  return {
    el,
    update(s: PanelState, draft, replaced) {
      const key = s.users.map((u) => u.id).join(',');
      if (key !== usersKey) {
        usersKey = key;
        // Approvers no longer active still show (by id) so the user sees and can remove them.
        const unknown = draft.approvers.filter((a) => !s.users.some((u) => u.id === a));
        setOptions(select, [...s.users.map((u) => ({ value: u.id, label: `${u.name} (${u.username})` })), ...unknown.map((a) => ({ value: a, label: `${a} (not an active user)` }))], draft.approvers);
        replaced = true;
      }
      if (replaced) select.value = [...draft.approvers];
      select.disabled = !s.editable;
      chosen.replaceChildren(
        ...draft.approvers.map((id) => {
          const u = s.users.find((x) => x.id === id);
          return h('li', { testid: 'cr-approver', 'data-user-id': id }, u ? `${u.name} (${u.username})` : `${id} (not an active user of this org)`);
        }),
      );
      note.textContent = draft.approvers.length ? 'Only these people may approve or reject.' : 'No approvers: anyone but the submitter may approve.';
    },
  };
}
