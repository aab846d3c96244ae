/**
 * Normalization before comparing: what does not count as a change.
 * - Text (Apex, JavaScript, HTML, Visualforce, …): a leading byte-order mark, the kind of line
 *   ending (CRLF, CR, LF), whitespace at the end of lines, and blank lines at the end of the file.
 *   Indentation and everything else count.
 * - XML: the above, plus everything xml-canonical.ts removes (declaration, comments, layout
 *   whitespace between elements, attribute order, order of properties, order of entries that
 *   form a set). Malformed XML is compared as text, and the result says why.
 */
import { canonicalizeXml } from './xml-canonical';

export { canonicalizeXml, type CanonicalXml } from './xml-canonical';
export { UNORDERED_ELEMENTS, type UnorderedRule } from './unordered';

const BOM = '\uFEFF';

/** CRLF and lone CR become LF; a leading BOM is dropped. */
export function normalizeLineEndings(text: string): string {
  const withoutBom = text.startsWith(BOM) ? text.slice(1) : text;
  return withoutBom.replace(/\r\n?/g, '\n');
}

/** Line endings, trailing whitespace on each line, trailing blank lines and BOM do not count. */
export function normalizeText(text: string): string {
  return normalizeLineEndings(text).split('\n').map(withoutTrailingBlanks).join('\n').replace(/\n+$/, '');
}

/** Space, tab, form feed, vertical tab, no-break space. */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0c || c === 0x0b || c === 0xa0;
}

/**
 * The line without the blanks that end it. A loop from the end rather than a regular expression
 * anchored at `$`, which backtracks quadratically on a long run of blanks inside a line (seconds
 * for 50,000 spaces).
 */
function withoutTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && isBlank(line.charCodeAt(end - 1))) end--;
  return end === line.length ? line : line.slice(0, end);
}

export type NormalizedXml =
  | { mode: 'xml'; text: string; rootElement: string }
  /** Not well-formed: compared as normalized text; `reason` says what is wrong with it. */
  | { mode: 'text'; text: string; reason: string };

/** The canonical form of an XML file, or its normalized text when it is not well-formed. */
export function normalizeXml(xml: string): NormalizedXml {
  const canonical = canonicalizeXml(normalizeLineEndings(xml));
  if (canonical.ok) return { mode: 'xml', text: canonical.text, rootElement: canonical.rootElement };
  return { mode: 'text', text: normalizeText(xml), reason: canonical.reason };
}
