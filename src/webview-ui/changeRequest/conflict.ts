/** A save that met someone else's edit: per field, the base / mine / theirs values and a choice. */
import type { PanelState, ConflictView } from '../../shared/changeRequestProtocol';
import type { App, Section } from './app';
import { button, h } from './dom';

type Choices = Record<string, 'mine' | 'theirs'>;

function sideRow(label: string, value: string, testid: string): HTMLElement[] {
  return [h('span', { class: 'label' }, label), h('span', { class: 'value', testid }, value)];
}

export function conflictSection(app: App): Section {
  const el = h('section', { testid: 'cr-conflict', hidden: true });
  let shown: ConflictView | undefined;
  let choices: Choices = {};
  const draw = (c: ConflictView): void => {
    const fields = c.fields.map((f) => {
      const radios = h('vscode-radio-group', { testid: `cr-conflict-choice-${f.field}` });
      for (const side of ['mine', 'theirs'] as const) {
        const r = h('vscode-radio', { name: `choice-${f.field}`, value: side, label: side === 'mine' ? 'Keep mine' : 'Take theirs', testid: `cr-conflict-${f.field}-${side}`, checked: choices[f.field] === side });
        r.addEventListener('change', () => {
          if ((r as unknown as { checked: boolean }).checked) choices[f.field] = side;
        });
        radios.append(r);
      }
      return h(
        'div',
        { class: 'conflict-field', testid: 'cr-conflict-field', 'data-field': f.field },
        h('div', { class: 'label' }, f.label),
        h('div', { class: 'sides' }, ...sideRow('Before', f.base, 'cr-conflict-base'), ...sideRow('Mine', f.mine, 'cr-conflict-mine'), ...sideRow('Theirs', f.theirs, 'cr-conflict-theirs')),
        radios,
      );
    });
    const merged: string[] = [];
    if (c.fromTheirs.length) merged.push(`Taken from theirs (only they changed it): ${c.fromTheirs.join(', ')}.`);
    if (c.fromMine.length) merged.push(`Kept from yours (only you changed it): ${c.fromMine.join(', ')}.`);
    el.replaceChildren(
      h('h2', {}, 'Someone else changed this change request'),
      h('p', {}, c.fields.length ? 'Choose, for each field, your version or theirs; then save the resolution.' : 'Nothing collides: review the merged version and save it.'),
      ...fields,
      ...merged.map((m) => h('p', { class: 'meta' }, m)),
      h(
        'div',
        { class: 'row' },
        button('Save Resolution', 'cr-save-resolution', () => app.post({ type: 'resolve', choices: { ...choices } }), { icon: 'check' }),
        button('Discard Mine and Reload', 'cr-conflict-reload', () => app.post({ type: 'reload' }), { secondary: true }),
      ),
    );
  };
  return {
    el,
    update(s: PanelState) {
      el.hidden = !s.conflict;
      if (!s.conflict) {
        shown = undefined;
        choices = {};
        return;
      }
      if (shown !== s.conflict) {
        if (JSON.stringify(shown) !== JSON.stringify(s.conflict)) choices = {};
        shown = s.conflict;
        draw(s.conflict);
      }
    },
  };
}
