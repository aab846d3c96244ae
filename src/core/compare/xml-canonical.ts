/**
 * Canonical form of a Salesforce metadata XML file, so that two files which mean the same thing
 * serialize to the same string:
 * - no XML declaration, comments or processing instructions; entities and CDATA decoded;
 * - whitespace-only text between elements dropped; line endings inside text normalized to LF;
 * - attributes sorted by name;
 * - children grouped by element name (the order WITHIN a name is kept), and the entries listed in
 *   the order-insensitivity table (unordered.ts) sorted by their key;
 * - serialized with a fixed four-space indentation (readable, so it can also be shown in a diff).
 * Elements with mixed content (non-blank text next to child elements) are kept exactly in order.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { unorderedPathsFor } from './unordered';
import { scanXml } from './xml-scan';

export type CanonicalXml = { ok: true; text: string; rootElement: string } | { ok: false; reason: string };

/** One parsed node: an element or a text run. */
type Node = { kind: 'element'; name: string; attrs: Array<[string, string]>; children: Node[] } | { kind: 'text'; text: string };

/** fast-xml-parser's preserveOrder shape: `{ [tag]: children, ':@'?: attrs }` or `{ '#text': s }`. */
type RawNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

/** Parses and canonicalizes; never throws: malformed input gives `{ ok: false, reason }`. */
export function canonicalizeXml(xml: string): CanonicalXml {
  // The quick reader handles the usual files; it leaves everything else to the general parser.
  const root = scanXml(xml);
  if (root) return canonicalTree(root);
  return canonicalizeXmlByParser(xml);
}

/** The general path: validated and parsed by fast-xml-parser (exported for tests). */
export function canonicalizeXmlByParser(xml: string): CanonicalXml {
  const checked = XMLValidator.validate(xml);
  if (checked !== true) {
    const { msg, line, col } = checked.err;
    return { ok: false, reason: `${msg}${line ? ` (line ${line}${col ? `, column ${col}` : ''})` : ''}` };
  }
  try {
    return canonicalizeParsed(parser.parse(xml) as RawNode[]);
  } catch (e) {
    // The parser's own limits (nesting depth) and anything unexpected: compare as text instead.
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

function canonicalizeParsed(raw: RawNode[]): CanonicalXml {
  const top = raw.map(toNode).filter((n): n is Node => n !== undefined);
  const roots = top.filter((n) => n.kind === 'element');
  if (top.some((n) => n.kind === 'text' && n.text.trim() !== '')) return { ok: false, reason: 'text outside the root element' };
  if (roots.length !== 1) {
    return { ok: false, reason: roots.length === 0 ? 'no root element' : `${roots.length} root elements (XML allows one)` };
  }
  return canonicalTree(roots[0] as Extract<Node, { kind: 'element' }>);
}

function canonicalTree(root: Element): CanonicalXml {
  const rules = unorderedPathsFor(root.name) ?? new Map<string, readonly string[]>();
  const canonical = canonicalize(root, '', rules);
  const out: string[] = [];
  serialize(canonical, 0, out);
  return { ok: true, text: out.join('\n'), rootElement: root.name };
}

function toNode(raw: RawNode): Node | undefined {
  for (const key of Object.keys(raw)) {
    if (key === ':@') continue;
    if (key === '#text') return { kind: 'text', text: String(raw[key]) };
    const attrs = Object.entries((raw[':@'] as Record<string, unknown> | undefined) ?? {}).map(
      ([k, v]) => [k, String(v)] as [string, string],
    );
    const children = ((raw[key] as RawNode[] | undefined) ?? []).map(toNode).filter((n): n is Node => n !== undefined);
    return { kind: 'element', name: key, attrs, children };
  }
  return undefined;
}

type Element = Extract<Node, { kind: 'element' }>;

function canonicalize(el: Element, path: string, rules: ReadonlyMap<string, readonly string[]>): Element {
  const attrs = [...el.attrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hasElements = el.children.some((c) => c.kind === 'element');
  const mixed = hasElements && el.children.some((c) => c.kind === 'text' && c.text.trim() !== '');

  if (!hasElements) {
    const text = el.children.map((c) => (c.kind === 'text' ? c.text : '')).join('');
    return { kind: 'element', name: el.name, attrs, children: text === '' ? [] : [{ kind: 'text', text }] };
  }
  const childPath = (name: string) => (path === '' ? name : `${path}/${name}`);
  if (mixed) {
    const children = el.children.map((c) => (c.kind === 'element' ? canonicalize(c, childPath(c.name), rules) : c));
    return { kind: 'element', name: el.name, attrs, children };
  }

  // Group by element name, keeping first-seen order within a group, then order groups by name.
  const groups = new Map<string, Element[]>();
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    const group = groups.get(c.name) ?? [];
    group.push(canonicalize(c, childPath(c.name), rules));
    groups.set(c.name, group);
  }
  const children: Element[] = [];
  for (const name of [...groups.keys()].sort()) {
    const group = groups.get(name)!;
    const key = rules.get(childPath(name));
    children.push(...(key === undefined ? group : sortEntries(group, key)));
  }
  return { kind: 'element', name: el.name, attrs, children };
}

/** Sorts set-like entries by their identifying children, then by their whole canonical form. */
function sortEntries(entries: Element[], key: readonly string[]): Element[] {
  const decorated = entries.map((e) => {
    const whole = serializeToString(e);
    const values = key.map((k) => childText(e, k));
    const primary = values.every((v) => v === undefined) ? whole : JSON.stringify(values);
    return { e, primary, whole };
  });
  decorated.sort((a, b) => cmp(a.primary, b.primary) || cmp(a.whole, b.whole));
  return decorated.map((d) => d.e);
}

function childText(el: Element, name: string): string | undefined {
  const child = el.children.find((c): c is Element => c.kind === 'element' && c.name === name);
  if (!child) return undefined;
  return child.children.map((c) => (c.kind === 'text' ? c.text : serializeToString(c))).join('');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function serializeToString(el: Element): string {
  const out: string[] = [];
  serialize(el, 0, out);
  return out.join('\n');
}

function serialize(el: Element, depth: number, out: string[]): void {
  const pad = '    '.repeat(depth);
  const open = el.name + el.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (el.children.length === 0) {
    out.push(`${pad}<${open}/>`);
    return;
  }
  if (el.children.every((c) => c.kind === 'text')) {
    const text = el.children.map((c) => (c.kind === 'text' ? c.text : '')).join('');
    out.push(`${pad}<${open}>${escapeText(text)}</${el.name}>`);
    return;
  }
  out.push(`${pad}<${open}>`);
  for (const c of el.children) {
    if (c.kind === 'element') serialize(c, depth + 1, out);
    else out.push(`${pad}    ${escapeText(c.text)}`);
  }
  out.push(`${pad}</${el.name}>`);
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
