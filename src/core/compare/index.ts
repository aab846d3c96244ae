export * from './types';
export { compareEnvironments, DEFAULT_CHUNK_SIZE, DEFAULT_CONCURRENCY, type CompareOptions } from './compare';
export { CompareCancelledError, isCancellation } from './abort';
export { MAX_LISTING_AGE_MS } from './listing';
export {
  MemoryCompareCache,
  CANONICAL_VERSION,
  usableDigest,
  remember,
  pruneCache,
  type CompareCache,
  type CacheEntry,
  type SerializedCompareCache,
  type CachedListing,
} from './cache';
export {
  diffComponent,
  diffDigests,
  digestComponent,
  fingerprint,
  canonicalFile,
  sameFile,
  fileModeFor,
  type ComponentDigest,
  type ComponentDiff,
  type FileMode,
} from './component-diff';
export { normalizeText, normalizeXml, normalizeLineEndings, canonicalizeXml, UNORDERED_ELEMENTS, type UnorderedRule } from './normalize';
export { compareResultToCsv, csvCell, CSV_COLUMNS } from './csv';
