/** Title, status, who created it, where it came from, the banner and the busy line. */
import type { PanelState } from '../../shared/changeRequestProtocol';
import type { App, Section } from './app';
import { button, h } from './dom';

export function headerSection(app: App): Section & { setBusy(text: string | undefined): void; showBanner(kind: string, text: string): void } {
  const title = h('h1', { testid: 'cr-title' });
  const status = h('vscode-badge', { testid: 'cr-status' });
  const dirty = h('span', { testid: 'cr-dirty', class: 'meta', hidden: true }, '● unsaved changes');
  const meta = h('p', { class: 'meta', testid: 'cr-meta' });
  const origin = h('p', { class: 'meta', testid: 'cr-origin', hidden: true });
  const deployedText = h('span', { testid: 'cr-deployed-by-text' });
  const openDeployment = button('Open Deployment', 'cr-open-deployment', () => app.post({ type: 'openDeployment' }), { secondary: true, icon: 'link-external', title: 'Open the deployment record that deployed this change request' });
  const deployedBy = h('p', { class: 'meta', testid: 'cr-deployed-by', hidden: true }, deployedText, ' ', openDeployment);
  const banner = h('div', { testid: 'cr-banner', role: 'alert', hidden: true });
  const remote = h('div', { class: 'banner info', testid: 'cr-remote-changed', hidden: true }, 'This change request was changed in the org while you were editing: your save will be checked for conflicts.');
  const busy = h('vscode-progress-bar', { testid: 'cr-busy', hidden: true });
  const el = h('div', {}, h('header', {}, title, status, dirty), meta, origin, deployedBy, busy, banner, remote);

  const showBanner = (kind: string, text: string): void => {
    banner.className = `banner ${kind}`;
    banner.setAttribute('data-kind', kind);
    banner.textContent = text;
    banner.hidden = false;
  };
  return {
    el,
    showBanner,
    setBusy(text) {
      busy.hidden = !text;
      if (text) busy.title = text;
    },
    update(s: PanelState) {
      title.textContent = [s.cr.number, s.cr.name].filter(Boolean).join(' · ');
      status.textContent = s.cr.status;
      dirty.hidden = !app.dirty();
      meta.textContent = `${s.environment} · created by ${s.cr.createdBy || 'unknown'} · you are ${s.me.name || s.me.userId}`;
      origin.hidden = !s.cr.originLine;
      origin.textContent = s.cr.originLine ?? '';
      deployedBy.hidden = !s.cr.deployedBy;
      deployedText.textContent = s.cr.deployedBy?.text ?? '';
      openDeployment.hidden = !s.cr.deployedBy?.openable;
      remote.hidden = !(s.remoteChanged && app.dirty());
    },
  };
}

/** Shows the banner that came with a state, or hides it when none. */
export function bannerFrom(s: PanelState, show: (kind: string, text: string) => void, hide: () => void): void {
  if (s.banner) show(s.banner.kind, s.banner.text);
  else hide();
}
