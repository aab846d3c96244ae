/**
 * Types of "Compare environments": the port the Salesforce layer implements (CompareSide), and
 * the result the views show. No `vscode`, no Salesforce library here.
 */

import type { ComponentRef } from '../metadata-types';

export type { ComponentRef };

/** A component as listed by an org (listMetadata FileProperties). */
export interface ListedComponent extends ComponentRef {
  /**
   * ISO date of the last change. It decides whether a cached fingerprint is still valid, so it
   * must change whenever ANY file of the component changes: for components with children
   * (a CustomObject and its fields in source format) the side reports the latest of them.
   * Undefined means "unknown": the component is then always retrieved.
   */
  lastModifiedDate?: string;
  fileName?: string;
}

/** File contents of a component, keyed by path (the same path shape on both sides). */
export type ComponentFiles = ReadonlyMap<string, string | Uint8Array>;

export interface RetrievedComponent extends ComponentRef {
  files: ComponentFiles;
}

/** What is kept of a component: hashes of its files' canonical forms (component-diff.ts). Serializable. */
export interface ComponentDigest {
  /** sha256 over all files' paths and hashes: equal fingerprints mean identical components. */
  fingerprint: string;
  /** Path → sha256 of the file's canonical form. */
  files: Record<string, string>;
  /** Path → why the file was not compared as intended (malformed XML compared as text). */
  notes?: Record<string, string>;
}

/** A retrieved component reduced to its digest (component-diff.ts) where it was retrieved. */
export interface DigestedComponent extends ComponentRef {
  digest: ComponentDigest;
}

/**
 * One environment being compared. Implemented by the Salesforce layer over listMetadata and
 * retrieve; in unit tests by an in-memory fake.
 */
export interface CompareSide {
  /** Stable identity of the org (its org id): the cache key. */
  readonly id: string;
  /** Name shown to the user (environment name or alias). */
  readonly label: string;
  /**
   * Components of the given types; `undefined` means every type the side supports. `onProgress`
   * (optional) tells how many types (and folders) are listed of how many so far known.
   */
  listComponents(types: readonly string[] | undefined, signal: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<readonly ListedComponent[]>;
  /**
   * Files of the requested components. May yield them as they arrive. A component that cannot
   * be retrieved is simply not yielded (the engine reports it).
   */
  retrieve(
    refs: readonly ComponentRef[],
    signal: AbortSignal,
  ): AsyncIterable<RetrievedComponent> | Promise<Iterable<RetrievedComponent>>;
  /**
   * Optional: the digests of the requested components instead of their files, for a side that
   * can compute them off the caller's thread (the Salesforce side does it in a worker thread).
   * Same contract as `retrieve`; the digests must be `digestComponent`'s.
   */
  retrieveDigests?(refs: readonly ComponentRef[], signal: AbortSignal): Promise<Iterable<DigestedComponent>>;
  /**
   * Optional: the org's own change log (Salesforce source tracking). `since` undefined asks only
   * for the current revision. Resolves undefined when the org keeps no change log (a production
   * org): the engine then lists the org in full every time.
   */
  changesSince?(since: string | undefined, signal: AbortSignal): Promise<OrgChanges | undefined>;
}

/** What an org's change log says changed after a revision. */
export interface OrgChanges {
  /** The org's revision now; the next check asks for changes after it. */
  revision: string;
  /**
   * The listing types to list again: every type with a change, plus the types whose listing a
   * change affects (a folder's content when the folder changed). Empty when nothing changed.
   */
  types: readonly string[];
  /** Changes recorded after `since` (0 when `since` was undefined). */
  count: number;
}

/** How a side's components were listed in one compare. */
export interface ListingInfo {
  /**
   * `full`: every compared type listed. `tracked`: the cached listing reused, with only the
   * types the org's change log names listed again.
   */
  mode: 'full' | 'tracked';
  /** For `tracked`: changes the change log reported since the last compare. */
  changes?: number;
  /** For `tracked`: types listed again. */
  relistedTypes?: number;
  /** For `tracked`: when the reused listing was made in full (ISO). */
  listedAt?: string;
  /** Why the org's change log could not be used although the org has one (listed in full then). */
  problem?: string;
}

export type CompareStatus = 'only-in-source' | 'only-in-target' | 'different' | 'identical';
export const COMPARE_STATUSES: readonly CompareStatus[] = ['only-in-source', 'only-in-target', 'different', 'identical'];

export type FileChange = 'modified' | 'only-in-source' | 'only-in-target';

export interface DifferingFile {
  path: string;
  change: FileChange;
}

export interface CompareItem extends ComponentRef {
  status: CompareStatus;
  /** For `different`: which files differ, sorted by path. */
  differingFiles?: DifferingFile[];
  sourceModified?: string;
  targetModified?: string;
  /** Things the user should know about this comparison (XML compared as text, not retrieved…). */
  notes?: string[];
}

export interface CompareSideInfo {
  id: string;
  label: string;
}

export interface CompareResult {
  source: CompareSideInfo;
  target: CompareSideInfo;
  /** ISO date. */
  startedAt: string;
  /** Sorted by type, then fullName. */
  items: CompareItem[];
  countsByStatus: Record<CompareStatus, number>;
  countsByType: Record<string, Record<CompareStatus, number>>;
  /** Requested components (change request) that neither environment has. */
  notFound: ComponentRef[];
  /** Components retrieved, counted once per side. */
  retrievedCount: number;
  /** Components whose fingerprint came from the cache, counted once per side. */
  fromCacheCount: number;
  /** How each side was listed. */
  listing: { source: ListingInfo; target: ListingInfo };
}

export type ComparePhase = 'listing' | 'retrieving' | 'comparing';

export interface CompareProgress {
  phase: ComparePhase;
  done: number;
  total: number;
  detail: string;
  /**
   * Something worth the log while the work goes on, e.g. "UAT answered 503; retrying in 1 s
   * (2 of 4)" (then also the detail).
   */
  notice?: string;
}
