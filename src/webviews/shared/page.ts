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
