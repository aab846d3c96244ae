/**
 * Tiny DOM helpers for the editor webview. Text goes in through textContent and values through
 * element properties only: nothing from the org is ever parsed as HTML.
 */

type Props = Record<string, string | number | boolean | undefined>;

/** An element with properties set (data-* / aria-* / testid as attributes) and text or element children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Array<Node | string | undefined>): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Array<Node | string | undefined>): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: Array<Node | string | undefined>): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) continue;
    if (k === 'testid') el.setAttribute('data-testid', String(v));
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'id' || k === 'class' || k === 'role' || k === 'for' || k === 'slot') el.setAttribute(k, String(v));
    else (el as unknown as Record<string, unknown>)[k] = v;
  }
  for (const c of children) {
    if (c === undefined) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** A custom element whose value is a property (vscode-textfield, vscode-textarea, vscode-single-select). */
export type ValueElement = HTMLElement & { value: string; disabled: boolean; invalid?: boolean };
export type MultiValueElement = HTMLElement & { value: string[]; disabled: boolean };
export type ButtonElement = HTMLElement & { disabled: boolean; secondary: boolean; icon: string };

export function button(label: string, testid: string, onClick: () => void, opts: { secondary?: boolean; icon?: string; title?: string } = {}): ButtonElement {
  const b = h('vscode-button', { testid, secondary: opts.secondary, icon: opts.icon, title: opts.title }, label) as ButtonElement;
  b.addEventListener('click', () => {
    if (!b.disabled) onClick();
  });
  return b;
}

/** A vscode-option with its value and label as text. */
export function option(value: string, label: string, selected = false): HTMLElement {
  return h('vscode-option', { value, selected }, label);
}

/**
 * Replaces the options of a vscode-single-select / vscode-multi-select. `selected` marks the
 * chosen one on the option itself: the select learns its options only once they are slotted, so
 * setting its `value` right after would be lost (it would show empty).
 */
export function setOptions(select: HTMLElement, options: Array<{ value: string; label: string }>, selected: string | readonly string[] = []): void {
  const chosen = typeof selected === 'string' ? [selected] : selected;
  select.replaceChildren(...options.map((o) => option(o.value, o.label, chosen.includes(o.value))));
}
