/**
 * One listMetadata call, sent through jsforce's own SOAP endpoint class (metadata-soap.ts: the
 * session header, the session refresh on INVALID_SESSION_ID, retries and proxy settings are the
 * library's), with the answer read as text and parsed here.
 *
 * Why: jsforce parses SOAP answers with xml2js and then casts them through its schema with an
 * object spread per property; on a compare of two 10,000-component orgs that was about 1 s of
 * CPU per listing of both orgs, most of an unchanged re-compare. The FileProperties read here
 * are flat records of text fields, the same values jsforce returns.
 */
import { XMLParser } from 'fast-xml-parser';
import type { Connection } from '@salesforce/core';
import { child, metadataSoapText, type Parsed } from './metadata-soap';

export interface ListQuery {
  type: string;
  folder?: string;
}

/** One FileProperties record: element name → text (nil and empty elements are left out). */
export type FileProps = Record<string, string>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  processEntities: true,
  htmlEntities: false,
  trimValues: false,
  isArray: (name, jpath) => jpath === 'Envelope.Body.listMetadataResponse.result',
});

/** FileProperties records of a listMetadata answer. Throws when the answer is not one. */
export function filePropertiesOf(xml: string): FileProps[] {
  return scanFileProperties(xml) ?? parseFileProperties(xml);
}

/** The general path: the whole answer through fast-xml-parser. */
function parseFileProperties(xml: string): FileProps[] {
  const body = child(child(parser.parse(xml), 'Envelope'), 'Body');
  const response = child(body, 'listMetadataResponse');
  // An empty answer is `<listMetadataResponse/>` (parsed as ''); no element at all is not an answer.
  if (response === undefined) throw new Error(`Unexpected listMetadata answer: ${xml.slice(0, 200)}`);
  const results = child(response, 'result');
  const out: FileProps[] = [];
  for (const r of Array.isArray(results) ? results : []) {
    if (typeof r !== 'object' || r === null) continue;
    const props: FileProps = {};
    for (const [k, v] of Object.entries(r as Parsed)) if (typeof v === 'string' && v !== '' && k !== '#text') props[k] = v;
    out.push(props);
  }
  return out;
}

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const UNKNOWN_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(ENTITY, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name ? NAMED[name] : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16)),
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Local name of a tag name (`soapenv:Body` → `Body`). */
function local(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/**
 * The fast path, for answers shaped as the Metadata API writes them: flat `<result>` records of
 * text properties (`<name>text</name>`, `<name/>`, `<name xsi:nil="true"/>`). Anything else
 * (CDATA, comments, nested elements, unknown entities) gives undefined, and the answer goes
 * through the general parser.
 */
function scanFileProperties(xml: string): FileProps[] | undefined {
  const found = /<([\w.-]+:)?listMetadataResponse(?:\s[^>]*)?(\/?)>/.exec(xml);
  if (!found) return undefined;
  if (found[2] === '/') return [];
  let at = found.index + found[0].length;
  /** Reads `<name ...>` or `</name>` at `at` (after blanks): its name, whether closing or empty. */
  const tag = (): { name: string; closing: boolean; empty: boolean } | undefined => {
    while (at < xml.length && isSpace(xml.charCodeAt(at))) at++;
    if (xml.charCodeAt(at) !== 0x3c /* < */) return undefined;
    const end = xml.indexOf('>', at);
    if (end < 0) return undefined;
    const closing = xml.charCodeAt(at + 1) === 0x2f; /* / */
    const inner = xml.slice(at + (closing ? 2 : 1), end);
    at = end + 1;
    if (/^[!?]/.test(inner)) return undefined;
    const empty = inner.endsWith('/');
    const name = /^[\w.:-]+/.exec(inner)?.[0];
    return name ? { name, closing, empty } : undefined;
  };
  const out: FileProps[] = [];
  for (;;) {
    const t = tag();
    if (!t) return undefined;
    if (t.closing) return local(t.name) === 'listMetadataResponse' ? out : undefined;
    if (local(t.name) !== 'result') return undefined;
    const props: FileProps = {};
    out.push(props);
    if (t.empty) continue;
    for (;;) {
      const p = tag();
      if (!p) return undefined;
      if (p.closing) {
        if (p.name !== t.name) return undefined;
        break;
      }
      if (p.empty) continue; // nil or empty: left out
      const lt = xml.indexOf('<', at);
      const close = `</${p.name}>`;
      if (lt < 0 || !xml.startsWith(close, lt)) return undefined;
      const text = xml.slice(at, lt);
      at = lt + close.length;
      if (text === '') continue;
      if (text.includes('&')) {
        if (UNKNOWN_ENTITY.test(text)) return undefined;
        props[local(p.name)] = decode(text);
      } else props[local(p.name)] = text;
    }
  }
}

/** listMetadata for up to 3 queries (the Metadata API's limit per call). */
export async function listMetadataCall(conn: Connection, queries: readonly ListQuery[], asOfVersion: string): Promise<FileProps[]> {
  const text = await metadataSoapText(conn, 'listMetadata', {
    queries: queries.map((q) => (q.folder === undefined ? { type: q.type } : { folder: q.folder, type: q.type })),
    asOfVersion,
  });
  return filePropertiesOf(text);
}
