/**
 * Messages between the deployment queue panel (host) and its webview, both ways, the view model
 * it shows, and the run-time check of every message the webview sends. Everything the host sends
 * is plain text the webview renders with textContent; nothing here is HTML. No vscode or DOM.
 */

export interface QueueEntryView {
  id: string;
  number: string;
  status: string;
  source: string;
  message: string;
  sender: string;
  sentAt: string;
  crs: string[];
  components: Array<{ type: string; fullName: string }>;
  /** Rejection (with who and why), failure or deploy, as one line; absent while queued. */
  outcome?: string;
  /** Deploy and Reject offered (a release manager, and the entry may still be deployed). */
  actionable: boolean;
  /** Withdraw offered: you sent it and it still waits. */
  withdrawable?: boolean;
}

export interface QueueState {
  environment: string;
  entries: QueueEntryView[];
  /** You may deploy and reject; else `readOnly` says who can. */
  canManage: boolean;
  readOnly?: string;
  releaseManagers: string[];
  notices: string[];
}

export type ToWebview = { type: 'state'; state: QueueState } | { type: 'busy'; busy: boolean; what?: string } | { type: 'failed'; text: string } | { type: 'banner'; kind: 'info' | 'error'; text: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'reload' }
  | { type: 'deploy'; id: string }
  | { type: 'reject'; id: string }
  | { type: 'withdraw'; id: string }
  | { type: 'revert'; id: string }
  | { type: 'diff'; id: string; component: { type: string; fullName: string } };

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = (error: string): Parsed<never> => ({ ok: false, error });
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const NAME = /^[A-Za-z0-9_.\-/ %]{1,255}$/;

/** Checks a message from the webview: only these shapes, with ids that are record ids. */
export function parseFromWebview(x: unknown): Parsed<FromWebview> {
  if (!isObj(x) || typeof x.type !== 'string') return fail('a message must be an object with a type');
  switch (x.type) {
    case 'ready':
    case 'reload':
      return { ok: true, value: { type: x.type } };
    case 'deploy':
    case 'reject':
    case 'withdraw':
    case 'revert':
      if (typeof x.id !== 'string' || !RECORD_ID.test(x.id)) return fail(`${x.type} names its entry by record id`);
      return { ok: true, value: { type: x.type, id: x.id } };
    case 'diff': {
      if (typeof x.id !== 'string' || !RECORD_ID.test(x.id)) return fail('diff names its entry by record id');
      const c = x.component;
      if (!isObj(c) || typeof c.type !== 'string' || typeof c.fullName !== 'string' || !/^[A-Za-z0-9_]{1,80}$/.test(c.type) || !NAME.test(c.fullName)) {
        return fail('diff names a component by type and full name');
      }
      return { ok: true, value: { type: 'diff', id: x.id, component: { type: c.type, fullName: c.fullName } } };
    }
    default:
      return fail(`unknown message type ${x.type.slice(0, 40)}`);
  }
}

/** What the webview keeps with setState, so a reload restores the panel. */
export interface WebviewState {
  environment: string;
  id: string;
}

export function parseWebviewState(x: unknown): WebviewState | undefined {
  if (!isObj(x) || typeof x.environment !== 'string' || !x.environment || x.environment.length > 80 || x.id !== 'queue') return undefined;
  return { environment: x.environment, id: 'queue' };
}
