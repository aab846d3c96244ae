/**
 * One org as a side of "Compare environments" (the core CompareSide port): listMetadata for the
 * inventory, retrieve in METADATA format for the files (compare-retrieve.ts). The retrieve zip is
 * read in memory; nothing is written to disk.
 *
 * Child types (CustomField `Account.Foo__c`, ListView, CustomLabel…) are compared as their own
 * components, as listMetadata lists them; a parent is compared on its own XML without them.
 * A compare takes digests (retrieveDigests): the zip is read in a worker thread (zip-digests.ts);
 * `retrieve` gives the files themselves, for a diff.
 */
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import type { CompareSide, ComponentRef, DigestedComponent, ListedComponent, OrgChanges, RetrievedComponent } from '../../core/compare/types';
import { metadataTypeNames } from '../../core/metadata-types';
import { retryMessage, type RetryNotice } from '../../core/retry';
import { connectionOf, type OrgConnection } from '../connection';
import { cancelled, throwIfAborted, toSalesforceError } from '../errors';
import { describeTypes, listComponents } from '../metadata/metadata-list';
import { componentsFromZip } from './compare-zip';
import { retrieveZip } from './compare-retrieve';
import { sourceChangesSince } from '../metadata/source-tracking';
import type { Backoff, ReadOptions } from '../transient';
import { digestsOfZip, warmDigestWorker } from './zip-digests';

export interface CompareSideOptions {
  /** Name shown to the user (default: the org's alias or username). */
  label?: string;
  /**
   * Longest interval between status checks in ms (default 250; SDR's own grows to 10 s on big
   * sets). The first checks come sooner: 50, 100, 200 ms.
   */
  pollMs?: number;
  /** Give up a retrieve after this long (default 30 minutes). */
  timeoutMs?: number;
  /** listMetadata calls in flight (default 8: a compare lists every type and child type). */
  listConcurrency?: number;
  /**
   * Read the org's source tracking (when it has it) so an unchanged org need not be listed again
   * (default true). False: no change log, every compare lists in full.
   */
  sourceTracking?: boolean;
  /**
   * Told when a read is tried again after a transient failure of the org (503, connection reset):
   * "UAT answered 503; retrying in 1 s (2 of 4)".
   */
  onRetry?: (message: string) => void;
  /** The waits between tries (default: about 0.5, 1 and 2 s); tests make them short. */
  backoff?: Backoff;
}

let registry: RegistryAccess | undefined;

function knownType(name: string): boolean {
  registry ??= new RegistryAccess();
  try {
    return Boolean(registry.getTypeByName(name));
  } catch {
    return false;
  }
}

/** The type names (and child type names) of an org, described at most once per 15 minutes. */
const DESCRIBE_TTL_MS = 15 * 60_000;
const described = new WeakMap<OrgConnection, { at: number; names: Promise<string[]> }>();

function typeNamesOf(handle: OrgConnection, read: ReadOptions): Promise<string[]> {
  const hit = described.get(handle);
  if (hit && Date.now() - hit.at < DESCRIBE_TTL_MS) return hit.names;
  const names = describeTypes(handle, read).then((types) => metadataTypeNames(types).filter(knownType));
  described.set(handle, { at: Date.now(), names });
  // A failed describe is not remembered.
  names.catch(() => described.get(handle)?.names === names && described.delete(handle));
  return names;
}

/** Types never compared: the manifest itself. */
const SKIP = new Set(['Package']);

export class SalesforceCompareSide implements CompareSide {
  readonly id: string;
  readonly label: string;

  constructor(
    private readonly handle: OrgConnection,
    private readonly opts: CompareSideOptions = {},
  ) {
    this.id = handle.orgId;
    this.label = opts.label ?? handle.label;
  }

  private readonly retrying = (n: RetryNotice): void => this.opts.onRetry?.(retryMessage(this.label, n));

  async listComponents(types: readonly string[] | undefined, signal: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<readonly ListedComponent[]> {
    throwIfAborted(signal, this.label);
    warmDigestWorker(); // loads while the org is listed
    // Every type the org describes, and their child types (listMetadata lists those too).
    // Types SDR does not know are left out: they could not be retrieved (the whole chunk would fail).
    const wanted = types ? [...types] : await typeNamesOf(this.handle, { onRetry: this.retrying, backoff: this.opts.backoff });
    const listed = await listComponents(this.handle, [...new Set(wanted)], { signal, concurrency: this.opts.listConcurrency ?? 8, onProgress, onRetry: this.retrying, backoff: this.opts.backoff });
    throwIfAborted(signal, this.label);
    return listed
      .filter((c) => !SKIP.has(c.type))
      .map((c) => ({ type: c.type, fullName: c.fullName, lastModifiedDate: c.lastModifiedDate, fileName: c.fileName || undefined }));
  }

  async changesSince(since: string | undefined, signal: AbortSignal): Promise<OrgChanges | undefined> {
    if (this.opts.sourceTracking === false) return undefined;
    throwIfAborted(signal, this.label);
    try {
      return await sourceChangesSince(this.handle, since, { signal, onRetry: this.retrying, backoff: this.opts.backoff });
    } catch (e) {
      if (signal.aborted) throw cancelled(this.label);
      throw toSalesforceError(e, { org: this.label, action: `Reading the source tracking of "${this.label}"` });
    }
  }

  retrieve(refs: readonly ComponentRef[], signal: AbortSignal): Promise<Iterable<RetrievedComponent>> {
    return this.retrieveAndRead(refs, signal, (zip) => componentsFromZip(zip));
  }

  retrieveDigests(refs: readonly ComponentRef[], signal: AbortSignal): Promise<Iterable<DigestedComponent>> {
    return this.retrieveAndRead(refs, signal, (zip) => digestsOfZip(zip, signal));
  }

  /** One retrieve of `refs`, its zip then read by `read`; errors name the org. */
  private async retrieveAndRead<T>(refs: readonly ComponentRef[], signal: AbortSignal, read: (zip: Buffer) => Promise<T[]>): Promise<T[]> {
    throwIfAborted(signal, this.label);
    if (refs.length === 0) return [];
    const zip = await this.retrieveZip(refs, signal);
    throwIfAborted(signal, this.label);
    try {
      return await read(zip);
    } catch (e) {
      if (signal.aborted) throw cancelled(this.label);
      throw toSalesforceError(e, { org: this.label, action: `Reading what was retrieved from "${this.label}"` });
    }
  }

  /** One retrieve request; resolves with the zip the org returned. */
  private async retrieveZip(refs: readonly ComponentRef[], signal: AbortSignal): Promise<Buffer> {
    try {
      return await retrieveZip(connectionOf(this.handle), refs, {
        label: this.label,
        pollMs: this.opts.pollMs ?? 250,
        timeoutMs: this.opts.timeoutMs ?? 30 * 60_000,
        signal,
        onRetry: this.retrying,
        backoff: this.opts.backoff,
      });
    } catch (e) {
      if (signal.aborted) throw cancelled(this.label);
      throw toSalesforceError(e, { org: this.label, action: `Retrieving from "${this.label}"` });
    }
  }
}

/** A compare side over an open org connection. */
export function compareSide(handle: OrgConnection, opts: CompareSideOptions = {}): CompareSide {
  return new SalesforceCompareSide(handle, opts);
}
