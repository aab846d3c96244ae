import * as assert from 'node:assert/strict';
import { csp, html, makeNonce } from '../../../src/webviews/changeRequest/html';

const input = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Utbm9uY2Utbm9uY2U=',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/changeRequest.js',
  codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/codicon.css',
};

function policy(page: string): Map<string, string> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page);
  assert.ok(m, 'the page has a CSP meta tag');
  return new Map(m[1]!.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1).join(' ')]));
}

describe('change request panel HTML', () => {
  it('has a strict CSP: nothing by default, script only by nonce, no unsafe-inline or eval', () => {
    const page = html(input);
    const p = policy(page);
    assert.equal(p.get('default-src'), "'none'");
    assert.equal(p.get('script-src'), `'nonce-${input.nonce}'`);
    assert.equal(p.get('style-src'), `${input.cspSource} 'nonce-${input.nonce}'`);
    assert.equal(p.get('font-src'), input.cspSource);
    assert.equal(p.get('img-src'), `${input.cspSource} data:`);
    assert.doesNotMatch(page, /unsafe-inline|unsafe-eval/);
    assert.equal(csp(input.cspSource, input.nonce).includes('connect-src'), false);
  });

  it('loads exactly one script, by nonce, from dist/webview; every inline style block carries the nonce', () => {
    const page = html(input);
    const scripts = [...page.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]!, new RegExp(`nonce="${input.nonce.replace(/[+/=]/g, (c) => `\\${c}`)}"`));
    const src = /src="([^"]+)"/.exec(scripts[0]!)?.[1];
    assert.ok(src?.endsWith('/dist/webview/changeRequest.js'), `script under dist/webview: ${src}`);
    for (const m of page.matchAll(/<style\b([^>]*)>/g)) assert.match(m[1]!, /nonce="/);
    assert.doesNotMatch(page, /\son[a-z]+=/i, 'no inline event handlers');
    const links = [...page.matchAll(/<link\b[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(links, [input.codiconUri]);
  });

  it('holds no org data: the page is the same for every change request', () => {
    const page = html(input);
    assert.doesNotMatch(page, /CR-\d|Discount|@|005\w{12}/);
    assert.equal(html(input), page);
  });

  it('escapes what goes into attributes', () => {
    const page = html({ ...input, scriptUri: 'https://x/dist/webview/changeRequest.js"><script>alert(1)</script>' });
    assert.equal([...page.matchAll(/<script\b/g)].length, 1);
  });

  it('makes a fresh 128-bit nonce from crypto each time', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[0-9a-f]{32}$/, '128 bits as hex');
  });
});
