/**
 * Messages between the change request editor panel (host) and its webview, both ways, and the
 * run-time check of every message the webview sends. Everything the host sends is plain text data
 * the webview renders with textContent; nothing here is HTML. No vscode or DOM imports.
 */
import { CHANGE_TYPES, STATUSES, TRACKED_FIELDS, type ChangeType, type CrStatus, type TrackedField } from '../core/change-requests/model';

export interface ComponentItem {
  type: string;
  fullName: string;
}

/** The fields the user edits in the panel (the draft the webview keeps across reloads). */
export interface DraftFields {
  name: string;
  changeType: ChangeType;
  overview: string;
  customizations: ComponentItem[];
  proposedCustomizations: ComponentItem[];
  approvers: string[];
}

export interface UserView {
  id: string;
  name: string;
  username: string;
}

/** A status change the current user may make now (only allowed ones are sent). */
export interface ActionView {
  to: CrStatus;
  label: string;
  /** data-testid of the button, e.g. cr-submit. */
  testId: string;
  /** Approve / reject need a comment. */
  needsComment: boolean;
}

export interface HistoryView {
  seq: number;
  /** ISO date-time. */
  at: string;
  /** The actor's name when known, else the id. */
  who: string;
  action: string;
  changes: Array<{ label: string; old: string; new: string }>;
  comment?: string;
  org?: string;
  /** The first entry whose seal does not match its content. */
  tampered: boolean;
}

export interface ConflictView {
  reason: string;
  fields: Array<{ field: TrackedField; label: string; base: string; mine: string; theirs: string }>;
  /** Labels of fields someone else changed that merge by themselves. */
  fromTheirs: string[];
  /** Labels of fields only you changed (kept). */
  fromMine: string[];
}

export type BannerKind = 'error' | 'warning' | 'info';

export interface PanelState {
  environment: string;
  id: string;
  /** The change request as stored in the org (what a save is compared against). */
  cr: DraftFields & {
    number: string;
    status: CrStatus;
    createdBy: string;
    /** "Pushed from CR-00012 in Dev" / "Pulled from CR-00012 in UAT", for a copy. */
    originLine?: string;
    /** The deployment record that deployed it here (CR field Deployment__c); `openable` when the pipeline environment holding it is known. */
    deployedBy?: { text: string; openable: boolean };
  };
  users: UserView[];
  me: { userId: string; name: string };
  actions: ActionView[];
  /** Why submitting is not possible yet (e.g. no customizations), when it is not. */
  actionHint?: string;
  history: HistoryView[];
  /** 1-based number of the first history entry that does not match its seal. */
  tamperedEntry?: number;
  conflict?: ConflictView;
  banner?: { kind: BannerKind; text: string };
  /** The CR changed in the org while the user had unsaved edits. */
  remoteChanged: boolean;
  /** The webview replaces its draft with `cr` (after load, save, reload). */
  replaceDraft: boolean;
  /** False when the CR's status no longer allows edits. */
  editable: boolean;
}

export type ToWebview =
  | { type: 'state'; state: PanelState }
  | { type: 'types'; types: string[] }
  | { type: 'components'; componentType: string; query: string; items: ComponentItem[]; total: number }
  | { type: 'busy'; busy: boolean; what?: string }
  | { type: 'banner'; kind: BannerKind; text: string }
  /** The CR could not be loaded: why, and the unsaved edits kept from before a reload (offered back). */
  | { type: 'failed'; text: string; draft?: DraftFields };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'dirty'; dirty: boolean }
  | { type: 'save'; fields: DraftFields }
  | { type: 'resolve'; choices: Partial<Record<TrackedField, 'mine' | 'theirs'>> }
  | { type: 'transition'; to: CrStatus; comment?: string }
  | { type: 'listTypes' }
  | { type: 'listComponents'; componentType: string; query: string }
  | { type: 'reload' }
  /** Try loading again, keeping the unsaved edits (after a failed load). */
  | { type: 'retry' }
  /** Open these unsaved edits as text in an editor (when the CR cannot be loaded). */
  | { type: 'openDraft'; fields: DraftFields }
  /** Open the deployment record that deployed this CR (the host knows which: the webview names none). */
  | { type: 'openDeployment' };

/** Bounds well above what the rules allow, so the core can say what is wrong; beyond them a message is refused. */
export const LIMITS = { name: 1_000, overview: 100_000, list: 5_000, component: 255, approvers: 500, id: 18, comment: 4_000, query: 255 } as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = (error: string): Parsed<never> => ({ ok: false, error });
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;

