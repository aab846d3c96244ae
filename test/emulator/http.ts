import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {}

/**
 * The URL of a request as Salesforce reads it: repeated slashes in the path count as one
 * (`//services/data` is `/services/data`; clients that keep the instance URL with a trailing
 * slash send such paths), and a path never names a host (`new URL('//x', base)` would).
 */
export function requestUrl(raw: string | undefined, base: string): URL {
  const target = raw || '/';
  const q = target.search(/[?#]/);
  const pathPart = q === -1 ? target : target.slice(0, q);
  const rest = q === -1 ? '' : target.slice(q);
  // An absolute-form target (`http://host/path`, as sent to a proxy): keep only its path.
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(pathPart) ? pathPart.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') : pathPart;
  const clean = `/${path.replace(/^\/+/, '')}`.replace(/\/{2,}/g, '/');
  return new URL(clean + rest, base);
}

/** Reads a request body up to `limit` bytes; rejects with BodyTooLargeError past it. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(`Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    req.on('error', (e) => !failed && reject(e));
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json;charset=UTF-8' } : {}),
    ...headers,
  });
  res.end(text);
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

/** A successful SOAP reply: `<{op}Response>{inner}</{op}Response>` in a prefixed envelope. */
export function sendSoap(res: ServerResponse, operation: string, inner: string): void {
  const body = `${ENVELOPE_OPEN}<${operation}Response>${inner}</${operation}Response>${ENVELOPE_CLOSE}`;
  res.writeHead(200, { 'Content-Type': 'text/xml;charset=UTF-8' });
  res.end(body);
}

/** A SOAP fault, as Salesforce sends it: HTTP 500, `sf:CODE` faultcode. */
export function sendSoapFault(res: ServerResponse, code: string, message: string, status = 500): void {
  const body = `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>sf:${xmlEscape(code)}</faultcode><faultstring>${xmlEscape(
    `${code}: ${message}`,
  )}</faultstring></soapenv:Fault>${ENVELOPE_CLOSE}`;
  res.writeHead(status, { 'Content-Type': 'text/xml;charset=UTF-8' });
  res.end(body);
}

/** A REST error in Salesforce's shape: `[{"errorCode","message"}]`. */
export function sendRestError(res: ServerResponse, status: number, errorCode: string, message: string, fields?: string[]): void {
  sendJson(res, status, [{ errorCode, message, ...(fields ? { fields } : {}) }]);
}

/** Serializes a plain value into SOAP XML children: arrays repeat the element, objects nest. */
export function toXml(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}
