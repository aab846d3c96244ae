/** Name, change type and overview. */
import { CHANGE_TYPES, NAME_MAX, type ChangeType } from '../../core/change-requests/model';
import type { PanelState } from '../../shared/changeRequestProtocol';
import type { App, Section } from './app';
import { h, setOptions, type ValueElement } from './dom';
import { nameError } from './draft';

export function fieldsSection(app: App): Section {
  const name = h('vscode-textfield', { id: 'cr-name', testid: 'cr-name', placeholder: 'What this change does' }) as ValueElement;
  const nameErr = h('div', { class: 'field-error', testid: 'cr-name-error', 'aria-live': 'polite' });
  const type = h('vscode-single-select', { id: 'cr-change-type', testid: 'cr-change-type' }) as ValueElement;
  setOptions(type, CHANGE_TYPES.map((t) => ({ value: t, label: t })));
  const overview = h('vscode-textarea', { id: 'cr-overview', testid: 'cr-overview', rows: 6, placeholder: 'Why, what, how to test' }) as ValueElement;

  const showNameError = (): void => {
    const err = nameError(name.value);
    nameErr.textContent = err ?? '';
    name.invalid = !!err;
  };
  name.addEventListener('input', () => {
    app.edit((d) => (d.name = name.value));
    showNameError();
  });
  type.addEventListener('change', () => app.edit((d) => (d.changeType = type.value as ChangeType)));
  overview.addEventListener('input', () => app.edit((d) => (d.overview = overview.value)));

  const el = h(
    'section',
    { testid: 'cr-fields' },
    h('div', { class: 'field' }, h('label', { for: 'cr-name' }, `Name (up to ${NAME_MAX} characters)`), name, nameErr),
    h('div', { class: 'field' }, h('label', { for: 'cr-change-type' }, 'Change type'), type),
    h('div', { class: 'field' }, h('label', { for: 'cr-overview' }, 'Overview'), overview),
  );
  return {
    el,
    update(s: PanelState, draft, replaced) {
      if (replaced) {
        name.value = draft.name;
        type.value = draft.changeType;
        overview.value = draft.overview;
        showNameError();
      }
      for (const e of [name, type, overview]) e.disabled = !s.editable;
    },
  };
}
