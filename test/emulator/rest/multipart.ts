import { RestError, type RestRequest } from '../context';
import { header } from './call';

/**
 * `multipart/form-data` bodies of blob inserts ("Insert or Update Blob Data" in the REST API
 * guide): one part holds the record's other fields as JSON (`Content-Type: application/json`), and
 * each binary part is named after its blob field (`name="VersionData"`). Resolved to one record
 * whose blob fields are base64, as a JSON insert would give them.
 */

export function isMultipart(req: RestRequest): boolean {
  return /^multipart\/form-data/i.test(header(req, 'content-type') ?? '');
}

interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

function parts(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const out: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new RestError(400, 'JSON_PARSER_ERROR', 'The multipart body has no part with the boundary of its Content-Type.');
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new RestError(400, 'JSON_PARSER_ERROR', 'The multipart body ends without its closing boundary.');
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const raw = body.subarray(start + 2, next - 2);
    const split = raw.indexOf('\r\n\r\n');
    const head = split < 0 ? '' : raw.subarray(0, split).toString('utf8');
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    out.push({ headers, body: split < 0 ? raw : raw.subarray(split + 4) });
    at = next;
  }
  return out;
}

/** The record a multipart insert describes. */
export function multipartRecord(req: RestRequest): Record<string, unknown> {
  const boundary = /boundary="?([^";]+)"?/i.exec(header(req, 'content-type') ?? '')?.[1];
  if (!boundary) throw new RestError(400, 'JSON_PARSER_ERROR', 'A multipart/form-data Content-Type needs a boundary.');
  let record: Record<string, unknown> | undefined;
  const blobs: Record<string, string> = {};
  for (const p of parts(req.body, boundary)) {
    const name = /\bname="([^"]*)"/i.exec(p.headers['content-disposition'] ?? '')?.[1];
    // The record is the JSON part without a file name; a file part is a blob whatever its type (a .json file too).
    const isFile = /filename=/i.test(p.headers['content-disposition'] ?? '');
    if (!isFile && /application\/json/i.test(p.headers['content-type'] ?? '')) {
      try {
        record = JSON.parse(p.body.toString('utf8')) as Record<string, unknown>;
      } catch (e) {
        throw new RestError(400, 'JSON_PARSER_ERROR', `Unexpected character in the JSON part: ${(e as Error).message}`);
      }
    } else if (name) blobs[name] = p.body.toString('base64');
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) {
    throw new RestError(400, 'JSON_PARSER_ERROR', 'The multipart body has no JSON part (Content-Type: application/json) with the record fields.');
  }
  return { ...record, ...blobs };
}
