/** The record's header: number, CR, source → target, status, test level, people; the banner and busy line. */
import type { BannerKind, PanelState } from '../../shared/deploymentProtocol';
import type { Section } from './app';
import { h } from '../changeRequest/dom';

export interface HeaderSection extends Section {
  showBanner(kind: BannerKind, text: string): void;
  hideBanner(): void;
  setBusy(what: string | undefined): void;
}

export function headerSection(): HeaderSection {
  const title = h('h1', { testid: 'dep-number' });
  const status = h('vscode-badge', { testid: 'dep-status' });
  const route = h('p', { class: 'meta', testid: 'dep-route' });
  const level = h('p', { class: 'meta', testid: 'dep-test-level' });
  const people = h('p', { class: 'meta', testid: 'dep-people' });
  const busy = h('p', { class: 'meta', testid: 'dep-busy', hidden: true });
  const banner = h('div', { class: 'banner', testid: 'dep-banner', role: 'alert', hidden: true });
  const el = h('div', {}, h('header', {}, title, status), route, level, people, busy, banner);
  return {
    el,
    update(s: PanelState) {
      const x = s.header;
      title.textContent = x.number;
      status.textContent = x.status;
      route.textContent = `${x.crNumber}: ${x.source} → ${x.target}`;
      level.textContent = `Test level: ${x.testLevel}${x.runTests.length ? ` — ${x.runTests.join(', ')}` : ''}`;
      people.textContent = `Created by ${x.createdBy || 'unknown'} · Approvers: ${x.approvers.length ? x.approvers.join(', ') : 'none'}`;
    },
    showBanner(kind, text) {
      banner.className = `banner ${kind}`;
      banner.textContent = text;
      banner.hidden = false;
    },
    hideBanner() {
      banner.hidden = true;
    },
    setBusy(what) {
      busy.hidden = !what;
      busy.textContent = what ?? '';
    },
  };
}
