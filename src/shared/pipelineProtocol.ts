/**
 * Messages between the pipeline panel (host) and its webview, the view model it shows, and the
 * run-time check of every message the webview sends. Everything the host sends is plain text the
 * webview renders with textContent; nothing here is HTML. No vscode or DOM.
 */

/** One clickable part of an environment's box: what it says, and how it looks. */
export interface BoxPart {
  text: string;
  /** ok | warning | error | muted | busy: the part's colour. */
  tone: 'ok' | 'warning' | 'error' | 'muted' | 'busy';
  /** A longer explanation (the part's tooltip). */
  detail?: string;
}

export interface PipelineBox {
  name: string;
  role: string;
  org: string;
  /** Column (0 = lowest stage). */
  stage: number;
  /** "connected", "not connected: …". */
  connection: BoxPart;
  crs: BoxPart;
  queue: BoxPart;
  /** One per environment above it ("2 behind UAT"); empty for the top of the pipeline. */
  behind: Array<BoxPart & { upper: string }>;
  last: BoxPart & { deployId?: string };
}

export interface PipelineArrow {
  from: string;
  to: string;
  kind: 'promotion' | 'back-promotion';
}

export interface PipelineViewState {
  /** Boxes by stage, lowest first. */
  stages: PipelineBox[][];
  arrows: PipelineArrow[];
  /** Shown instead of the boxes when there is no pipeline to draw. */
  problem?: string;
}

export type ToWebview = { type: 'state'; state: PipelineViewState };

/** The part of a box that was clicked. */
export type BoxTarget = 'crs' | 'queue' | 'behind' | 'last';

export type FromWebview =
  | { type: 'ready' }
  | { type: 'reload' }
  | { type: 'open'; environment: string; target: BoxTarget; upper?: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = (error: string): Parsed<never> => ({ ok: false, error });
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const TARGETS: readonly BoxTarget[] = ['crs', 'queue', 'behind', 'last'];
const isEnvName = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 80 && !/[\u0000-\u001f]/.test(x);

/** Checks a message from the webview: only these shapes, with environment names of sane length. */
export function parseFromWebview(x: unknown): Parsed<FromWebview> {
  if (!isObj(x) || typeof x.type !== 'string') return fail('a message must be an object with a type');
  switch (x.type) {
    case 'ready':
    case 'reload':
      return { ok: true, value: { type: x.type } };
    case 'open': {
      if (!isEnvName(x.environment)) return fail('open names an environment');
      if (typeof x.target !== 'string' || !TARGETS.includes(x.target as BoxTarget)) return fail(`open names a part of the box (${TARGETS.join(', ')})`);
      const target = x.target as BoxTarget;
      if (target === 'behind') {
        if (!isEnvName(x.upper)) return fail('open of "behind" names the environment above');
        return { ok: true, value: { type: 'open', environment: x.environment, target, upper: x.upper } };
      }
      return { ok: true, value: { type: 'open', environment: x.environment, target } };
    }
    default:
      return fail(`unknown message type ${x.type.slice(0, 40)}`);
  }
}

/** What the webview keeps with setState, so a reload restores the panel. */
export interface WebviewState {
  view: 'pipeline';
}

export function parseWebviewState(x: unknown): WebviewState | undefined {
  return isObj(x) && x.view === 'pipeline' ? { view: 'pipeline' } : undefined;
}
