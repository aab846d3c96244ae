/**
 * A checkDeployStatus answer (read as text, metadata-soap.ts) as the DeployResult record
 * deploy-result.ts reads. A finished 10,000-component deploy answers with 10,000 flat
 * `<componentSuccesses>` records: those are scanned here directly, and the rest of the answer
 * (status, failures, test results, nested) goes through the XML parser.
 */
import { decodeXmlText } from './list-metadata-call';
import { child, soapXmlParser, type Parsed } from './metadata-soap';

const parser = soapXmlParser();

const SUCCESS_BLOCK = /<componentSuccesses>([^]*?)<\/componentSuccesses>/g;
/** One flat property: `<name>text</name>`, `<name/>` or `<name xsi:nil="true"/>`. */
const PROPERTY = /\s*<([A-Za-z_][\w.-]*)(?:\s[^<>]*?)?(?:\/>|>([^<]*)<\/\1>)\s*/y;

/** The flat properties of one record, or undefined when it is not flat (the parser then reads it). */
function flatRecord(inner: string): Parsed | undefined {
  const out: Parsed = {};
  PROPERTY.lastIndex = 0;
  let at = 0;
  while (at < inner.length) {
    PROPERTY.lastIndex = at;
    const m = PROPERTY.exec(inner);
    if (!m) return inner.slice(at).trim() === '' ? out : undefined;
    at = PROPERTY.lastIndex;
    if (m[2] === undefined || m[2] === '') continue;
    const text = decodeXmlText(m[2]);
    if (text === undefined) return undefined;
    out[m[1]] = text;
  }
  return out;
}

/** The `result` of a checkDeployStatus answer, or undefined when the answer has none. */
export function deployStatusOf(xml: string): Parsed | undefined {
  const successes: Parsed[] = [];
  let flat = true;
  const rest = xml.replace(SUCCESS_BLOCK, (_all, inner: string) => {
    const r = flat ? flatRecord(inner) : undefined;
    if (!r) flat = false;
    else successes.push(r);
    return '';
  });
  const parsedXml = flat ? rest : xml;
  const result = child(child(child(child(parser.parse(parsedXml), 'Envelope'), 'Body'), 'checkDeployStatusResponse'), 'result');
  if (!result || typeof result !== 'object') return undefined;
  if (!flat || successes.length === 0) return result as Parsed;
  const r = result as Parsed;
  const details = (typeof r.details === 'object' && r.details !== null ? r.details : {}) as Parsed;
  return { ...r, details: { ...details, componentSuccesses: successes } };
}
