/**
 * Messages between the deployment log panel (host) and its webview, the rows it shows, and the
 * run-time check of every message the webview sends. Everything the host sends is plain text data
 * the webview renders with textContent. No vscode or DOM imports.
 */

/** The status groups the filter offers (core/promotion/log.ts LOG_STATUS_GROUPS). */
export const LOG_STATUS_OPTIONS = [
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'canceled', label: 'Cancelled' },
  { value: 'running', label: 'In progress' },
] as const;
export type LogStatusValue = (typeof LOG_STATUS_OPTIONS)[number]['value'];

export interface LogFilterView {
  status: LogStatusValue[];
  /** '' = any. */
  source: '' | 'changeline' | 'out-of-band';
  /** '' = both; 'validations' = check-only only; 'deploys' = not check-only. */
  kind: '' | 'validations' | 'deploys';
  text: string;
}

export const EMPTY_FILTER: LogFilterView = { status: [], source: '', kind: '', text: '' };

export interface LogRowView {
  id: string;
  /** ISO; the webview formats it. */
  when: string;
  status: string;
  statusLabel: string;
  /** succeeded | failed | canceled | running: the row's colour. */
  group: LogStatusValue;
  checkOnly: boolean;
  source: 'changeline' | 'out-of-band';
  who: string;
  message: string;
  crs: string[];
  /** The deployment record (number and environment holding it), for Changeline's. */
  record: string;
  components: string;
  tests: string;
  error: string;
}

export interface LogPanelState {
  environment: string;
  readAt: string;
  /** Deployments the org reported (before filtering). */
  total: number;
  /** Deployments the filter keeps. */
  matching: number;
  /** The first rows that match (the rest: refine the filter). */
  rows: LogRowView[];
  filter: LogFilterView;
  notes: string[];
  /** The deployment to select (after View Log), when it is shown. */
  selected?: string;
}

export interface DetailsView {
  id: string;
  components: Array<{ type: string; fullName: string; state: string }>;
  problems: Array<{ component: string; problem: string; severity: string; line?: number }>;
  testsRun: number;
  testFailures: Array<{ test: string; message: string; stackTrace: string }>;
  running: boolean;
}

export type ToWebview =
  | { type: 'state'; state: LogPanelState }
  | { type: 'busy'; busy: boolean; what?: string }
  | { type: 'details'; details: DetailsView }
  | { type: 'detailsFailed'; id: string; text: string }
  | { type: 'failed'; text: string };

export type FromWebview = { type: 'ready' } | { type: 'refresh' } | { type: 'revertLatest' } | { type: 'filter'; filter: LogFilterView } | { type: 'details'; id: string };

/** What the webview keeps with setState (restored after a reload). */
export interface WebviewState {
  environment: string;
  /** 'log' (the key's id half, as the other panels save it). */
  id?: 'log';
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const DEPLOY_ID = /^0Af[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
export const MAX_FILTER_TEXT = 200;

/** Checks a message from the webview; anything else is refused with why. */
export function parseFromWebview(raw: unknown): { ok: true; value: FromWebview } | { ok: false; error: string } {
  if (!isObj(raw) || typeof raw.type !== 'string') return { ok: false, error: 'not a message object with a type' };
  switch (raw.type) {
    case 'ready':
    case 'refresh':
    case 'revertLatest':
      return { ok: true, value: { type: raw.type } };
    case 'details':
      if (typeof raw.id !== 'string' || !DEPLOY_ID.test(raw.id)) return { ok: false, error: 'details needs a deploy id (0Af…)' };
      return { ok: true, value: { type: 'details', id: raw.id } };
    case 'filter': {
      const f = raw.filter;
      if (!isObj(f)) return { ok: false, error: 'filter needs a filter object' };
      const values = LOG_STATUS_OPTIONS.map((o) => o.value as string);
      if (!Array.isArray(f.status) || f.status.length > values.length || !f.status.every((s) => typeof s === 'string' && values.includes(s))) {
        return { ok: false, error: `filter.status must list some of ${values.join(', ')}` };
      }
      if (f.source !== '' && f.source !== 'changeline' && f.source !== 'out-of-band') return { ok: false, error: 'filter.source must be "", changeline or out-of-band' };
      if (f.kind !== '' && f.kind !== 'validations' && f.kind !== 'deploys') return { ok: false, error: 'filter.kind must be "", validations or deploys' };
      if (typeof f.text !== 'string' || f.text.length > MAX_FILTER_TEXT) return { ok: false, error: `filter.text must be text of at most ${MAX_FILTER_TEXT} characters` };
      return { ok: true, value: { type: 'filter', filter: { status: [...new Set(f.status as LogStatusValue[])], source: f.source, kind: f.kind, text: f.text } } };
    }
    default:
      return { ok: false, error: `unknown message type "${raw.type.slice(0, 40)}"` };
  }
}
