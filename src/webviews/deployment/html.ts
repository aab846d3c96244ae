/**
 * The deployment panel's HTML: an empty shell with a strict Content Security Policy that loads the
 * bundled script by nonce. No org data goes into the HTML; it arrives by message and is rendered
 * as text. Pure (no vscode import) so it is unit-tested.
 */
import { RECORD_PAGE_STYLE, webviewPage } from '../shared/page';
import { contentSecurityPolicy, escapeAttr, makeNonce } from '../shared/security';

export { makeNonce };

export interface HtmlInput {
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri(dist/webview/deployment.js) */
  scriptUri: string;
  codiconUri: string;
}

export function csp(cspSource: string, nonce: string): string {
  return contentSecurityPolicy(cspSource, nonce, { inlineStyleNonce: true, dataImages: true });
}

const STYLE = `
  body { padding: 0 20px 40px; max-width: 1080px; font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  .marker { font-size: 0.85em; padding: 0 6px; border-radius: 8px; border: 1px solid var(--vscode-editorWidget-border, #888); margin-left: 6px; }
  .marker.missing, .bad { color: var(--vscode-errorForeground); }
  .good { color: var(--vscode-testing-iconPassed, inherit); }
  .scroll { max-height: 320px; overflow: auto; }
  pre.stack { white-space: pre-wrap; word-break: break-word; margin: 4px 0 0; padding: 4px 8px; font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); }
  .actions { display: flex; gap: 8px; margin-top: 12px; flex-wrap: wrap; }
  .note { color: var(--vscode-descriptionForeground); margin: 4px 0; }
  .link { cursor: pointer; color: var(--vscode-textLink-foreground); background: none; border: none; padding: 0; font: inherit; text-align: left; }
`;

export function html(i: HtmlInput): string {
  return webviewPage({
    csp: csp(i.cspSource, i.nonce),
    nonce: i.nonce,
    title: 'Deployment',
    codiconUri: i.codiconUri,
    scriptUri: i.scriptUri,
    head: `<style nonce="${escapeAttr(i.nonce)}">${RECORD_PAGE_STYLE}${STYLE}</style>`,
    main: '<p class="empty" id="loading">Loading the deployment…</p>',
    testId: 'dep-app',
  });
}
