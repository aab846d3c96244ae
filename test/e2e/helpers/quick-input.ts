/**
 * The quick input widget (quick picks and input boxes) as a person uses it: read the items, type,
 * pick an item by its label, accept with Enter.
 */
import type { Page } from 'playwright-core';

const TIMEOUT = 30_000;

function widget(page: Page) {
  return page.locator('.quick-input-widget');
}

/** Waits for the quick input to show, optionally with a title or prompt matching `text`. */
export async function waitForQuickInput(page: Page, text?: RegExp): Promise<void> {
  const w = widget(page);
  await w.locator('.quick-input-box input').waitFor({ state: 'visible', timeout: TIMEOUT });
  if (!text) return;
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    const shown = (await w.innerText().catch(() => '')).replace(/\s+/g, ' ');
    if (text.test(shown)) return;
    await page.waitForTimeout(150);
  }
  throw new Error(`The quick input does not show ${text}: "${(await w.innerText()).replace(/\s+/g, ' ')}"`);
}

/** Labels of the items the quick pick shows now (not their details, which are rendered as labels too). */
export async function quickPickLabels(page: Page): Promise<string[]> {
  return widget(page)
    .locator('[role="option"]')
    .evaluateAll((els) => els.map((e) => e.querySelector('.label-name')?.textContent?.trim() ?? ''));
}

/** Picks the item whose label is exactly `label` (filters by typing it first). */
export async function pick(page: Page, label: string): Promise<void> {
  await waitForQuickInput(page);
  const input = widget(page).locator('.quick-input-box input');
  await input.fill(label);
  const item = widget(page).locator('[role="option"]').filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  await item.waitFor({ state: 'visible', timeout: TIMEOUT });
  await item.click();
}

/** In a multi-select quick pick (rows are checkboxes), checks the row labelled `label` and accepts. */
export async function pickMany(page: Page, label: string): Promise<void> {
  await waitForQuickInput(page);
  await widget(page).locator('.quick-input-box input').fill(label);
  const row = widget(page).locator('[role="checkbox"]').filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  await row.waitFor({ state: 'visible', timeout: TIMEOUT });
  await row.click();
  await widget(page).locator('[role="checkbox"][aria-checked="true"]').filter({ has: page.locator('.label-name', { hasText: label }) }).first().waitFor({ state: 'visible', timeout: TIMEOUT });
  await page.keyboard.press('Enter');
}

/** Types `text` into the input box and accepts it with Enter. */
export async function typeAndAccept(page: Page, text: string, prompt?: RegExp): Promise<void> {
  await waitForQuickInput(page, prompt);
  const input = widget(page).locator('.quick-input-box input');
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** The validation message the input box shows under the text (empty when none). */
export async function inputMessage(page: Page): Promise<string> {
  return ((await widget(page).locator('.quick-input-message').innerText().catch(() => '')) ?? '').trim();
}
