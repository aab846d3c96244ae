/**
 * The change request editor webview: says `ready`, receives the CR as data, keeps the user's edits
 * as a draft (in the webview state, so a reload restores them) and sends save / status / resolve
 * requests to the host. Everything from the org is rendered as text.
 */
import '@vscode-elements/elements';
import type { DraftFields, FromWebview, PanelState, ToWebview, WebviewState } from '../../shared/changeRequestProtocol';
import { actionsSection } from './actions';
import type { App, Section } from './app';
import { approversSection } from './approvers';
import { componentsSection } from './components';
import { conflictSection } from './conflict';
import { h } from './dom';
import { cloneDraft, sameDraft } from './draft';
import { fieldsSection } from './fields';
import { headerSection } from './header';
import { historySection } from './history';
import { unloadedView } from './unloaded';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as Partial<WebviewState> | undefined;

let state: PanelState | undefined;
let draft: DraftFields | undefined = saved?.draft ? cloneDraft(saved.draft) : undefined;
let types: string[] | undefined;
let busy = false;
let lastDirty: boolean | undefined;

const isDirty = (): boolean => !!(state && draft && !sameDraft(draft, state.cr));

const app: App = {
  state: () => state,
  draft: () => draft,
  knownTypes: () => types,
  dirty: isDirty,
  busy: () => busy,
  comment: typeof saved?.comment === 'string' ? saved.comment : '',
  post: (m) => vscode.postMessage(m),
  persist,
  edit(change) {
    if (!draft || !state?.editable) return;
    change(draft);
    persist();
    render(false);
  },
};

function persist(): void {
  if (!state) return;
  vscode.setState({ environment: state.environment, id: state.id, ...(draft && isDirty() ? { draft } : {}), ...(app.comment ? { comment: app.comment } : {}) });
  const dirty = isDirty();
  if (dirty !== lastDirty) {
    lastDirty = dirty;
    vscode.postMessage({ type: 'dirty', dirty });
  }
}

function save(): void {
  if (!draft || !state?.editable || busy) return;
  vscode.postMessage({ type: 'save', fields: cloneDraft(draft) });
}

const header = headerSection(app);
const sections: Section[] = [header, conflictSection(app), fieldsSection(app), componentsSection(app), approversSection(app), actionsSection(app, save), historySection()];
const components = sections[3] as ReturnType<typeof componentsSection>;

function render(replaced: boolean): void {
  if (!state || !draft) return;
  for (const s of sections) s.update(state, draft, replaced);
}

function mount(): void {
  const root = document.getElementById('app')!;
  root.replaceChildren(...sections.map((s) => s.el));
}

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'state': {
      const first = !state;
      state = m.state;
      if (first) mount();
      const replace = m.state.replaceDraft || !draft;
      if (replace) draft = cloneDraft(m.state.cr);
      persist();
      render(replace || first);
      if (m.state.banner) header.showBanner(m.state.banner.kind, m.state.banner.text);
      else hideBanner();
      if (first && !types) vscode.postMessage({ type: 'listTypes' });
      break;
    }
    case 'types':
      types = m.types;
      components.setTypes(m.types);
      break;
    case 'components':
      components.setResults(m.componentType, m.query, m.items, m.total);
      break;
    case 'busy':
      busy = m.busy;
      header.setBusy(m.busy ? (m.what ?? 'Working…') : undefined);
      render(false);
      break;
    case 'failed': {
      // Nothing loaded: say why, and offer back the edits kept from before a reload (never drop them).
      const kept = draft ?? (m.draft ? cloneDraft(m.draft) : undefined);
      draft = kept;
      if (saved?.environment && saved.id) vscode.setState({ environment: saved.environment, id: saved.id, ...(kept ? { draft: kept } : {}), ...(app.comment ? { comment: app.comment } : {}) });
      document.getElementById('app')!.replaceChildren(
        unloadedView(m.text, kept, { retry: () => vscode.postMessage({ type: 'retry' }), openDraft: (d) => vscode.postMessage({ type: 'openDraft', fields: cloneDraft(d) }) }),
      );
      break;
    }
    case 'banner':
      if (!state) document.getElementById('app')!.replaceChildren(h('div', { class: `banner ${m.kind}`, testid: 'cr-banner', role: 'alert' }, m.text));
      else header.showBanner(m.kind, m.text);
      break;
  }
});

function hideBanner(): void {
  const b = document.querySelector<HTMLElement>('[data-testid="cr-banner"]');
  if (b) b.hidden = true;
}

// Ctrl+S / Cmd+S saves, as in an editor.
window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
    e.preventDefault();
    save();
  }
});

vscode.postMessage({ type: 'ready' });
