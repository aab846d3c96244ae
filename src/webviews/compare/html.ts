/**
 * The compare panel's HTML: a pure function (no `vscode`), unit-tested. Strict CSP: nothing but
 * the bundle folder's script (by nonce), styles and font; no inline script or style. The page
 * holds only the static frame; org data arrives by message and is rendered as text.
 */
import { webviewPage } from '../shared/page';
import { contentSecurityPolicy, escapeAttr, escapeHtml, makeNonce } from '../shared/security';

export interface CompareHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  /** URIs (as strings) of dist/webview/compare.js, compare.css and codicon.css. */
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** Panel title, e.g. "Compare UAT ↔ Production" (escaped here). */
  title: string;
  /** For tests; a fresh random nonce otherwise. */
  nonce?: string;
}

export { makeNonce as newNonce, escapeHtml };

export function compareHtml(input: CompareHtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  return webviewPage({
    csp: contentSecurityPolicy(input.cspSource, nonce),
    nonce,
    title: input.title,
    codiconUri: input.codiconUri,
    scriptUri: input.scriptUri,
    head: `<link rel="stylesheet" href="${escapeAttr(input.styleUri)}">`,
    main: '<p class="muted" data-testid="compare-loading">Loading compare result…</p>',
    testId: 'compare-app',
  });
}
