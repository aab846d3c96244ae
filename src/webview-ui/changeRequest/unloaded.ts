/**
 * What the editor shows when its change request cannot be loaded: why, and the unsaved edits kept
 * from before a reload, as read-only text, with Try Again and Open Edits as Text so nothing is lost.
 */
import type { DraftFields } from '../../shared/changeRequestProtocol';
import { button, h } from './dom';

const list = (items: Array<{ type: string; fullName: string }>): string => (items.length ? items.map((c) => `${c.type} ${c.fullName}`).join('\n') : '(none)');

export function unloadedView(text: string, draft: DraftFields | undefined, actions: { retry(): void; openDraft(d: DraftFields): void }): HTMLElement {
  const banner = h('div', { class: 'banner error', testid: 'cr-banner', role: 'alert', 'data-kind': 'error' }, text);
  const retry = button('Try Again', 'cr-retry', actions.retry);
  if (!draft) return h('div', { testid: 'cr-unloaded' }, banner, h('div', { class: 'actions' }, retry));
  const row = (label: string, value: string, testid: string) =>
    h('div', { class: 'field' }, h('label', {}, label), h('pre', { class: 'kept', testid }, value || '(empty)'));
  return h(
    'div',
    { testid: 'cr-unloaded' },
    banner,
    h('h2', {}, 'Your unsaved edits'),
    row('Name', draft.name, 'cr-kept-name'),
    row('Change type', draft.changeType, 'cr-kept-change-type'),
    row('Overview', draft.overview, 'cr-kept-overview'),
    row('Customizations', list(draft.customizations), 'cr-kept-customizations'),
    row('Proposed customizations', list(draft.proposedCustomizations), 'cr-kept-proposed'),
    row('Additional approvers (user ids)', draft.approvers.join('\n') || '(none)', 'cr-kept-approvers'),
    h('div', { class: 'actions' }, retry, button('Open Edits as Text', 'cr-open-draft', () => actions.openDraft(draft), { secondary: true })),
  );
}
