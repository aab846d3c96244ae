/**
 * The deployment panel webview: says `ready`, receives the record as data, renders it as text, and
 * sends the actions the user clicks to the host (which runs them through the commands). It keeps
 * the environment and record id with setState, so a reload restores the panel.
 */
import '@vscode-elements/elements';
import type { FromWebview, PanelState, ToWebview, WebviewState } from '../../shared/deploymentProtocol';
import { actionsSection } from './actions';
import type { App, Section } from './app';
import { componentsSection, dependenciesSection, packageSection } from './contents';
import { headerSection } from './header';
import { historySection } from './history';
import { runsSection } from './runs';
import { button, h } from '../changeRequest/dom';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: PanelState | undefined;
let busy = false;

const app: App = {
  state: () => state,
  busy: () => busy,
  post: (m) => vscode.postMessage(m),
};

const header = headerSection();
const sections: Section[] = [header, actionsSection(app), componentsSection(), packageSection(app), dependenciesSection(), runsSection(), historySection()];

function render(): void {
  if (state) for (const s of sections) s.update(state);
}

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'state': {
      const first = !state;
      state = m.state;
      vscode.setState({ environment: state.environment, id: state.id });
      if (first) document.getElementById('app')!.replaceChildren(...sections.map((s) => s.el));
      render();
      if (m.state.banner) header.showBanner(m.state.banner.kind, m.state.banner.text);
      else header.hideBanner();
      break;
    }
    case 'busy':
      busy = m.busy;
      header.setBusy(m.busy ? (m.what ?? 'Working…') : undefined);
      render();
      break;
    case 'failed':
      document.getElementById('app')!.replaceChildren(
        h('div', { class: 'banner error', testid: 'dep-failed', role: 'alert' }, m.text),
        button('Try Again', 'dep-retry', () => vscode.postMessage({ type: 'retry' })),
      );
      break;
    case 'banner':
      if (!state) document.getElementById('app')!.replaceChildren(h('div', { class: `banner ${m.kind}`, testid: 'dep-banner', role: 'alert' }, m.text));
      else header.showBanner(m.kind, m.text);
      break;
  }
});

vscode.postMessage({ type: 'ready' });
