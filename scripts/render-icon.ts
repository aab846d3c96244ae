#!/usr/bin/env node
/**
 * Renders the extension's Marketplace icon (media/changeline.png, 256×256) from the activity-bar
 * glyph media/changeline.svg, white on a blue rounded square, with the test Chromium:
 *
 *   node out/scripts/render-icon.js
 *
 * The Marketplace wants a PNG; the activity bar keeps the SVG (it takes the theme's colour).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from './host/browser';
import { ROOT } from './host/paths';

const SIZE = 256;

async function main(): Promise<void> {
  const glyph = fs.readFileSync(path.join(ROOT, 'media', 'changeline.svg'), 'utf8').replace('stroke="currentColor"', 'stroke="#ffffff"');
  const html = `<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:${SIZE}px;height:${SIZE}px;border-radius:${SIZE * 0.22}px;background:linear-gradient(135deg,#1b6fd1,#0b3d91);display:flex;align-items:center;justify-content:center">
  <div style="width:${SIZE * 0.72}px;height:${SIZE * 0.72}px">${glyph.replace('width="24" height="24"', 'width="100%" height="100%"')}</div>
</div></body></html>`;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    await page.setContent(html);
    const out = path.join(ROOT, 'media', 'changeline.png');
    await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
    process.stdout.write(`Wrote ${path.relative(ROOT, out)}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.message ?? e}\n`);
  process.exit(1);
});
