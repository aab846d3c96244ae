/** What the editor's sections share: the state from the host, the draft, and the way to talk back. */
import type { DraftFields, FromWebview, PanelState } from '../../shared/changeRequestProtocol';

export interface App {
  state(): PanelState | undefined;
  draft(): DraftFields | undefined;
  /** Applies an edit to the draft: saved in the webview state, dirty marker updated, sections redrawn. */
  edit(change: (d: DraftFields) => void): void;
  post(m: FromWebview): void;
  knownTypes(): readonly string[] | undefined;
  dirty(): boolean;
  busy(): boolean;
  /** The approve / reject comment (kept across reloads). */
  comment: string;
  persist(): void;
}

export interface Section {
  el: HTMLElement;
  /** Redraws from the state and the draft; `draftReplaced` when inputs must take the draft's values. */
  update(s: PanelState, draft: DraftFields, draftReplaced: boolean): void;
}
