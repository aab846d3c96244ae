/** What the deployment panel's sections share: the state from the host and the way to talk back. */
import type { FromWebview, PanelState } from '../../shared/deploymentProtocol';

export interface App {
  state(): PanelState | undefined;
  busy(): boolean;
  post(m: FromWebview): void;
}

export interface Section {
  el: HTMLElement;
  update(s: PanelState): void;
}

export function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
