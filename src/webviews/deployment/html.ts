/**
 * The deployment panel's HTML: an empty shell with a strict Content Security Policy that loads the
 * bundled script by nonce. No org data goes into the HTML; it arrives by message and is rendered
 * as text. Pure (no vscode import) so it is unit-tested.
 */
import { webviewPage } from '../shared/page';
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
  header { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin: 16px 0 4px; }
  header h1 { font-size: 1.4em; margin: 0; font-weight: 600; }
  .meta { color: var(--vscode-descriptionForeground); margin: 2px 0; }
  .banner { padding: 8px 12px; margin: 10px 0; border-left: 3px solid; white-space: pre-wrap; }
  .banner.error { border-color: var(--vscode-inputValidation-errorBorder); background: var(--vscode-inputValidation-errorBackground); }
  .banner.warning { border-color: var(--vscode-inputValidation-warningBorder); background: var(--vscode-inputValidation-warningBackground); }
  .banner.info { border-color: var(--vscode-inputValidation-infoBorder); background: var(--vscode-inputValidation-infoBackground); }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, transparent); vertical-align: top; }
  .empty { color: var(--vscode-descriptionForeground); font-style: italic; }
  .marker { font-size: 0.85em; padding: 0 6px; border-radius: 8px; border: 1px solid var(--vscode-editorWidget-border, #888); margin-left: 6px; }
  .marker.missing, .bad { color: var(--vscode-errorForeground); }
  .good { color: var(--vscode-testing-iconPassed, inherit); }
  .scroll { max-height: 320px; overflow: auto; }
  pre.stack { white-space: pre-wrap; word-break: break-word; margin: 4px 0 0; padding: 4px 8px; font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); }
  .timeline { list-style: none; padding: 0; }
  .timeline li { padding: 6px 0 6px 10px; border-left: 2px solid var(--vscode-editorWidget-border, #888); margin-bottom: 4px; }
  .timeline li.tampered { border-left-color: var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); }
  .actions { display: flex; gap: 8px; margin-top: 12px; flex-wrap: wrap; }
  .note { color: var(--vscode-descriptionForeground); margin: 4px 0; }
  .link { cursor: pointer; color: var(--vscode-textLink-foreground); background: none; border: none; padding: 0; font: inherit; text-align: left; }
  section { margin-top: 18px; }
  h2 { font-size: 1.1em; margin: 0 0 6px; }
  [hidden] { display: none !important; }
`;

export function html(i: HtmlInput): string {
  return webviewPage({
    csp: csp(i.cspSource, i.nonce),
    nonce: i.nonce,
    title: 'Deployment',
    codiconUri: i.codiconUri,
    scriptUri: i.scriptUri,
    head: `<style nonce="${escapeAttr(i.nonce)}">${STYLE}</style>`,
    main: '<p class="empty" id="loading">Loading the deployment…</p>',
    testId: 'dep-app',
  });
}
