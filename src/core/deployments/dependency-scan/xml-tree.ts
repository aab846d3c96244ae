/**
 * A forgiving reader of metadata XML into elements with their line numbers, enough for the
 * dependency scan to find `<field>`, `<object>`, `<apexClass>` and the like where they are.
 * Comments, declarations and attributes are skipped; a malformed file yields what was read.
 */
import { lineIndex } from './names';

export interface XNode {
  name: string;
  /** The element's own text (entities decoded, trimmed); empty for elements with children only. */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
  children: XNode[];
}

const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<[?!][\s\S]*?>|<\/([^\s>]+)\s*>|<([^\s/>]+)[^>]*?(\/?)>|([^<]+)/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (_m, n: string) => ENTITIES[n]);

/** The root element, or undefined when the text holds no element. */
export function readXml(text: string): XNode | undefined {
  const lineAt = lineIndex(text);
  const root: XNode = { name: '#document', text: '', line: 1, children: [] };
  const stack: XNode[] = [root];
  for (const m of text.matchAll(TOKEN)) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      const at = stack.map((n) => n.name).lastIndexOf(m[2]);
      if (at > 0) stack.length = at;
    } else if (m[3] !== undefined) {
      const node: XNode = { name: m[3], text: '', line: lineAt(m.index ?? 0), children: [] };
      top.children.push(node);
      if (m[4] !== '/') stack.push(node);
    } else if (m[5] !== undefined && stack.length > 1) top.text += decode(m[5]);
  }
  const visit = (n: XNode): void => {
    n.text = n.text.trim();
    n.children.forEach(visit);
  };
  visit(root);
  return root.children[0];
}

/** Elements named `name` anywhere under `node` (not `node` itself), in document order. */
export function descendants(node: XNode, name: string): XNode[] {
  const out: XNode[] = [];
  const walk = (n: XNode): void => {
    for (const c of n.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** The direct child named `name`. */
export function child(node: XNode, name: string): XNode | undefined {
  return node.children.find((c) => c.name === name);
}
