/**
 * Listing what an org holds: describeMetadata for the types, listMetadata for the components.
 * listMetadata takes at most 3 queries per call; calls run in parallel up to a bound. Foldered
 * types (reports, dashboards, documents, email templates) list their folders first, then each
 * folder's content.
 */
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import type { ComponentInfo, MetadataTypeInfo } from '../../core/metadata-types';
import type { RetryNotice } from '../../core/retry';
import { TaskPool } from '../../core/pool';
import { connectionOf, type OrgConnection } from '../connection';
import { SalesforceError, throwIfAborted, toSalesforceError } from '../errors';
import { listMetadataCall } from './list-metadata-call';
import { child, readMetadataSoap, soapXmlParser } from './metadata-soap';
import type { Backoff, ReadContext, ReadOptions } from '../transient';

/** Queries per listMetadata call, as the Metadata API allows. */
const QUERIES_PER_CALL = 3;

export interface ListOptions {
  /** listMetadata calls in flight at once (default 3). */
  concurrency?: number;
  signal?: AbortSignal;
  /** After each listMetadata call: how many types (and folders) are listed, of how many so far known. */
  onProgress?: (done: number, total: number) => void;
  /** Before a call is tried again after a transient failure (503, connection reset…). */
  onRetry?: (notice: RetryNotice) => void;
  backoff?: Backoff;
}

interface Query {
  type: string;
  folder?: string;
}

type RawProps = Record<string, unknown>;

function asArray<T>(v: T | T[] | undefined | null): T[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function toInfo(p: RawProps): ComponentInfo {
  return {
    type: String(p.type ?? ''),
    fullName: String(p.fullName ?? ''),
    id: str(p.id),
    fileName: String(p.fileName ?? ''),
    createdByName: str(p.createdByName),
    createdDate: str(p.createdDate),
    lastModifiedByName: str(p.lastModifiedByName),
    lastModifiedDate: str(p.lastModifiedDate),
    manageableState: str(p.manageableState),
    namespacePrefix: str(p.namespacePrefix),
  };
}

const describeParser = soapXmlParser((name) => name === 'metadataObjects' || name === 'childXmlNames');

/** The metadataObjects of a describeMetadata answer. Throws when the answer is not one. */
export function describedTypesOf(xml: string): MetadataTypeInfo[] {
  const result = child(child(child(child(describeParser.parse(xml), 'Envelope'), 'Body'), 'describeMetadataResponse'), 'result');
  if (typeof result !== 'object' || result === null) throw new Error(`Unexpected describeMetadata answer: ${xml.slice(0, 200)}`);
  const objects = child(result, 'metadataObjects');
  return (Array.isArray(objects) ? objects : [])
    .map((o: unknown) => ({
      name: str(child(o, 'xmlName')) ?? '',
      directoryName: str(child(o, 'directoryName')) ?? '',
      inFolder: child(o, 'inFolder') === 'true',
      metaFile: child(o, 'metaFile') === 'true',
      suffix: str(child(o, 'suffix')),
      childXmlNames: asArray(child(o, 'childXmlNames') as unknown[] | undefined).filter((n): n is string => typeof n === 'string' && n !== ''),
    }))
    .filter((t) => t.name !== '')
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The metadata types the org supports (tried again after a transient failure). */
export async function describeTypes(handle: OrgConnection, ctx: ReadOptions = {}): Promise<MetadataTypeInfo[]> {
  const conn = connectionOf(handle);
  try {
    return describedTypesOf(await readMetadataSoap(conn, 'describeMetadata', { asOfVersion: conn.getApiVersion() }, { label: handle.label, ...ctx }));
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: 'Describing the metadata types' });
  }
}

let registry: RegistryAccess | undefined;

/** The folder type of a foldered type (Report → ReportFolder), from SDR's registry. */
function folderTypeOf(type: string): string | undefined {
  registry ??= new RegistryAccess();
  try {
    const t = registry.getTypeByName(type);
    if (!t.folderType) return undefined;
    return registry.getTypeByName(t.folderType).name;
  } catch {
    return undefined;
  }
}

/** Types whose unfiled folder holds content without being listed as a folder. */
const UNFILED: Record<string, string> = { Report: 'unfiled$public', EmailTemplate: 'unfiled$public' };

/**
 * Components of the given types (all types the org describes when omitted), sorted by type then
 * name. Folders of foldered types are included as their folder type (e.g. ReportFolder).
 */
export async function listComponents(handle: OrgConnection, types?: string[], opts: ListOptions = {}): Promise<ComponentInfo[]> {
  const conn = connectionOf(handle);
  const apiVersion = conn.getApiVersion();
  const pool = new TaskPool(Math.max(1, Math.min(opts.concurrency ?? 3, 10)));
  const read: ReadContext = { label: handle.label, signal: opts.signal, onRetry: opts.onRetry, backoff: opts.backoff };
  const wanted = types ?? (await describeTypes(handle, read)).map((t) => t.name);
  for (const t of wanted) if (!t || typeof t !== 'string') throw new SalesforceError('invalid-request', 'Metadata type names must be non-empty strings.');

  let failed = false;
  let queriesDone = 0;
  let queriesTotal = 0;
  const run = async (queries: Query[]): Promise<ComponentInfo[]> => {
    queriesTotal += queries.length;
    const out: ComponentInfo[] = [];
    const calls: Array<Promise<void>> = [];
    for (let i = 0; i < queries.length; i += QUERIES_PER_CALL) {
      const chunk = queries.slice(i, i + QUERIES_PER_CALL);
      calls.push(
        pool.run(async () => {
          throwIfAborted(opts.signal, handle.label);
          // After a failure the listing is lost anyway: the calls still queued are not sent.
          if (failed) return;
          try {
            for (const p of await listMetadataCall(conn, chunk, apiVersion, read)) if (p.fullName) out.push(toInfo(p));
            queriesDone += chunk.length;
            opts.onProgress?.(queriesDone, queriesTotal);
          } catch (e) {
            failed = true;
            throw toSalesforceError(e, { org: handle.label, action: `Listing ${chunk.map((q) => q.folder ? `${q.type} in ${q.folder}` : q.type).join(', ')}` });
          }
        }),
      );
    }
    // Settled first, so no call of this listing is still running when it fails.
    const settled = await Promise.allSettled(calls);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return out;
  };

  const plain: Query[] = [];
  const foldered: Array<{ type: string; folderType: string }> = [];
  for (const type of new Set(wanted)) {
    const folderType = folderTypeOf(type);
    if (folderType) foldered.push({ type, folderType });
    else plain.push({ type });
  }
  // Folder listings go with the plain types in the first round.
  const folderQueries = foldered.filter((f) => !plain.some((p) => p.type === f.folderType)).map((f) => ({ type: f.folderType }));
  const first = await run([...plain, ...folderQueries]);

  const contentQueries: Query[] = [];
  for (const f of foldered) {
    const folders = new Set(first.filter((c) => c.type === f.folderType).map((c) => c.fullName));
    if (UNFILED[f.type]) folders.add(UNFILED[f.type]);
    for (const folder of folders) contentQueries.push({ type: f.type, folder });
  }
  const second = contentQueries.length ? await run(contentQueries) : [];

  const seen = new Set<string>();
  const all: ComponentInfo[] = [];
  for (const c of [...first, ...second]) {
    const key = `${c.type}:${c.fullName}`;
    if (!seen.has(key)) {
      seen.add(key);
      all.push(c);
    }
  }
  all.sort((a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName));
  return all;
}
