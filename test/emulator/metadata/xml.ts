/**
 * Metadata XML at the text level: well-formedness checks with positions, and splitting a
 * decomposed parent (`<CustomObject>` with `<fields>`…) into the parent and its child
 * fragments, and back. Text-level so fragments keep exactly what the user deployed.
 */
import { XMLValidator } from 'fast-xml-parser';

export const MD_NS = 'http://soap.sforce.com/2006/04/metadata';

export interface XmlProblem {
  line: number;
  column: number;
  problem: string;
}

/** Undefined when well-formed; otherwise Salesforce-style "Error parsing file" problem with position. */
export function checkXml(text: string): XmlProblem | undefined {
  if (!text.trim()) return { line: 1, column: 1, problem: 'Error parsing file: Premature end of file.' };
  const r = XMLValidator.validate(text);
  if (r === true) return undefined;
  return { line: r.err.line, column: r.err.col, problem: `Error parsing file: ${r.err.msg}` };
}

interface TopElement {
  name: string;
  start: number;
  end: number;
}

/** Name and [open, close) span of the root element's content, plus its direct children. */
function scan(xml: string): { root: string; contentStart: number; contentEnd: number; children: TopElement[] } | undefined {
  const tagRe = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g;
  let depth = 0;
  let root: string | undefined;
  let contentStart = 0;
  let current: TopElement | undefined;
  const children: TopElement[] = [];
  for (let m = tagRe.exec(xml); m; m = tagRe.exec(xml)) {
    const [whole, closing, name, selfClosing] = m;
    if (!name) continue;
    if (!closing) {
      if (depth === 0) {
        root = name;
        contentStart = m.index + whole.length;
        if (selfClosing) return { root, contentStart, contentEnd: contentStart, children };
      } else if (depth === 1) {
        current = { name, start: m.index, end: m.index + whole.length };
        if (selfClosing) {
          children.push(current);
          current = undefined;
          continue;
        }
      }
      if (!selfClosing) depth++;
    } else {
      depth--;
      if (depth === 1 && current) {
        current.end = m.index + whole.length;
        children.push(current);
        current = undefined;
      } else if (depth === 0 && root) {
        return { root, contentStart, contentEnd: m.index, children };
      }
    }
  }
  return undefined;
}

/** Text of the first `<tag>value</tag>` directly inside a fragment. */
export function elementText(fragment: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(fragment);
  return m ? decodeEntities(m[1].trim()) : undefined;
}

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export interface SplitResult {
  /** The parent XML without the child elements. */
  parent: string;
  /** Child fragments by element name, e.g. `fields` → [{ name: 'Foo__c', xml: '<fields>…</fields>' }]. */
  children: Array<{ element: string; name: string; xml: string; line: number }>;
  /** True when the parent has content besides children (labels, settings…). */
  hasOwnContent: boolean;
}

/** Splits a parent XML (well-formed) into its own part and the child fragments named in `elements`. */
export function splitParent(xml: string, elements: Map<string, string>): SplitResult {
  const s = scan(xml);
  if (!s) return { parent: xml, children: [], hasOwnContent: true };
  const children: SplitResult['children'] = [];
  let parent = '';
  let last = 0;
  let hasOwnContent = false;
  for (const el of s.children) {
    const idTag = elements.get(el.name);
    if (!idTag) {
      hasOwnContent = true;
      continue;
    }
    const frag = xml.slice(el.start, el.end);
    const name = elementText(frag, idTag);
    if (!name) {
      hasOwnContent = true;
      continue;
    }
    children.push({ element: el.name, name, xml: frag, line: xml.slice(0, el.start).split('\n').length });
    // Drop the fragment and the indentation before it.
    let cut = el.start;
    while (cut > last && /[ \t]/.test(xml[cut - 1])) cut--;
    if (cut > last && xml[cut - 1] === '\n') cut--;
    parent += xml.slice(last, cut);
    last = el.end;
  }
  parent += xml.slice(last);
  return { parent, children, hasOwnContent };
}

/** An empty parent document, e.g. `<CustomObject xmlns="…">\n</CustomObject>`. */
export function emptyParent(root: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${MD_NS}">\n</${root}>\n`;
}

/** Inserts child fragments (sorted by element then name) before the parent's closing tag. */
export function mergeParent(parentXml: string, fragments: Array<{ element: string; name: string; xml: string }>): string {
  const s = scan(parentXml);
  if (!s) return parentXml;
  const sorted = [...fragments].sort((a, b) => (a.element === b.element ? a.name.localeCompare(b.name) : a.element.localeCompare(b.element)));
  const insert = sorted.map((f) => `    ${f.xml.trim()}\n`).join('');
  let before = parentXml.slice(0, s.contentEnd);
  if (!before.endsWith('\n')) before += '\n';
  return before + insert + parentXml.slice(s.contentEnd);
}

/** The root element name of an XML document. */
export function rootName(xml: string): string | undefined {
  return scan(xml)?.root;
}
