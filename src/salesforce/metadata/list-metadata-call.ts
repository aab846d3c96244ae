/**
 * One listMetadata call, sent through jsforce's own SOAP endpoint class (metadata-soap.ts: the
 * session header, the session refresh on INVALID_SESSION_ID and proxy settings are the
 * library's; a transient failure is tried again), with the answer read as text and parsed here.
 *
 * Why: jsforce parses SOAP answers with xml2js and then casts them through its schema with an
 * object spread per property; on a compare of two 10,000-component orgs that was about 1 s of
 * CPU per listing of both orgs, most of an unchanged re-compare. The FileProperties read here
 * are flat records of text fields, the same values jsforce returns.
 */
import type { Connection } from '@salesforce/core';
import { child, readMetadataSoap, soapXmlParser, type Parsed } from './metadata-soap';
import type { ReadContext } from '../transient';

export interface ListQuery {
  type: string;
  folder?: string;
}

/** One FileProperties record: element name → text (nil and empty elements are left out). */
export type FileProps = Record<string, string>;

const parser = soapXmlParser((_name, jpath) => jpath === 'Envelope.Body.listMetadataResponse.result');

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

/** XML text with its entities resolved; undefined when it holds an entity XML does not define. */
export function decodeXmlText(text: string): string | undefined {
  if (!text.includes('&')) return text;
  return UNKNOWN_ENTITY.test(text) ? undefined : decode(text);
}

function decode(text: string): string {
  return text.replace(ENTITY, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name ? NAMED[name] : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16)),
  );
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

function skipBlanks(xml: string, at: number): number {
  for (;;) {
    const c = xml.charCodeAt(at);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return at;
    at++;
  }
}

/** End of a tag name starting at `at`: the first blank, `/` or `>`. */
function nameEnd(xml: string, at: number): number {
  for (;;) {
    const c = xml.charCodeAt(at);
    if (Number.isNaN(c) || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === SLASH || c === GT) return at;
    at++;
  }
}

/** Local name of a tag name (`soapenv:Body` → `Body`). */
function local(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
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
  const out: FileProps[] = [];
  let at = found.index + found[0].length;
  for (;;) {
    at = skipBlanks(xml, at);
    if (xml.charCodeAt(at) !== LT) return undefined;
    const gt = xml.indexOf('>', at);
    if (gt < 0) return undefined;
    if (xml.charCodeAt(at + 1) === SLASH) {
      return local(xml.slice(at + 2, gt).trim()) === 'listMetadataResponse' ? out : undefined;
    }
    const resultName = xml.slice(at + 1, nameEnd(xml, at + 1));
    if (local(resultName) !== 'result') return undefined;
    const props: FileProps = {};
    out.push(props);
    at = gt + 1;
    if (xml.charCodeAt(gt - 1) === SLASH) continue;
    for (;;) {
      at = skipBlanks(xml, at);
      if (xml.charCodeAt(at) !== LT) return undefined;
      const next = xml.charCodeAt(at + 1);
      const tagEnd = xml.indexOf('>', at);
      if (tagEnd < 0) return undefined;
      if (next === SLASH) {
        if (xml.slice(at + 2, tagEnd).trim() !== resultName) return undefined;
        at = tagEnd + 1;
        break;
      }
      const end = nameEnd(xml, at + 1);
      if (end === at + 1 || next === 0x21 /* ! */ || next === 0x3f /* ? */) return undefined;
      const name = xml.slice(at + 1, end);
      if (xml.charCodeAt(tagEnd - 1) === SLASH) {
        at = tagEnd + 1; // nil or empty: left out
        continue;
      }
      const lt = xml.indexOf('<', tagEnd + 1);
      // The property must close right after its text: `</name>`.
      if (lt < 0 || xml.charCodeAt(lt + 1) !== SLASH || !xml.startsWith(name, lt + 2) || xml.charCodeAt(lt + 2 + name.length) !== GT) return undefined;
      const text = xml.slice(tagEnd + 1, lt);
      at = lt + 3 + name.length;
      if (text === '') continue;
      if (text.includes('&')) {
        if (UNKNOWN_ENTITY.test(text)) return undefined;
        props[local(name)] = decode(text);
      } else props[local(name)] = text;
    }
  }
}

/** listMetadata for up to 3 queries (the Metadata API's limit per call), tried again after a transient failure. */
export async function listMetadataCall(conn: Connection, queries: readonly ListQuery[], asOfVersion: string, ctx: ReadContext): Promise<FileProps[]> {
  const text = await readMetadataSoap(conn, 'listMetadata', {
    queries: queries.map((q) => (q.folder === undefined ? { type: q.type } : { folder: q.folder, type: q.type })),
    asOfVersion,
  }, ctx);
  return filePropertiesOf(text);
}
