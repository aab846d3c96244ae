/**
 * The compare panel's HTML: a pure function (no `vscode`), unit-tested. Strict CSP: nothing but
 * the bundle folder's script (by nonce), styles and font; no inline script or style. The page
 * holds only the static frame; org data arrives by message and is rendered as text.
 */
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
  const csp = contentSecurityPolicy(input.cspSource, nonce);
  const attr = escapeAttr;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<main id="app" data-testid="compare-app"><p class="muted" data-testid="compare-loading">Loading compare result…</p></main>
<script nonce="${nonce}" src="${attr(input.scriptUri)}"></script>
</body>
</html>
`;
}
