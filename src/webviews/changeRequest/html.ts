/**
 * The change request editor's HTML: an empty shell with a strict Content Security Policy that loads
 * the bundled script by nonce. No org data goes into the HTML; it arrives by message and is
 * rendered as text. Pure (no vscode import) so it is unit-tested.
 *
 * Styles: @vscode-elements (Lit) styles its components with constructable stylesheets
 * (adoptedStyleSheets), which `style-src` does not govern, so no 'unsafe-inline' is needed; the
 * page's own styles are one nonce'd <style> block and the codicon stylesheet from dist/webview.
 */
import { RECORD_PAGE_STYLE, webviewPage } from '../shared/page';
import { contentSecurityPolicy, escapeAttr, makeNonce } from '../shared/security';

export { makeNonce };

export interface HtmlInput {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri(dist/webview/changeRequest.js) */
  scriptUri: string;
  /** webview.asWebviewUri(dist/webview/codicon.css) */
  codiconUri: string;
}

const attr = escapeAttr;

export function csp(cspSource: string, nonce: string): string {
  return contentSecurityPolicy(cspSource, nonce, { inlineStyleNonce: true, dataImages: true });
}

const STYLE = `
  body { padding: 0 20px 40px; max-width: 980px; font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  .field { display: flex; flex-direction: column; gap: 4px; margin: 10px 0; }
  .field > label, .label { font-weight: 600; }
  .field > vscode-textfield, .field > vscode-textarea, #cr-approvers { width: 100%; max-width: 720px; }
  .field-error { color: var(--vscode-errorForeground); min-height: 1em; }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  .grow { flex: 1 1 200px; }
  .results { max-height: 240px; overflow: auto; margin-top: 6px; }
  .conflict-field { margin: 8px 0; padding: 8px; border: 1px solid var(--vscode-inputValidation-warningBorder); }
  .sides { display: grid; grid-template-columns: 90px 1fr; gap: 2px 8px; }
  .value { white-space: pre-wrap; word-break: break-word; }
  pre.kept { white-space: pre-wrap; word-break: break-word; margin: 0; padding: 6px 8px; max-width: 720px; font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); }
  .actions { display: flex; gap: 8px; margin-top: 12px; }
`;

export function html(i: HtmlInput): string {
  return webviewPage({
    csp: csp(i.cspSource, i.nonce),
    nonce: i.nonce,
    title: 'Change Request',
    codiconUri: i.codiconUri,
    scriptUri: i.scriptUri,
    head: `<style nonce="${attr(i.nonce)}">${RECORD_PAGE_STYLE}${STYLE}</style>`,
    main: '<p class="empty" id="loading">Loading the change request…</p>',
    testId: 'cr-app',
  });
}