function parseComponents(x: unknown, what: string): Parsed<ComponentItem[]> {
  if (!Array.isArray(x) || x.length > LIMITS.list) return fail(`${what} must be a list of at most ${LIMITS.list} components`);
  const out: ComponentItem[] = [];
  for (const c of x) {
    if (!isObj(c) || !isStr(c.type, LIMITS.component) || !isStr(c.fullName, LIMITS.component)) return fail(`each of ${what} needs a type and a full name (text up to ${LIMITS.component} characters)`);
    out.push({ type: c.type, fullName: c.fullName });
  }
  return { ok: true, value: out };
}

export function parseDraft(x: unknown): Parsed<DraftFields> {
  if (!isObj(x)) return fail('fields must be an object');
  if (!isStr(x.name, LIMITS.name)) return fail('name must be text');
  if (typeof x.changeType !== 'string' || !(CHANGE_TYPES as readonly string[]).includes(x.changeType)) return fail('unknown change type');
  if (!isStr(x.overview, LIMITS.overview)) return fail('overview must be text');
  const customizations = parseComponents(x.customizations, 'customizations');
  if (!customizations.ok) return customizations;
  const proposed = parseComponents(x.proposedCustomizations, 'proposed customizations');
  if (!proposed.ok) return proposed;
  if (!Array.isArray(x.approvers) || x.approvers.length > LIMITS.approvers || !x.approvers.every((a) => isStr(a, LIMITS.id))) return fail('approvers must be a list of user ids');
  return {
    ok: true,
    value: {
      name: x.name,
      changeType: x.changeType as ChangeType,
      overview: x.overview,
      customizations: customizations.value,
      proposedCustomizations: proposed.value,
      approvers: [...(x.approvers as string[])],
    },
  };
}

/** Checks a message from the webview; anything else than a known, well-formed message is refused. */
export function parseFromWebview(x: unknown): Parsed<FromWebview> {
  if (!isObj(x) || typeof x.type !== 'string') return fail('a message must be an object with a type');
  switch (x.type) {
    case 'ready':
    case 'reload':
    case 'retry':
    case 'listTypes':
    case 'openDeployment':
      return { ok: true, value: { type: x.type } };
    case 'dirty':
      return typeof x.dirty === 'boolean' ? { ok: true, value: { type: 'dirty', dirty: x.dirty } } : fail('dirty must be true or false');
    case 'save': {
      const f = parseDraft(x.fields);
      return f.ok ? { ok: true, value: { type: 'save', fields: f.value } } : f;
    }
    case 'openDraft': {
      const f = parseDraft(x.fields);
      return f.ok ? { ok: true, value: { type: 'openDraft', fields: f.value } } : f;
    }
    case 'resolve': {
      if (!isObj(x.choices)) return fail('choices must be an object');
      const choices: Partial<Record<TrackedField, 'mine' | 'theirs'>> = {};
      for (const [k, v] of Object.entries(x.choices)) {
        if (!Object.prototype.hasOwnProperty.call(TRACKED_FIELDS, k)) return fail(`unknown field ${k.slice(0, 40)}`);
        if (v !== 'mine' && v !== 'theirs') return fail('a choice is "mine" or "theirs"');
        choices[k as TrackedField] = v;
      }
      return { ok: true, value: { type: 'resolve', choices } };
    }
    case 'transition': {
      if (typeof x.to !== 'string' || !(STATUSES as readonly string[]).includes(x.to)) return fail('unknown status');
      if (x.comment !== undefined && !isStr(x.comment, LIMITS.comment)) return fail(`the comment must be text up to ${LIMITS.comment} characters`);
      return { ok: true, value: { type: 'transition', to: x.to as CrStatus, ...(x.comment !== undefined ? { comment: x.comment as string } : {}) } };
    }
    case 'listComponents':
      if (!isStr(x.componentType, LIMITS.component) || !x.componentType) return fail('componentType must be a type name');
      if (!isStr(x.query, LIMITS.query)) return fail('query must be text');
      return { ok: true, value: { type: 'listComponents', componentType: x.componentType, query: x.query } };
    default:
      return fail(`unknown message type ${x.type.slice(0, 40)}`);
  }
}

/** What the webview keeps with setState, so a reload restores the panel and the unsaved edits. */
export interface WebviewState {
  environment: string;
  id: string;
  draft?: DraftFields;
  comment?: string;
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Checks the state VS Code hands back on revive (it was written by the webview). */
export function parseWebviewState(x: unknown): WebviewState | undefined {
  if (!isObj(x) || !isStr(x.environment, 200) || !x.environment || typeof x.id !== 'string' || !RECORD_ID.test(x.id)) return undefined;
  const draft = x.draft === undefined ? undefined : parseDraft(x.draft);
  return {
    environment: x.environment,
    id: x.id,
    ...(draft?.ok ? { draft: draft.value } : {}),
    ...(isStr(x.comment, LIMITS.comment) ? { comment: x.comment } : {}),
  };
}
