/**
 * Reaching into a webview panel: VS Code hosts each panel in an outer iframe (`iframe.webview`)
 * whose document loads the panel's HTML in an inner `#active-frame`. Only the visible panel's
 * outer frame is laid out, so the visible one is the active editor's.
 */
import type { FrameLocator, Page } from 'playwright-core';

const TIMEOUT = 30_000;
/**
 * A panel's first content may wait for VS Code web's webview service worker, which sometimes
 * answers a resource request only after its 30 s timeout (code-server in headless Chromium).
 */
const CONTENT_TIMEOUT = 90_000;

/** The content frame of the webview panel that is visible now. */
export async function visibleWebview(page: Page): Promise<FrameLocator> {
  const frames = page.locator('iframe.webview');
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    const n = await frames.count();
    for (let i = 0; i < n; i++) {
      const f = frames.nth(i);
      if (await f.isVisible()) return f.contentFrame().locator('iframe#active-frame').contentFrame();
    }
    await page.waitForTimeout(200);
  }
  throw new Error('No webview panel is visible');
}

/** The element with `data-testid` inside the visible webview, once it shows. */
export async function byTestId(page: Page, id: string) {
  const frame = await visibleWebview(page);
  const el = frame.locator(`[data-testid="${id}"]`).first();
  await el.waitFor({ state: 'visible', timeout: CONTENT_TIMEOUT });
  return el;
}
