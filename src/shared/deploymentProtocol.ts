/**
 * Messages between the deployment panel (host) and its webview, both ways, the view model the
 * panel shows, and the run-time check of every message the webview sends. Everything the host
 * sends is plain text data the webview renders with textContent; nothing here is HTML. No vscode
 * or DOM imports.
 */
import type { DeploymentStatus } from '../core/deployments/model';

/**
 * The actions the panel offers as buttons (named as the core's DeploymentAction), each run by its
 * command, called with `{ environment, id }`.
 */
export const PANEL_ACTIONS = [
  { action: 'submit', label: 'Submit for Approval', command: 'changeline.submitDeployment', testId: 'dep-submit' },
  { action: 'approve', label: 'Approve…', command: 'changeline.approveDeployment', testId: 'dep-approve' },
  { action: 'reject', label: 'Reject…', command: 'changeline.rejectDeployment', testId: 'dep-reject' },
  { action: 'retrieve', label: 'Retrieve Selected Customizations', command: 'changeline.retrievePackage', testId: 'dep-retrieve' },
  { action: 'checkDependencies', label: 'Check Dependencies', command: 'changeline.checkDependencies', testId: 'dep-dependencies' },
  { action: 'addDependencies', label: 'Add to Package…', command: 'changeline.addToPackage', testId: 'dep-add-dependencies' },
  { action: 'validate', label: 'Validate', command: 'changeline.validateDeployment', testId: 'dep-validate' },
  { action: 'quickDeploy', label: 'Quick Deploy', command: 'changeline.quickDeployDeployment', testId: 'dep-quick-deploy' },
  { action: 'deploy', label: 'Deploy', command: 'changeline.deployDeployment', testId: 'dep-deploy' },
  { action: 'complete', label: 'Complete…', command: 'changeline.completeDeployment', testId: 'dep-complete' },
  { action: 'revert', label: 'Revert Latest Deployment…', command: 'changeline.revertDeployment', testId: 'dep-revert' },
] as const satisfies ReadonlyArray<{ action: string; label: string; command: string; testId: string }>;

export type PanelAction = (typeof PANEL_ACTIONS)[number]['action'];

export const isPanelAction = (x: unknown): x is PanelAction => typeof x === 'string' && PANEL_ACTIONS.some((a) => a.action === x);

/** A button: enabled when the current user may take the action now, else disabled with the reason as its tooltip. */
export interface ActionView {
  action: PanelAction;
  label: string;
  testId: string;
  allowed: boolean;
  /** Why not, and what to do (disabled). */
  reason?: string;
  /** Something to know before acting (enabled). */
  note?: string;
}

export interface ComponentView {
  type: string;
  fullName: string;
  /** `proposed`: a proposed customization of the CR (not in the source yet); `missing`: the package has no file of it. */
  marker?: 'proposed' | 'missing';
}

export interface PackageFileView {
  path: string;
  size: number;
  /** The component the file belongs to, as "Type Name", when known. */
  component?: string;
  /** The file can be compared with the target's version (text, and its component is known). */
  diffable: boolean;
}

export interface PackageView {
  retrievedAt: string;
  retrievedBy: string;
  componentCount: number;
  /** Absent when the package could not be read (see `problem`). */
  fileCount?: number;
  files: PackageFileView[];
  /** Files shown are capped; how many more there are. */
  moreFiles: number;
  /** Files whose content differs from what was retrieved (the stored file was replaced outside Changeline). */
  changed: string[];
  /** Why the files could not be listed. */
  problem?: string;
}

export interface DependencyView {
  at: string;
  by: string;
  missing: number;
  sources: string[];
  /** The missing references, when the check ran in this window (the record keeps only the count). */
  items?: Array<{ component: string; referencedBy: string }>;
  basis?: string;
}

export interface TestFailureView {
  test: string;
  message: string;
  stack?: string;
}

export interface CoverageRowView {
  name: string;
  type: string;
  percent: string;
  /** Under the required coverage (by its test level's rule). */
  failing: boolean;
}

