/**
 * What every Changeline webview page shares: the nonce its one script is loaded by, escaping for
 * the few values written into the HTML shell (URIs, a title), and the Content Security Policy.
 * Pure (no `vscode`), unit-tested through the pages' builders.
 */
import { randomBytes } from 'node:crypto';

/** 128 bits from the OS random source, as hex (never Math.random). */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content or any attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Escapes text for a double-quoted attribute (leaves `'` readable, e.g. in the CSP). */
export function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ESCAPES[c]);
}

/**
 * `default-src 'none'`: only the bundle folder's styles, fonts and images, and the one script with
 * the nonce. `inlineStyleNonce` allows one nonce'd <style> block too (never 'unsafe-inline').
 */
export function contentSecurityPolicy(cspSource: string, nonce: string, opts: { inlineStyleNonce?: boolean; dataImages?: boolean } = {}): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(nonce)) throw new Error('The nonce must be at least 16 base64 characters.');
  return [
    "default-src 'none'",
    `style-src ${cspSource}${opts.inlineStyleNonce ? ` 'nonce-${nonce}'` : ''}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}${opts.dataImages ? ' data:' : ''}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}
