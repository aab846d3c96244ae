/**
 * The HTML shell every Changeline panel uses: CSP, codicon stylesheet, the page's own styles, a
 * `<main>` placeholder and the one script, by nonce. Pure (no `vscode`); the panels' builders are
 * unit-tested through it. `head` and `main` are static markup written by Changeline, never org data.
 */
import { escapeAttr, escapeHtml } from './security';

export interface PageShell {
  /** The Content-Security-Policy value (see contentSecurityPolicy). */
  csp: string;
  nonce: string;
  /** Escaped here. */
  title: string;
  codiconUri: string;
  scriptUri: string;
  /** Extra head markup: the page's stylesheet link or nonce'd style block. */
  head: string;
  /** The content of `<main id="app">` until the script takes over. */
  main: string;
  /** data-testid of `<main>`. */
  testId: string;
}

/** The styles the record panels (change request editor, deployment panel) share: header, banners, tables, history. */
export const RECORD_PAGE_STYLE = `
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
  .timeline { list-style: none; padding: 0; }
  .timeline li { padding: 6px 0 6px 10px; border-left: 2px solid var(--vscode-editorWidget-border, #888); margin-bottom: 4px; }
  .timeline li.tampered { border-left-color: var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); }
  section { margin-top: 18px; }
  h2 { font-size: 1.1em; margin: 0 0 6px; }
  [hidden] { display: none !important; }
`;

export function webviewPage(p: PageShell): string {
  const attr = escapeAttr;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(p.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.codiconUri)}" id="vscode-codicon-stylesheet">
${p.head}
<title>${escapeHtml(p.title)}</title>
</head>
<body>
<main id="app" data-testid="${attr(p.testId)}">${p.main}</main>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>
`;
}
