/**
 * The deployment log panel's HTML: an empty shell with a strict Content Security Policy that loads
 * the bundled script by nonce. No org data goes into the HTML; it arrives by message and is
 * rendered as text. Pure (no vscode import).
 */
import { RECORD_PAGE_STYLE, webviewPage } from '../shared/page';
import { contentSecurityPolicy, escapeAttr } from '../shared/security';

export interface HtmlInput {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  codiconUri: string;
}

const STYLE = `
  body { padding: 0 20px 40px; font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  .filters { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
  .filters label { color: var(--vscode-descriptionForeground); }
  .note { color: var(--vscode-descriptionForeground); margin: 4px 0; }
  tr.row { cursor: pointer; }
  tr.row:hover, tr.row.selected { background: var(--vscode-list-hoverBackground); }
  tr.row.selected { outline: 1px solid var(--vscode-focusBorder); }
  .succeeded { color: var(--vscode-testing-iconPassed, inherit); }
  .failed { color: var(--vscode-errorForeground); }
  .canceled { color: var(--vscode-disabledForeground); }
  .running { color: var(--vscode-charts-blue, inherit); }
  .tag { font-size: 0.85em; padding: 0 6px; border-radius: 8px; border: 1px solid var(--vscode-editorWidget-border, #888); margin-left: 4px; white-space: nowrap; }
  .details { padding: 8px 12px; background: var(--vscode-editorWidget-background); }
  pre.stack { white-space: pre-wrap; word-break: break-word; margin: 4px 0 0; padding: 4px 8px; font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); }
`;

export function html(i: HtmlInput): string {
  return webviewPage({
    csp: contentSecurityPolicy(i.cspSource, i.nonce, { inlineStyleNonce: true }),
    nonce: i.nonce,
    title: 'Deployment Log',
    codiconUri: i.codiconUri,
    scriptUri: i.scriptUri,
    head: `<style nonce="${escapeAttr(i.nonce)}">${RECORD_PAGE_STYLE}${STYLE}</style>`,
    main: '<p class="empty" id="loading">Reading the deployment log…</p>',
    testId: 'log-app',
  });
}