export interface CoverageView {
  rows: CoverageRowView[];
  orgWide?: string;
  ok: boolean;
  /** What failed and what to do (the 75% rule), when it failed. */
  explanation?: string;
}

export interface RunView {
  kind: 'validation' | 'deploy';
  id: string;
  /** Succeeded, Failed, Canceled, InProgress… */
  status: string;
  success?: boolean;
  startedAt: string;
  completedAt?: string;
  by: string;
  testLevel?: string;
  quickDeployOf?: string;
  /** "12/12", with errors, when known. */
  components?: { done: number; total: number; errors: number };
  tests?: { run: number; failed: number };
  componentFailures: Array<{ component: string; problem: string; where?: string }>;
  testFailures: TestFailureView[];
  coverage?: CoverageView;
  errorMessage?: string;
}

export interface HistoryView {
  seq: number;
  at: string;
  who: string;
  action: string;
  /** One line per change or fact ("Status: Draft → Pending approval", "validation 0Af… started"). */
  lines: string[];
  comment?: string;
  tampered: boolean;
}

export type BannerKind = 'error' | 'warning' | 'info';

export interface PanelState {
  environment: string;
  id: string;
  header: {
    number: string;
    crNumber: string;
    source: string;
    target: string;
    status: DeploymentStatus;
    testLevel: string;
    runTests: string[];
    createdBy: string;
    approvers: string[];
  };
  me: { userId: string; name: string };
  components: ComponentView[];
  package?: PackageView;
  dependencies?: DependencyView;
  validation?: RunView;
  deploy?: RunView;
  actions: ActionView[];
  history: HistoryView[];
  tamperedEntry?: number;
  banner?: { kind: BannerKind; text: string };
}

export type ToWebview =
  | { type: 'state'; state: PanelState }
  | { type: 'busy'; busy: boolean; what?: string }
  | { type: 'banner'; kind: BannerKind; text: string }
  /** The record could not be loaded: why. */
  | { type: 'failed'; text: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'reload' }
  | { type: 'retry' }
  /** Runs an action on the record the panel shows (a message naming another record is refused). */
  | { type: 'action'; action: PanelAction; environment: string; id: string }
  /** Opens a package file read-only. */
  | { type: 'openFile'; path: string }
  /** Opens the native diff of the target's version against the package's. */
  | { type: 'diffFile'; path: string };

export const LIMITS = { path: 1_000, environment: 200 } as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = (error: string): Parsed<never> => ({ ok: false, error });
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Checks a message from the webview; anything else than a known, well-formed message is refused. */
export function parseFromWebview(x: unknown): Parsed<FromWebview> {
  if (!isObj(x) || typeof x.type !== 'string') return fail('a message must be an object with a type');
  switch (x.type) {
    case 'ready':
    case 'reload':
    case 'retry':
      return { ok: true, value: { type: x.type } };
    case 'action':
      if (!isPanelAction(x.action)) return fail(`unknown action ${typeof x.action === 'string' ? x.action.slice(0, 40) : typeof x.action}`);
      if (!isStr(x.environment, LIMITS.environment) || !x.environment) return fail('an action names the environment of its record');
      if (typeof x.id !== 'string' || !RECORD_ID.test(x.id)) return fail('an action names its record by id');
      return { ok: true, value: { type: 'action', action: x.action, environment: x.environment, id: x.id } };
    case 'openFile':
    case 'diffFile':
      if (!isStr(x.path, LIMITS.path) || !x.path) return fail(`path must be a package file path (text up to ${LIMITS.path} characters)`);
      return { ok: true, value: { type: x.type, path: x.path } };
    default:
      return fail(`unknown message type ${x.type.slice(0, 40)}`);
  }
}

/** What the webview keeps with setState, so a reload restores the panel. */
export interface WebviewState {
  environment: string;
  id: string;
}

/** Checks the state VS Code hands back on revive (it was written by the webview). */
export function parseWebviewState(x: unknown): WebviewState | undefined {
  if (!isObj(x) || !isStr(x.environment, LIMITS.environment) || !x.environment || typeof x.id !== 'string' || !RECORD_ID.test(x.id)) return undefined;
  return { environment: x.environment, id: x.id };
}
