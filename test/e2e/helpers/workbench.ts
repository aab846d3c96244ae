/**
 * Acting on the VS Code workbench as a person would: activity bar, tree items, context menus, the
 * command palette, notifications, the Output panel; screenshots under test-output/screenshots/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOTS } from '../../../scripts/host/paths';

export interface TreeRow {
  label: string;
  description: string;
}

const TIMEOUT = 30_000;

export class Workbench {
  constructor(readonly page: Page) {}

  /** Clicks the view container's icon in the activity bar and waits for the view. */
  async openViewContainer(container: string, view: string): Promise<Locator> {
    const icon = this.page.locator(`.activitybar a.action-label[aria-label^="${container}"]`).first();
    await icon.waitFor({ state: 'visible', timeout: 60_000 });
    const tree = this.tree(view);
    if (!(await tree.isVisible())) await icon.click();
    await tree.waitFor({ state: 'visible', timeout: TIMEOUT });
    await this.widenSideBar(560);
    return tree;
  }

  /** Drags the side bar's edge so descriptions are not cut off in screenshots. */
  async widenSideBar(width: number): Promise<void> {
    const bar = await this.page.locator('.part.sidebar').boundingBox();
    if (!bar || bar.width >= width - 5) return;
    const edge = bar.x + bar.width;
    const y = bar.y + bar.height / 2;
    await this.page.mouse.move(edge, y);
    await this.page.mouse.down();
    await this.page.mouse.move(edge + (width - bar.width) / 2, y, { steps: 4 });
    await this.page.mouse.move(bar.x + width, y, { steps: 4 });
    await this.page.mouse.up();
    await this.page.mouse.move(1000, 400); // off the sash, which stays highlighted under the mouse
  }

  /** The tree of a view, by the view's name (its accessible label). */
  tree(view: string): Locator {
    return this.page.locator(`[role="tree"][aria-label="${view}"]`);
  }

  /** Rows currently rendered in a tree view: label and description, as shown. */
  async rows(view: string): Promise<TreeRow[]> {
    return this.tree(view)
      .locator('[role="treeitem"]')
      .evaluateAll((els) =>
        els.map((el) => ({
          label: el.querySelector('.label-name')?.textContent?.trim() ?? '',
          description: el.querySelector('.label-description')?.textContent?.trim() ?? '',
        })),
      );
  }

  /** Waits until the rows satisfy `ok`; the last rows seen are in the error message otherwise. */
  async waitForRows(view: string, what: string, ok: (rows: TreeRow[]) => boolean, timeoutMs = 60_000): Promise<TreeRow[]> {
    const deadline = Date.now() + timeoutMs;
    let rows: TreeRow[] = [];
    while (Date.now() < deadline) {
      rows = await this.rows(view);
      if (ok(rows)) return rows;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`Timed out waiting for ${what}; the "${view}" view shows ${JSON.stringify(rows)}`);
  }

  row(view: string, label: string): Locator {
    return this.tree(view)
      .locator('[role="treeitem"]')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  }

  /**
   * Clicks a tree row that opens a panel until the panel's tab (its title containing `tabText`)
   * shows: a click while the tree is still refreshing (background reads redraw it) can land on the
   * row before it takes commands. `which`: the row when several have the label (the first by default).
   */
  async openFromRow(view: string, label: string, tabText: string, which: 'first' | 'last' = 'first'): Promise<void> {
    const tab = this.tab(tabText);
    for (let attempt = 0; attempt < 3 && !(await tab.isVisible()); attempt++) {
      await this.row(view, label)[which]().click();
      await tab.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
    }
    await tab.waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** Right-clicks a tree item and picks `action` from its context menu. */
  async contextMenu(view: string, label: string, action: string, screenshot?: string): Promise<void> {
    await this.contextMenuOn(this.row(view, label), `"${label}"`, action, screenshot);
  }

  /** Right-clicks `target` (a tree row, an editor tab…) and picks `action` from its context menu. */
  async contextMenuOn(target: Locator, what: string, action: string, screenshot?: string): Promise<void> {
    await target.click({ button: 'right' });
    const item = this.page.locator('.context-view .monaco-menu [role="menuitem"]', { hasText: action }).first();
    await item.waitFor({ state: 'visible', timeout: TIMEOUT });
    if (screenshot) await this.screenshot(screenshot);
    // A menu may ignore a click that comes right after it opened (the right button's release): click
    // until the menu has closed (it ran the action), a few times at most.
    const menu = this.page.locator('.context-view .monaco-menu');
    for (let attempt = 0; attempt < 5; attempt++) {
      await item.click({ timeout: 5_000 }).catch(() => undefined);
      if (await menu.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false)) {
        await this.page.mouse.move(1000, 400); // no hover left over the tree in screenshots
        return;
      }
    }
    throw new Error(`The context menu of ${what} did not run "${action}"`);
  }

  /** F1, types the command's title, runs it with Enter. */
  async runCommand(title: string, screenshot?: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await input.fill(`>${title}`);
    const match = this.page.locator('.quick-input-widget [role="option"]', { hasText: title }).first();
    await match.waitFor({ state: 'visible', timeout: TIMEOUT });
    if (screenshot) await this.screenshot(screenshot);
    await this.page.keyboard.press('Enter');
    // The palette has run the command once it closed, or once the command's own prompt took the
    // same widget (then it may never be hidden in between): wait for either.
    const ran = `(() => { const box = document.querySelector('.quick-input-widget .quick-input-box input'); return !box || box.offsetParent === null || !box.value.startsWith('>'); })()`;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.page.waitForFunction(ran, undefined, { timeout: TIMEOUT });
        return;
      } catch (e) {
        // A command that reloads the window takes the page away while this waits: the palette is gone with it.
        if (attempt < 2 && /context was destroyed|navigat/i.test(String((e as Error)?.message))) continue;
        throw e;
      }
    }
  }

  /**
   * Opens a workspace file with Quick Open (F1, then its path without the ">" of commands); the
   * Explorer, when shown, reveals and selects it.
   */
  async openFile(relPath: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await input.fill(relPath);
    const name = relPath.split('/').pop()!;
    const match = this.page.locator('.quick-input-widget [role="option"]').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) }).first();
    await match.waitFor({ state: 'visible', timeout: TIMEOUT });
    await match.click();
    await input.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await this.tab(name).waitFor({ state: 'visible', timeout: TIMEOUT });
  }

  /** An editor tab whose label contains `text`. */
  tab(text: string): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: text }).first();
  }

  /** A notification toast whose message matches `text`. */
  notification(text: RegExp): Locator {
    return this.page.locator('.notification-toast .notification-list-item-message').filter({ hasText: text }).first();
  }

  /**
   * Waits for a notification matching `text` and returns its full message. VS Code sometimes files a
   * notification in the notification center (the bell gets a dot) without a toast; a person then opens
   * the center from the status bar, and so does this.
   */
  async waitForNotification(text: RegExp, timeoutMs = 60_000): Promise<string> {
    const toast = this.notification(text);
    const inCenter = this.page.locator('.notifications-center .notification-list-item-message').filter({ hasText: text }).first();
    const deadline = Date.now() + timeoutMs;
    let centerOpened = false;
    while (Date.now() < deadline) {
      if (await toast.isVisible()) return (await toast.innerText()).trim();
      if (await inCenter.isVisible()) return (await inCenter.innerText()).trim();
      if (!centerOpened && Date.now() > deadline - timeoutMs + 5_000 && (await this.page.locator('#status\\.notifications .codicon-bell-dot').count()) > 0) {
        await this.page.locator('#status\\.notifications').click();
        centerOpened = true;
      }
      await this.page.waitForTimeout(200);
    }
    const shown = await this.page.locator('.notification-list-item-message').allInnerTexts();
    throw new Error(`No notification matching ${text}; notifications shown: ${JSON.stringify(shown)}`);
  }

  /** Closes every notification toast, and the notification center if it is open. */
  async clearNotifications(): Promise<void> {
    if (await this.page.locator('.notifications-center.visible').isVisible()) {
      await this.page.locator('.notifications-center .codicon-notifications-clear-all').click().catch(() => undefined);
      await this.page.locator('.notifications-center .codicon-notifications-hide').click().catch(() => undefined);
    }
    const toasts = this.page.locator('.notification-toast');
    for (let i = 0; i < 10 && (await toasts.count()) > 0; i++) {
      const close = this.page.locator('.notification-toast .codicon-notifications-clear').first();
      if (await close.isVisible()) await close.click().catch(() => undefined);
      else await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(100);
    }
  }

  /** Text of the Output panel's editor (what the selected channel shows). */
  async outputText(): Promise<string> {
    const editor = this.page.locator('.panel .output-view .monaco-editor .view-lines');
    await editor.waitFor({ state: 'visible', timeout: TIMEOUT });
    return (await editor.innerText()).replace(/\u00a0/g, ' ');
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, name.endsWith('.png') ? name : `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
