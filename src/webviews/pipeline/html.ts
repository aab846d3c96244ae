/**
 * The pipeline panel's HTML: an empty shell under a strict Content Security Policy that loads the
 * bundled script by nonce. No org data in the HTML: it arrives by message and is rendered as
 * text. Pure (no vscode import).
 */
import { webviewPage } from '../shared/page';
import { contentSecurityPolicy, escapeAttr, makeNonce } from '../shared/security';

export { makeNonce };

export interface HtmlInput {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  codiconUri: string;
}

const STYLE = `
  body { padding: 0 20px 40px; font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  header { display: flex; align-items: center; gap: 10px; margin: 16px 0 8px; }
  header h1 { font-size: 1.4em; margin: 0; font-weight: 600; }
  .board { position: relative; display: flex; gap: 44px; overflow-x: auto; align-items: flex-start; padding: 8px 0; }
  .stage { display: flex; flex-direction: column; gap: 24px; width: 200px; flex: none; position: relative; z-index: 1; }
  .box { border: 1px solid var(--vscode-editorWidget-border, #888); border-radius: 6px; padding: 8px 10px; background: var(--vscode-editorWidget-background, transparent); }
  .box h2 { margin: 0; font-size: 1.1em; }
  .box .sub { color: var(--vscode-descriptionForeground); margin: 0 0 6px; font-size: 0.9em; }
  .part { display: block; width: 100%; text-align: left; background: none; border: none; padding: 2px 0; font: inherit; color: inherit; cursor: pointer; }
  .part:hover { text-decoration: underline; }
  .part.static { cursor: default; text-decoration: none; }
  .tone-ok::before, .tone-warning::before, .tone-error::before, .tone-muted::before, .tone-busy::before { content: '●'; margin-right: 6px; }
  .tone-ok::before { color: var(--vscode-testing-iconPassed, green); }
  .tone-warning::before { color: var(--vscode-editorWarning-foreground, orange); }
  .tone-error::before { color: var(--vscode-errorForeground, red); }
  .tone-muted::before, .tone-busy::before { color: var(--vscode-descriptionForeground); }
  svg.arrows { position: absolute; left: 0; top: 0; pointer-events: none; z-index: 0; overflow: visible; }
  svg.arrows path { fill: none; stroke: var(--vscode-descriptionForeground); stroke-width: 1.5; }
  svg.arrows path.back { stroke-dasharray: 4 4; opacity: 0.6; }
  svg.arrows marker path { fill: var(--vscode-descriptionForeground); stroke: none; }
  .legend { color: var(--vscode-descriptionForeground); font-size: 0.9em; margin-top: 16px; }
  .empty { color: var(--vscode-descriptionForeground); font-style: italic; }
`;

export function html(i: HtmlInput): string {
  return webviewPage({
    csp: contentSecurityPolicy(i.cspSource, i.nonce, { inlineStyleNonce: true }),
    nonce: i.nonce,
    title: 'Pipeline',
    codiconUri: i.codiconUri,
    scriptUri: i.scriptUri,
    head: `<style nonce="${escapeAttr(i.nonce)}">${STYLE}</style>`,
    main: '<p class="empty" id="loading">Loading the pipeline…</p>',
    testId: 'pipeline-app',
  });
}
