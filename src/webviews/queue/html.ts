/**
 * The deployment queue panel's HTML: an empty shell under a strict Content Security Policy that
 * loads the bundled script by nonce. No org data in the HTML: it arrives by message and is
 * rendered as text. Pure (no vscode import).
 */
import { RECORD_PAGE_STYLE, webviewPage } from '../shared/page';
import { contentSecurityPolicy, escapeAttr, makeNonce } from '../shared/security';

export { makeNonce };

export interface HtmlInput {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  codiconUri: string;
}

const STYLE = `
  body { padding: 0 20px 40px; max-width: 1080px; font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  .entry { border: 1px solid var(--vscode-editorWidget-border, #888); border-radius: 4px; padding: 8px 12px; margin: 10px 0; }
  .entry h2 { margin: 0 0 4px; }
  .message { white-space: pre-wrap; margin: 6px 0; }
  .actions { display: flex; gap: 8px; margin-top: 8px; }
  .link { cursor: pointer; color: var(--vscode-textLink-foreground); background: none; border: none; padding: 0; font: inherit; text-align: left; }
`;

export function html(i: HtmlInput): string {
  return webviewPage({
    csp: contentSecurityPolicy(i.cspSource, i.nonce, { inlineStyleNonce: true }),
    nonce: i.nonce,
    title: 'Deployment Queue',
    codiconUri: i.codiconUri,
    scriptUri: i.scriptUri,
    head: `<style nonce="${escapeAttr(i.nonce)}">${RECORD_PAGE_STYLE}${STYLE}</style>`,
    main: '<p class="empty" id="loading">Loading the deployment queue…</p>',
    testId: 'queue-app',
  });
}
