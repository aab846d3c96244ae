/**
 * One retrieve request of the compare, in METADATA format, answered as the zip in memory.
 * The manifest is built as SDR builds it (retrieve-manifest.ts, with the API version SDR would use); the calls go
 * through jsforce's SOAP endpoint (metadata-soap.ts: session, refresh; a transient failure of the
 * start or of a status check is tried again, transient.ts); the status checks are polled as SDR
 * polls them (first check at once, then every `pollMs`) but their answers are read as text: only done/status/messages
 * and the base64 zip are taken, without xml2js walking the zip character by character and
 * jsforce casting one FileProperties record per retrieved file.
 */
import type { Connection } from '@salesforce/core';
import type { ComponentRef } from '../../core/compare/types';
import { sleepUnlessAborted, type RetryNotice } from '../../core/retry';
import { cancelled, SalesforceError } from '../errors';
import { child, readMetadataSoap, soapParser } from '../metadata/metadata-soap';
import type { Backoff } from '../transient';
import { retrieveManifest } from '../metadata/retrieve-manifest';

export interface RetrieveStatus {
  id?: string;
  done: boolean;
  status: string;
  success: boolean;
  errorMessage?: string;
  /** `problem` of each message (components that could not be retrieved…). */
  problems: string[];
  /** Base64 zip, once done. */
  zipFile?: string;
}

const FIRST_INTERVAL_MS = 50;

/** Removes every `<name>…</name>` / `<name/>` element (unprefixed) from the text. */
function withoutElements(xml: string, name: string): string {
  const open = `<${name}`;
  const close = `</${name}>`;
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const start = xml.indexOf(open, from);
    if (start < 0) break;
    const after = xml.charCodeAt(start + open.length);
    // `<name>`, `<name/>` or `<name attr…>` only, not `<nameLonger>`.
    if (after !== 0x3e && after !== 0x2f && after !== 0x20) {
      parts.push(xml.slice(from, start + open.length));
      from = start + open.length;
      continue;
    }
    const gt = xml.indexOf('>', start);
    if (gt < 0) break;
    const end = xml.charCodeAt(gt - 1) === 0x2f ? gt + 1 : xml.indexOf(close, gt);
    if (end < 0) break;
    parts.push(xml.slice(from, start));
    from = xml.charCodeAt(gt - 1) === 0x2f ? end : end + close.length;
  }
  parts.push(xml.slice(from));
  return parts.join('');
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Reads a `retrieve` or `checkRetrieveStatus` answer. The zip and the file properties are cut out
 * before parsing (a plain `<zipFile>` holds only base64); anything else is parsed normally.
 */
export function retrieveStatusOf(xml: string): RetrieveStatus {
  let zipFile: string | undefined;
  let rest = xml;
  const zipStart = xml.indexOf('<zipFile>');
  if (zipStart >= 0) {
    const zipEnd = xml.indexOf('</zipFile>', zipStart);
    if (zipEnd > 0) {
      zipFile = xml.slice(zipStart + '<zipFile>'.length, zipEnd).trim();
      rest = xml.slice(0, zipStart) + xml.slice(zipEnd + '</zipFile>'.length);
    }
  }
  rest = withoutElements(rest, 'fileProperties');
  const body = child(child(soapParser.parse(rest), 'Envelope'), 'Body');
  const response = child(body, 'checkRetrieveStatusResponse') ?? child(body, 'retrieveResponse');
  const result = child(response, 'result');
  if (typeof result !== 'object' || result === null) throw new Error(`Unexpected retrieve answer: ${rest.slice(0, 300)}`);
  const messages = child(result, 'messages');
  const problems = (Array.isArray(messages) ? messages : messages === undefined ? [] : [messages])
    .map((m) => text(child(m, 'problem')))
    .filter((p): p is string => p !== undefined);
  return {
    id: text(child(result, 'id')),
    done: child(result, 'done') === 'true',
    status: text(child(result, 'status')) ?? text(child(result, 'state')) ?? '',
    success: child(result, 'success') === 'true',
    errorMessage: text(child(result, 'errorMessage')),
    problems,
    zipFile: zipFile ?? text(child(result, 'zipFile')),
  };
}

export interface RetrieveZipOptions {
  /** The org, as named in messages. */
  label: string;
  /** Longest interval between status checks (the first ones come sooner). */
  pollMs: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** Before a call is tried again after a transient failure. */
  onRetry?: (notice: RetryNotice) => void;
  backoff?: Backoff;
  /** The org's messages of a finished retrieve (members it could not find…), when it gave any. */
  onProblems?: (problems: string[]) => void;
}

/** Starts a retrieve of the components and polls it to the end; the org's zip, decoded. */
export async function retrieveZip(conn: Connection, refs: readonly ComponentRef[], opts: RetrieveZipOptions): Promise<Buffer> {
  const { label, signal } = opts;
  // SDR: the connection's API version, for the request and the manifest.
  const apiVersion = conn.getApiVersion();
  const unpackaged = retrieveManifest(refs, apiVersion);
  if (signal.aborted) throw cancelled(label);
  // Starting a retrieve twice is harmless (a job nobody polls is dropped): a read like the rest.
  const read = { label, signal, onRetry: opts.onRetry, backoff: opts.backoff };
  const started = retrieveStatusOf(await readMetadataSoap(conn, 'retrieve', { request: { apiVersion, unpackaged } }, read));
  if (!started.id) throw new SalesforceError('server-error', `Retrieving from "${label}" did not start: the org gave no job id.`, undefined, label);

  const deadline = Date.now() + opts.timeoutMs;
  // Small retrieves finish in well under a second: check after 50, 100, 200… ms, up to pollMs.
  let checks = 0;
  const interval = () => Math.min(opts.pollMs, FIRST_INTERVAL_MS * 2 ** checks++);
  for (;;) {
    if (signal.aborted) throw cancelled(label);
    const status = retrieveStatusOf(await readMetadataSoap(conn, 'checkRetrieveStatus', { asyncProcessId: started.id }, read));
    if (status.done) {
      if (status.status !== 'Succeeded' || !status.zipFile) {
        const why = status.problems[0] ?? status.errorMessage;
        throw new SalesforceError(
          'server-error',
          `Retrieving from "${label}" ended ${status.status || 'without a status'}${why ? `: ${why}` : ''}.`,
          JSON.stringify(status.problems),
          label,
        );
      }
      if (status.problems.length) opts.onProblems?.(status.problems);
      return Buffer.from(status.zipFile, 'base64');
    }
    if (Date.now() > deadline) {
      throw new SalesforceError(
        'server-error',
        `Retrieving from "${label}" did not finish within ${Math.round(opts.timeoutMs / 60_000)} minutes. Try again later, or compare fewer types.`,
        undefined,
        label,
      );
    }
    await sleepUnlessAborted(interval(), signal);
  }
}
