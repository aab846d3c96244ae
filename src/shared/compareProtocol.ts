/**
 * Messages between the compare panel (webview) and its host. Host → webview messages are trusted;
 * every webview → host message is checked at run time by `parseCompareMessage` before use.
 * Plain types only: used by the extension and by the browser bundle.
 */

import type { CompareItem, CompareStatus, ComponentRef, ListingInfo } from '../core/compare/types';

// The rows are the engine's own items (plain data); the statuses are the engine's, in its order.
export { COMPARE_STATUSES as STATUSES } from '../core/compare/types';
export type { CompareStatus };
export type ComponentRefMsg = ComponentRef;
export type CompareRow = CompareItem;

/** What the panel shows: one compare of a source environment against a target. */
export interface CompareView {
  sourceEnv: string;
  targetEnv: string;
  /** "All metadata types", "3 metadata types", "Change request CR-0042"… */
  scope: string;
  startedAt: string;
  items: CompareRow[];
  countsByStatus: Record<CompareStatus, number>;
  countsByType: Record<string, Record<CompareStatus, number>>;
  notFound: ComponentRefMsg[];
  retrievedCount: number;
  fromCacheCount: number;
  /** How each side was listed (absent in results saved by earlier versions). */
  listing?: { source: ListingInfo; target: ListingInfo };
  /** What was compared, so Refresh compares the same again. */
  request: CompareScope;
}

/** Either some metadata types (none = all types) or given components (a change request's). */
export interface CompareScope {
  types?: string[];
  components?: ComponentRefMsg[];
}

/** Saved by the webview (vscode.setState) so the serializer knows which compare to restore. */
export interface CompareWebviewState {
  sourceEnv: string;
  targetEnv: string;
  /** The user's filters and sort (the webview's own business; the host ignores it). */
  query?: unknown;
}

export type HostMessage =
  | { type: 'init'; view: CompareView }
  /** No result to show (restored after a reload without a saved result): offer to run again. */
  | { type: 'empty'; sourceEnv: string; targetEnv: string; reason: string }
  | { type: 'busy'; text: string }
  | { type: 'idle' };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'openDiff'; ref: ComponentRefMsg; path?: string }
  | { type: 'createChangeRequest'; refs: ComponentRefMsg[] }
  | { type: 'exportCsv' }
  | { type: 'refresh'; full: boolean };

/** Most components one message may name (a whole org compare selects at most this many). */
export const MAX_REFS = 50_000;
const MAX_TEXT = 2_000;

export class InvalidMessageError extends Error {
  constructor(reason: string) {
    super(`Ignored a message from the compare panel: ${reason}`);
    this.name = 'InvalidMessageError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT) throw new InvalidMessageError(`${what} must be non-empty text of at most ${MAX_TEXT} characters.`);
  return v;
}

function ref(v: unknown, what: string): ComponentRefMsg {
  if (!isRecord(v)) throw new InvalidMessageError(`${what} must be an object with type and fullName.`);
  return { type: text(v.type, `${what}.type`), fullName: text(v.fullName, `${what}.fullName`) };
}

/** The message if it is one the panel may send; throws InvalidMessageError saying what is wrong. */
export function parseCompareMessage(raw: unknown): WebviewMessage {
  if (!isRecord(raw) || typeof raw.type !== 'string') throw new InvalidMessageError('not an object with a type.');
  switch (raw.type) {
    case 'ready':
    case 'exportCsv':
      return { type: raw.type };
    case 'refresh':
      if (typeof raw.full !== 'boolean') throw new InvalidMessageError('refresh.full must be true or false.');
      return { type: 'refresh', full: raw.full };
    case 'openDiff': {
      const msg: WebviewMessage = { type: 'openDiff', ref: ref(raw.ref, 'openDiff.ref') };
      if (raw.path !== undefined) {
        const p = text(raw.path, 'openDiff.path');
        if (p.split('/').some((s) => s === '..' || s === '')) throw new InvalidMessageError('openDiff.path must be a relative path inside the component.');
        msg.path = p;
      }
      return msg;
    }
    case 'createChangeRequest': {
      if (!Array.isArray(raw.refs) || raw.refs.length === 0 || raw.refs.length > MAX_REFS) {
        throw new InvalidMessageError(`createChangeRequest.refs must list 1 to ${MAX_REFS} components.`);
      }
      return { type: 'createChangeRequest', refs: raw.refs.map((r, i) => ref(r, `createChangeRequest.refs[${i}]`)) };
    }
    default:
      throw new InvalidMessageError(`unknown message type "${raw.type.slice(0, 40)}".`);
  }
}

/** The saved webview state if it is well formed (it comes back from the webview on restore). */
export function parseWebviewState(raw: unknown): CompareWebviewState | undefined {
  if (!isRecord(raw)) return undefined;
  const { sourceEnv, targetEnv } = raw;
  if (typeof sourceEnv !== 'string' || typeof targetEnv !== 'string' || !sourceEnv || !targetEnv) return undefined;
  if (sourceEnv.length > MAX_TEXT || targetEnv.length > MAX_TEXT) return undefined;
  return { sourceEnv, targetEnv };
}
