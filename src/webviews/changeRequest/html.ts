/**
 * The change request editor's HTML: an empty shell with a strict Content Security Policy that loads
 * the bundled script by nonce. No org data goes into the HTML; it arrives by message and is
 * rendered as text. Pure (no vscode import) so it is unit-tested.
 *
 * Styles: @vscode-elements (Lit) styles its components with constructable stylesheets
 * (adoptedStyleSheets), which `style-src` does not govern, so no 'unsafe-inline' is needed; the
 * page's own styles are one nonce'd <style> block and the codicon stylesheet from dist/webview.
 */
import { webviewPage } from '../shared/page';
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
  header { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin: 16px 0 4px; }
  header h1 { font-size: 1.4em; margin: 0; font-weight: 600; }
  .meta { color: var(--vscode-descriptionForeground); margin: 2px 0; }
  .banner { padding: 8px 12px; margin: 10px 0; border-left: 3px solid; white-space: pre-wrap; }
  .banner.error { border-color: var(--vscode-inputValidation-errorBorder); background: var(--vscode-inputValidation-errorBackground); }
  .banner.warning { border-color: var(--vscode-inputValidation-warningBorder); background: var(--vscode-inputValidation-warningBackground); }
  .banner.info { border-color: var(--vscode-inputValidation-infoBorder); background: var(--vscode-inputValidation-infoBackground); }
  .field { display: flex; flex-direction: column; gap: 4px; margin: 10px 0; }
  .field > label, .label { font-weight: 600; }
  .field > vscode-textfield, .field > vscode-textarea, #cr-approvers { width: 100%; max-width: 720px; }
  .field-error { color: var(--vscode-errorForeground); min-height: 1em; }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  .grow { flex: 1 1 200px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, transparent); vertical-align: top; }
  .empty { color: var(--vscode-descriptionForeground); font-style: italic; }
  .results { max-height: 240px; overflow: auto; margin-top: 6px; }
  .timeline { list-style: none; padding: 0; }
  .timeline li { padding: 6px 0 6px 10px; border-left: 2px solid var(--vscode-editorWidget-border, #888); margin-bottom: 4px; }
  .timeline li.tampered { border-left-color: var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); }
  .conflict-field { margin: 8px 0; padding: 8px; border: 1px solid var(--vscode-inputValidation-warningBorder); }
  .sides { display: grid; grid-template-columns: 90px 1fr; gap: 2px 8px; }
  .value { white-space: pre-wrap; word-break: break-word; }
  pre.kept { white-space: pre-wrap; word-break: break-word; margin: 0; padding: 6px 8px; max-width: 720px; font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); }
  .actions { display: flex; gap: 8px; margin-top: 12px; }
  section { margin-top: 18px; }
  h2 { font-size: 1.1em; margin: 0 0 6px; }
  [hidden] { display: none !important; }
`;

export function html(i: HtmlInput): string {
  return webviewPage({
    csp: csp(i.cspSource, i.nonce),
    nonce: i.nonce,
    title: 'Change Request',
    codiconUri: i.codiconUri,
    scriptUri: i.scriptUri,
    head: `<style nonce="${attr(i.nonce)}">${STYLE}</style>`,
    main: '<p class="empty" id="loading">Loading the change request…</p>',
    testId: 'cr-app',
  });
}
