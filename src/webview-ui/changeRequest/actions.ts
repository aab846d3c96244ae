/** Save (also Ctrl+S / Cmd+S) and the status changes this user may make, with the decision comment. */
import type { PanelState } from '../../shared/changeRequestProtocol';
import type { App, Section } from './app';
import { button, h, type ValueElement } from './dom';

export function actionsSection(app: App, save: () => void): Section {
  const saveBtn = button('Save', 'cr-save', save, { icon: 'save', title: 'Save (Ctrl+S)' });
  const discard = button('Discard Changes', 'cr-discard', () => app.post({ type: 'reload' }), { secondary: true, icon: 'discard' });
  const saveNote = h('span', { class: 'meta', testid: 'cr-save-note' });
  const comment = h('vscode-textarea', { id: 'cr-comment', testid: 'cr-comment', rows: 2, placeholder: 'Comment (needed to approve or reject)' }) as ValueElement;
  comment.addEventListener('input', () => {
    app.comment = comment.value;
    app.persist();
  });
  const buttons = h('div', { class: 'row', testid: 'cr-actions' });
  const hint = h('p', { class: 'meta', testid: 'cr-action-hint' });
  const commentField = h('div', { class: 'field' }, h('label', { for: 'cr-comment' }, 'Decision comment'), comment);
  const el = h('section', { testid: 'cr-actions-section' }, h('div', { class: 'row' }, saveBtn, discard, saveNote), h('h2', {}, 'Status'), commentField, buttons, hint);
  let lastStatus: string | undefined;
  return {
    el,
    update(s: PanelState) {
      if (lastStatus === undefined) comment.value = app.comment;
      else if (lastStatus !== s.cr.status) {
        // The decision went through: its comment is in the history now.
        app.comment = '';
        comment.value = '';
        app.persist();
      }
      lastStatus = s.cr.status;
      const dirty = app.dirty();
      saveBtn.disabled = !s.editable || app.busy();
      discard.hidden = !dirty;
      saveNote.textContent = dirty ? 'Unsaved changes.' : '';
      commentField.hidden = !s.actions.some((a) => a.needsComment);
      buttons.replaceChildren(
        ...s.actions.map((a) => {
          const b = button(
            a.label,
            a.testId,
            () => {
              if (a.needsComment && !app.comment.trim()) {
                hint.textContent = `Add a comment saying why you ${a.to === 'Approved' ? 'approve' : 'reject'}.`;
                return;
              }
              app.post({ type: 'transition', to: a.to, ...(a.needsComment ? { comment: app.comment } : {}) });
            },
            { secondary: a.to === 'Cancelled' || a.to === 'Rejected' || a.to === 'Draft' },
          );
          b.disabled = dirty || app.busy();
          if (dirty) b.title = 'Save first';
          return b;
        }),
      );
      hint.textContent = dirty && s.actions.length ? 'Save first to change the status.' : (s.actionHint ?? '');
    },
  };
}
