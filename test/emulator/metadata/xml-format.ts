/**
 * Metadata XML as an org writes it back on retrieve, whatever was deployed: the declaration
 * `<?xml version="1.0" encoding="UTF-8"?>`, four-space indentation, no comments, text escaped as
 * the org escapes it (`&amp; &lt; &gt; &quot; &apos;`), empty elements self-closed, and the
 * elements of each type in the order the org writes them:
 * - `fullName` first, then the rest in alphabetical order (the Metadata API WSDL lists the
 *   properties of most types alphabetically, and a retrieve writes them in that order);
 * - inside a Flow, the base properties of flow elements first (`processMetadataValues`,
 *   `description`, `name`, `label`, `locationX`, `locationY`), then the rest alphabetically;
 * - entries of a repeated property keep their deployed order (layout items, picklist values and
 *   flow screen fields are ordered lists), except the access grants of permission sets and
 *   profiles, which an org lists by what they grant (field, object, class…).
 * Only documents in the metadata namespace are rewritten; anything else (and any XML with mixed
 * content, which metadata never has) is returned unchanged.
 */
import { MD_NS } from './xml';

interface El {
  name: string;
  /** Attributes as written (`xmlns="…"`), normalized to single spaces. */
  attrs: string;
  children: El[];
  /** Decoded text of a leaf (undefined for an element with children or empty). */
  text?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e],
  );
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The element tree, or undefined when the text is not simple well-formed element-only XML. */
function parse(xml: string): El | undefined {
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  const stack: Array<El & { raw: string }> = [];
  let root: El | undefined;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const [whole, cdata, closing, name, attrs, selfClosing, text] = m;
    if (text !== undefined || cdata !== undefined) {
      const value = cdata ?? decode(text);
      if (stack.length === 0) {
        if (value.trim()) return undefined;
        continue;
      }
      stack[stack.length - 1].raw += value;
      continue;
    }
    if (!name) {
      if (whole.startsWith('<') && !/^<(!--|\?|!DOCTYPE)/.test(whole)) return undefined;
      continue;
    }
    if (closing) {
      const el = stack.pop();
      if (!el || el.name !== name) return undefined;
      if (el.children.length) {
        if (el.raw.trim()) return undefined; // mixed content
      } else if (el.raw !== '' && !(/\n/.test(el.raw) && !el.raw.trim())) el.text = el.raw; // layout whitespace is no value
      const { raw: _raw, ...done } = el;
      if (stack.length) stack[stack.length - 1].children.push(done);
      else if (root) return undefined;
      else root = done;
      continue;
    }
    const el = { name, attrs: (attrs ?? '').trim().replace(/\s+/g, ' '), children: [], raw: '' };
    if (selfClosing) {
      const { raw: _raw, ...done } = el;
      if (stack.length) stack[stack.length - 1].children.push(done);
      else if (root) return undefined;
      else root = done;
    } else {
      if (!stack.length && root) return undefined;
      stack.push(el);
    }
  }
  return stack.length === 0 ? root : undefined;
}

const FLOW_BASE = ['processMetadataValues', 'description', 'name', 'label', 'locationX', 'locationY'];

/** What identifies an access grant of a permission set or profile, by element. */
const GRANT_KEYS: Record<string, string[]> = {
  applicationVisibilities: ['application'],
  classAccesses: ['apexClass'],
  customMetadataTypeAccesses: ['name'],
  customPermissions: ['name'],
  customSettingAccesses: ['name'],
  externalDataSourceAccesses: ['externalDataSource'],
  fieldPermissions: ['field'],
  flowAccesses: ['flow'],
  layoutAssignments: ['layout', 'recordType'],
  objectPermissions: ['object'],
  pageAccesses: ['apexPage'],
  recordTypeVisibilities: ['recordType'],
  tabSettings: ['tab'],
  tabVisibilities: ['tab'],
  userPermissions: ['name'],
};
const GRANT_ROOTS = new Set(['PermissionSet', 'Profile', 'MutingPermissionSet']);

function rank(name: string, inFlow: boolean): [number, string] {
  if (inFlow) {
    const i = FLOW_BASE.indexOf(name);
    if (i >= 0) return [i, ''];
    return [FLOW_BASE.length, name];
  }
  return name === 'fullName' ? [0, ''] : [1, name];
}

function grantKey(el: El, keys: string[]): string {
  return keys.map((k) => el.children.find((c) => c.name === k)?.text ?? '').join('\u0000');
}

/** Orders an element's children (stable: entries of one property keep their order). */
function ordered(el: El, root: string, depth: number): El[] {
  const inFlow = root === 'Flow' && depth > 0;
  const decorated = el.children.map((c, i) => ({ c, i, r: rank(c.name, inFlow) }));
  decorated.sort((a, b) => a.r[0] - b.r[0] || (a.r[1] < b.r[1] ? -1 : a.r[1] > b.r[1] ? 1 : 0) || a.i - b.i);
  const out = decorated.map((d) => d.c);
  if (depth > 0 || !GRANT_ROOTS.has(root)) return out;
  // Entries of one property are now contiguous: sort each run of access grants by what it grants.
  for (let start = 0; start < out.length; ) {
    let end = start + 1;
    while (end < out.length && out[end].name === out[start].name) end++;
    const keys = GRANT_KEYS[out[start].name];
    if (keys) {
      const run = out.slice(start, end).map((c, i) => ({ c, i, k: grantKey(c, keys) }));
      run.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
      run.forEach((r, j) => (out[start + j] = r.c));
    }
    start = end;
  }
  return out;
}

function write(el: El, root: string, depth: number, out: string[]): void {
  const pad = '    '.repeat(depth);
  const open = el.attrs ? `${el.name} ${el.attrs}` : el.name;
  if (el.children.length === 0) {
    out.push(el.text === undefined ? `${pad}<${open}/>` : `${pad}<${open}>${escape(el.text)}</${el.name}>`);
    return;
  }
  out.push(`${pad}<${open}>`);
  for (const c of ordered(el, root, depth)) write(c, root, depth + 1, out);
  out.push(`${pad}</${el.name}>`);
}

/** The document as an org writes it, or undefined when it is not metadata XML to rewrite. */
export function orgXml(xml: string): string | undefined {
  const head = xml.slice(0, 2048);
  if (!/^\uFEFF?\s*</.test(head) || !head.includes(MD_NS)) return undefined;
  const root = parse(xml.replace(/^\uFEFF/, ''));
  if (!root || !root.attrs.includes(MD_NS)) return undefined;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, root.name, 0, out);
  return `${out.join('\n')}\n`;
}
