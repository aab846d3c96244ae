/**
 * Customizations (components in this org, added from a picker that searches the org's components
 * of a type) and proposed customizations (type + full name typed in, type checked against the
 * org's metadata types).
 */
import type { ComponentItem, PanelState } from '../../shared/changeRequestProtocol';
import type { App, Section } from './app';
import { button, h, setOptions, type ValueElement } from './dom';
import { componentError } from './draft';

type ListKey = 'customizations' | 'proposedCustomizations';

function componentTable(app: App, list: ListKey, testid: string, editable: boolean, items: ComponentItem[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'empty', testid: `${testid}-empty` }, 'None yet.');
  const rows = items.map((c, i) =>
    h(
      'tr',
      { testid: `${testid}-row`, 'data-type': c.type, 'data-full-name': c.fullName },
      h('td', {}, c.type),
      h('td', {}, c.fullName),
      h('td', {}, editable ? button('Remove', `${testid}-remove`, () => app.edit((d) => d[list].splice(i, 1)), { secondary: true, icon: 'trash' }) : undefined),
    ),
  );
  return h('table', { testid }, h('thead', {}, h('tr', {}, h('th', {}, 'Type'), h('th', {}, 'Full name'), h('th', {}, ''))), h('tbody', {}, ...rows));
}

export interface ComponentsSection extends Section {
  /** Metadata types of the org arrived. */
  setTypes(types: string[]): void;
  /** Search results arrived. */
  setResults(componentType: string, query: string, items: ComponentItem[], total: number): void;
}

export function componentsSection(app: App): ComponentsSection {
  const current = h('div', {});
  const proposedList = h('div', {});

  // Picker: type + search → results with Add buttons.
  const pickType = h('vscode-single-select', { id: 'cr-picker-type', testid: 'cr-picker-type', combobox: true }) as ValueElement;
  const search = h('vscode-textfield', { id: 'cr-picker-search', testid: 'cr-picker-search', placeholder: 'Name contains…' }) as ValueElement;
  const results = h('div', { class: 'results', testid: 'cr-picker-results' });
  const pickerNote = h('div', { class: 'meta', testid: 'cr-picker-note' }, 'Loading the metadata types of the org…');
  let searchTimer: number | undefined;
  /** The chosen type (the select may report '' until its options are laid out). */
  let chosenType = '';
  const runSearch = (): void => {
    chosenType = pickType.value || chosenType;
    if (!chosenType) return;
    pickerNote.textContent = `Searching ${chosenType}…`;
    app.post({ type: 'listComponents', componentType: chosenType, query: search.value });
  };
  const go = button('Search', 'cr-picker-search-go', runSearch, { secondary: true, icon: 'search' });
  pickType.addEventListener('change', runSearch);
  search.addEventListener('input', () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 250);
  });
  search.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') runSearch();
  });
  const picker = h(
    'div',
    { testid: 'cr-picker' },
    h('div', { class: 'row' }, h('span', { class: 'label' }, 'Add from the org:'), pickType, h('span', { class: 'grow' }, search), go),
    pickerNote,
    results,
  );

  // Proposed: typed in.
  const propType = h('vscode-textfield', { id: 'cr-proposed-type', testid: 'cr-proposed-type', placeholder: 'Metadata type, e.g. Flow' }) as ValueElement;
  const propName = h('vscode-textfield', { id: 'cr-proposed-name', testid: 'cr-proposed-name', placeholder: 'Full name, e.g. Onboarding' }) as ValueElement;
  const propErr = h('div', { class: 'field-error', testid: 'cr-proposed-error', 'aria-live': 'polite' });
  const addProposed = button(
    'Add Proposed',
    'cr-add-proposed',
    () => {
      const d = app.draft();
      if (!d) return;
      const c = { type: propType.value.trim(), fullName: propName.value.trim() };
      const err = componentError(c, d.proposedCustomizations, app.knownTypes());
      propErr.textContent = err ?? '';
      propType.invalid = !!err;
      if (err) return;
      propType.value = '';
      propName.value = '';
      app.edit((x) => x.proposedCustomizations.push(c));
    },
    { icon: 'add' },
  );
  propType.addEventListener('input', () => {
    const known = app.knownTypes();
    const t = propType.value.trim();
    const err = t && known?.length && !known.includes(t) ? `"${t}" is not a metadata type this org knows.` : '';
    propErr.textContent = err;
    propType.invalid = !!err;
  });
  const proposedAdd = h('div', { class: 'row', testid: 'cr-proposed-add' }, propType, propName, addProposed);

  const el = h(
    'div',
    {},
    h('section', { testid: 'cr-customizations-section' }, h('h2', {}, 'Customizations'), current, picker),
    h('section', { testid: 'cr-proposed-section' }, h('h2', {}, 'Proposed customizations'), h('p', { class: 'meta' }, 'Components not yet in this org.'), proposedList, proposedAdd, propErr),
  );

  let lastResults: { componentType: string; items: ComponentItem[]; total: number; query: string } | undefined;
  const drawResults = (): void => {
    const d = app.draft();
    if (!lastResults || !d) return;
    const { items, total, componentType, query } = lastResults;
    pickerNote.textContent = total === 0 ? `No ${componentType} matches "${query}".` : total > items.length ? `${total} matches; showing the first ${items.length}. Narrow the search.` : `${total} match${total === 1 ? '' : 'es'}.`;
    results.replaceChildren(
      ...items.map((c) => {
        const added = d.customizations.some((x) => x.type === c.type && x.fullName === c.fullName);
        const add = button(added ? 'Added' : 'Add', 'cr-add-customization', () => app.edit((x) => x.customizations.push({ ...c })), { icon: 'add', secondary: added });
        add.disabled = added || !app.state()?.editable;
        return h('div', { class: 'row', testid: 'cr-picker-result', 'data-full-name': c.fullName }, add, h('span', {}, `${c.type} ${c.fullName}`));
      }),
    );
  };

  return {
    el,
    setTypes(types) {
      chosenType = types.includes('ApexClass') ? 'ApexClass' : (types[0] ?? '');
      setOptions(pickType, types.map((t) => ({ value: t, label: t })), chosenType);
      pickerNote.textContent = types.length ? 'Choose a type and search by name.' : 'The org listed no metadata types.';
    },
    setResults(componentType, query, items, total) {
      if (componentType !== chosenType) return;
      lastResults = { componentType, query, items, total };
      drawResults();
    },
    update(s: PanelState, draft) {
      current.replaceChildren(componentTable(app, 'customizations', 'cr-customizations', s.editable, draft.customizations));
      proposedList.replaceChildren(componentTable(app, 'proposedCustomizations', 'cr-proposed', s.editable, draft.proposedCustomizations));
      picker.hidden = !s.editable;
      proposedAdd.hidden = !s.editable;
      drawResults();
    },
  };
}
