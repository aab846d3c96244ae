/**
 * A strict one-pass reader for the XML Salesforce writes (elements, attributes, text with the five
 * predefined entities, an XML declaration), building the tree xml-canonical.ts canonicalizes.
 * It exists for speed: validating and then parsing with fast-xml-parser was most of the CPU of
 * fingerprinting a retrieve.
 *
 * It only ever answers for input it fully understands: on anything else — comments, CDATA,
 * processing instructions, DOCTYPE, numeric or unknown entities, mixed content, very deep
 * nesting, or any well-formedness error — it returns undefined, and the caller uses the general
 * parser, which also explains what is wrong. For the input it accepts, the tree is the one the
 * general parser builds (a unit test checks both on the same files).
 */

/** One parsed node: an element or a text run (the shape xml-canonical.ts works on). */
export type XmlNode = XmlElement | { kind: 'text'; text: string };
export interface XmlElement {
  kind: 'element';
  name: string;
  attrs: Array<[string, string]>;
  children: XmlNode[];
}

const MAX_DEPTH = 200;
const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const ENTITY = /&(amp|lt|gt|quot|apos);/g;
const ANY_ENTITY = /&(?!(?:amp|lt|gt|quot|apos);)/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** `name="value"` or `name='value'`, with blanks around `=`; values without `<` or `&`. */
const ATTRIBUTE = /\s+([^\s=/>]+)\s*=\s*(?:"([^"<&]*)"|'([^'<&]*)')/y;

function decode(text: string): string | undefined {
  if (!text.includes('&')) return text;
  if (ANY_ENTITY.test(text)) return undefined;
  return text.replace(ENTITY, (_m, name: string) => NAMED[name]);
}

function isBlank(s: string): boolean {
  return /^[ \t\r\n]*$/.test(s);
}

/** The root element, or undefined when the input needs the general parser. */
export function scanXml(xml: string): XmlElement | undefined {
  let at = 0;
  // Leading blanks and one XML declaration.
  while (at < xml.length && ' \t\r\n'.includes(xml[at])) at++;
  if (xml.startsWith('<?xml', at)) {
    const end = xml.indexOf('?>', at);
    if (end < 0) return undefined;
    at = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (;;) {
    const lt = xml.indexOf('<', at);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > at) {
      const raw = xml.slice(at, textEnd);
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (!isBlank(raw)) return undefined; // text outside the root
      } else {
        if (raw.includes(']]>')) return undefined;
        const text = decode(raw);
        if (text === undefined) return undefined;
        parent.children.push({ kind: 'text', text });
      }
    }
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) return undefined; // comment, CDATA, DOCTYPE, PI
    const gt = xml.indexOf('>', lt);
    if (gt < 0) return undefined;
    if (next === 0x2f /* / */) {
      const name = xml.slice(lt + 2, gt).trimEnd();
      const open = stack.pop();
      if (!open || open.name !== name) return undefined;
      at = gt + 1;
      if (stack.length === 0) {
        root = open;
        break;
      }
      continue;
    }
    const selfClosing = xml.charCodeAt(gt - 1) === 0x2f;
    const inner = xml.slice(lt + 1, selfClosing ? gt - 1 : gt);
    const nameEnd = inner.search(/[\s]|$/);
    const name = inner.slice(0, nameEnd);
    if (!NAME.test(name)) return undefined;
    const el: XmlElement = { kind: 'element', name, attrs: [], children: [] };
    let pos = nameEnd;
    while (pos < inner.length) {
      ATTRIBUTE.lastIndex = pos;
      const m = ATTRIBUTE.exec(inner);
      if (!m) {
        if (!isBlank(inner.slice(pos))) return undefined;
        break;
      }
      if (!NAME.test(m[1]) || el.attrs.some(([k]) => k === m[1])) return undefined;
      el.attrs.push([m[1], m[2] ?? m[3]]);
      pos = ATTRIBUTE.lastIndex;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    at = gt + 1;
    if (selfClosing) {
      if (!parent) {
        root = el;
        break;
      }
    } else {
      if (stack.length >= MAX_DEPTH) return undefined;
      stack.push(el);
    }
  }
  if (!root || stack.length > 0) return undefined;
  // Only blanks may follow the root.
  if (!isBlank(xml.slice(at))) return undefined;
  // Mixed content (text next to elements) keeps its text runs as the general parser splits them:
  // leave it to that parser.
  return hasMixedContent(root) ? undefined : root;
}

function hasMixedContent(el: XmlElement): boolean {
  let elements = false;
  let text = false;
  for (const c of el.children) {
    if (c.kind === 'element') {
      elements = true;
      if (hasMixedContent(c)) return true;
    } else if (c.text.trim() !== '') text = true;
  }
  return elements && text;
}
