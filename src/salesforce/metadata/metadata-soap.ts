/**
 * Metadata API SOAP calls answered as TEXT: the request goes through jsforce's own SOAP endpoint
 * class (session header, session refresh on INVALID_SESSION_ID and proxy settings stay the
 * library's), but the answer is not run through xml2js and jsforce's schema cast, which cost far
 * more than the call on big answers (thousands of FileProperties, a base64 zip of several MB).
 * Callers read the few fields they need. A failed answer keeps its HTTP status and Retry-After;
 * `readMetadataSoap` tries a read again after a transient failure (transient.ts).
 */
import { XMLParser } from 'fast-xml-parser';
import SOAP from '@jsforce/jsforce-node/lib/soap';
import type { HttpResponse } from '@jsforce/jsforce-node/lib/types';
import type { Connection } from '@salesforce/core';
import { readWithRetry, withResponseFacts, type ReadContext } from '../transient';

const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

/**
 * A parser of SOAP answers: text kept as sent, `removeNSPrefix` so `soapenv:Body` reads as `Body`;
 * `isArray` names the elements that are lists even when one is present.
 */
export function soapXmlParser(isArray?: (name: string, jpath: string) => boolean): XMLParser {
  return new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    processEntities: true,
    htmlEntities: false,
    trimValues: false,
    ...(isArray ? { isArray } : {}),
  });
}

/** For small answers and faults. */
export const soapParser = soapXmlParser();

export type Parsed = Record<string, unknown>;

export function child(v: unknown, name: string): unknown {
  return typeof v === 'object' && v !== null ? (v as Parsed)[name] : undefined;
}

/** The fault of a SOAP error answer, in the shape jsforce gives (errorCode `sf:CODE`, message). */
export function soapFaultOf(xml: string): { errorCode?: string; message?: string } {
  try {
    const fault = child(child(child(soapParser.parse(xml), 'Envelope'), 'Body'), 'Fault');
    const code = child(fault, 'faultcode');
    const message = child(fault, 'faultstring');
    return { errorCode: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : undefined };
  } catch {
    return {};
  }
}

/** jsforce's SOAP endpoint, answering text: the caller parses it. */
class TextSoap extends SOAP<never> {
  constructor(conn: Connection) {
    super(conn as never, {
      xmlns: METADATA_NS,
      endpointUrl: `${conn.instanceUrl}/services/Soap/m/${conn.version}`,
      // Read by HttpApi: parse the body as plain text.
      responseType: 'text/plain',
      // No retry in jsforce (it leaves POSTs alone anyway): readMetadataSoap retries, and says so.
      retry: { maxRetries: 0 },
    } as ConstructorParameters<typeof SOAP>[1]);
  }

  override getResponseBody(response: HttpResponse): Promise<unknown> {
    return Promise.resolve(response.body);
  }

  override parseError(body: string): { errorCode: string | undefined; message: string | undefined } {
    const { errorCode, message } = soapFaultOf(String(body));
    return { errorCode, message };
  }

  override async getError(response: HttpResponse, body?: unknown): Promise<Error> {
    return withResponseFacts(await super.getError(response, body), response);
  }
}

/** One Metadata API call (`method` with its arguments, as jsforce writes them); the answer as text. */
export async function metadataSoapText(conn: Connection, method: string, args: object): Promise<string> {
  const soap = new TextSoap(conn);
  const text = await soap.request({
    method: 'POST',
    url: `${conn.instanceUrl}/services/Soap/m/${conn.version}`,
    headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
    _message: { [method]: args },
  } as Parameters<TextSoap['request']>[0]);
  return String(text);
}

/** A Metadata API read (listMetadata, describeMetadata, retrieve, checkRetrieveStatus…), tried again after a transient failure. */
export function readMetadataSoap(conn: Connection, method: string, args: object, ctx: ReadContext): Promise<string> {
  return readWithRetry(ctx, () => metadataSoapText(conn, method, args));
}
