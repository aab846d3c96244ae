import * as assert from 'node:assert/strict';
import { compareHtml, newNonce } from '../../../src/webviews/compare/html';

const input = {
  cspSource: 'https://webview.example',
  scriptUri: 'https://webview.example/dist/webview/compare.js',
  styleUri: 'https://webview.example/dist/webview/compare.css',
  codiconUri: 'https://webview.example/dist/webview/codicon.css',
  title: 'Compare UAT ↔ Production',
  nonce: 'abcdefghijklmnopqrstuvwx',
};

function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(m, 'the page has a CSP meta tag');
  return m[1].replace(/&#39;/g, "'");
}

describe('compare panel html', () => {
  it('allows nothing by default and scripts only by nonce, styles and fonts only from the webview source', () => {
    const policy = csp(compareHtml(input));
    const directives = Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], [`'nonce-${input.nonce}'`]);
    assert.deepEqual(directives['style-src'], [input.cspSource]);
    assert.deepEqual(directives['font-src'], [input.cspSource]);
    assert.ok(!policy.includes('unsafe-inline') && !policy.includes('unsafe-eval'), policy);
  });

  it('loads one script, with the nonce, and no inline script or style', () => {
    const html = compareHtml(input);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${input.nonce}"`));
    assert.match(scripts[0][1], /src="https:\/\/webview\.example\/dist\/webview\/compare\.js"/);
    assert.equal(scripts[0][2].trim(), '', 'no inline code');
    assert.ok(!/<style/.test(html) && !/ style="/.test(html));
    assert.match(html, /id="vscode-codicon-stylesheet"/);
  });

  it('escapes the title and attribute values', () => {
    const html = compareHtml({ ...input, title: 'Compare <img src=x onerror=alert(1)> & "q"', scriptUri: 'https://x/"><script>alert(1)</script>' });
    assert.ok(html.includes('<title>Compare &lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</title>'));
    assert.ok(!html.includes('"><script>alert(1)'));
  });

  it('makes a fresh random nonce per page, and refuses a weak one', () => {
    const a = newNonce();
    const b = newNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(csp(compareHtml({ ...input, nonce: undefined })), csp(compareHtml({ ...input, nonce: undefined })));
    assert.throws(() => compareHtml({ ...input, nonce: 'abc' }), /nonce/);
  });
});
