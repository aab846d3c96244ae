/**
 * Deploy execution: validate or deploy a package (source-format files, or a metadata-format zip)
 * to an environment, follow it to its end with progress ("Deploying 12/40 components · tests
 * 3/10"), cancel in the org when the signal aborts, ride out an expired session (the user logs
 * in again, polling resumes by id), pick up a deploy started earlier, and quick-deploy a
 * validation only while it is still eligible. Results come back with their problems on the
 * package's files.
 */
import { CancelledError } from '../../core/cancelled';
import { retryMessage, type RetryNotice } from '../../core/retry';
import {
  checkTestLevel,
  packagePathResolver,
  problemsInSlices,
  quickDeployEligibility,
  type DeployProblem,
  type OrgDeployRow,
  type QuickDeployEligibility,
  type ValidationFact,
} from '../../core/deployments';
import type { ComponentRef, DeployProgress, DeployResult, TestLevel } from '../../core/metadata-types';
import type { OrgConnection } from '../../salesforce/connection';
import type { PackageContents } from '../../salesforce/metadata/package-contents';
import type { SalesforceApi } from '../../salesforce-loader';
import type { ProgressUpdate, RunOptions, WorkflowDeps } from '../types';

export interface DeployRequest {
  targetEnv: string;
  /** Source-format files or folders. */
  sourcePaths?: string[];
  /** A metadata-format zip (the package stored with a deployment record). */
  zip?: Uint8Array;
  /** The package as already read (release reads it once for the overwrite check and the deploy). */
  contents?: PackageContents;
  /** Validate: run the deploy and the tests, then roll back. */
  checkOnly?: boolean;
  /** Absent: the target environment's default from the pipeline file, else Salesforce's. */
  testLevel?: TestLevel;
  runTests?: string[];
  /**
   * Components to delete (destructiveChanges post). With source paths they are added to the deploy
   * (e.g. a git delta's deletions); a zip carries its own destructiveChanges.xml and this names what
   * it deletes (a zip may hold only deletions, e.g. a revert of created components).
   */
  destructive?: { post?: ComponentRef[] };
}

export interface DeployRunOptions extends RunOptions {
  /** Called once the org gave the deploy its id (keep it to resume after a reload). */
  onStarted?(deployId: string): void;
  /**
   * The session expired while following the deploy: resolve true once the user logged in again
   * (polling then resumes by id), false to stop following (the deploy goes on in the org).
   */
  onSessionExpired?(): Promise<boolean> | boolean;
  /** Status check interval in ms (default: by the deploy's size, as SDR polls). */
  pollMs?: number;
}

export interface DeployOutcome {
  result: DeployResult;
  /** Component errors and failed tests, on the package's files where it has them. */
  problems: DeployProblem[];
}

/** A deploy that could not be started or followed, with what to do. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
  constructor(
    message: string,
    readonly kind: 'refused' | 'expired-session' | 'unreachable' | 'failed',
    /** The deploy in the org, when it was started. */
    readonly deployId?: string,
  ) {
    super(message);
  }
}

const n = (x: number): string => x.toLocaleString('en-US');

/** The progress line: "Deploying 12/40 components · tests 3/10", "Validating…", "Canceling…". */
export function deployProgressText(p: DeployProgress, checkOnly: boolean): ProgressUpdate {
  const verb = checkOnly ? 'Validating' : 'Deploying';
  if (p.status === 'Pending') return { message: `${verb}: queued in the org, waiting for earlier deployments…`, percent: 0 };
  if (p.status === 'Canceling') return { message: 'Canceling in the org…' };
  const parts: string[] = [];
  if (p.componentsTotal > 0) parts.push(`${verb} ${n(p.componentsDone)}/${n(p.componentsTotal)} components`);
  else parts.push(`${verb}…`);
  if (p.componentErrors > 0) parts.push(`${n(p.componentErrors)} error${p.componentErrors === 1 ? '' : 's'}`);
  if (p.testsTotal > 0) parts.push(`tests ${n(p.testsDone)}/${n(p.testsTotal)}${p.testErrors ? ` (${n(p.testErrors)} failed)` : ''}`);
  const total = p.componentsTotal + p.testsTotal;
  const percent = total > 0 ? Math.min(99, Math.floor((100 * (p.componentsDone + p.testsDone)) / total)) : undefined;
  return { message: parts.join(' · '), ...(percent !== undefined ? { percent } : {}) };
}

const FINAL = new Set(['Succeeded', 'SucceededPartial', 'Failed', 'Canceled', 'FinalizingDeployFailed']);

/** How long between status checks: SDR's rule by size (100 ms up to 10 components … n ms for n). */
export function pollInterval(componentsTotal: number): number {
  if (componentsTotal <= 10) return 100;
  if (componentsTotal <= 50) return 250;
  if (componentsTotal <= 100) return 500;
  if (componentsTotal <= 1000) return 1000;
  return componentsTotal;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const kindOf = (e: unknown): string | undefined => (e as { kind?: unknown })?.kind as string | undefined;

interface Follow {
  deps: WorkflowDeps;
  targetEnv: string;
  deployId: string;
  /** Undefined when resuming: the org's status says. */
  checkOnly?: boolean;
  opts: DeployRunOptions;
}

/** A fresh session's handle for the target (after a new login, the old one is dropped). */
async function handleOf(deps: WorkflowDeps, env: string, fresh = false): Promise<OrgConnection> {
  if (fresh) deps.sessions.reset(env);
  return (await deps.sessions.get(env)).handle;
}

/**
 * Polls a deploy by id to its end. The signal asks the org to cancel (once) and polling goes on
 * until the org says Canceled (or the deploy ended before the cancel took). An expired session
 * asks `onSessionExpired`, then resumes with a new session.
 */
async function follow(f: Follow): Promise<DeployResult> {
  const { deps, targetEnv, deployId, opts } = f;
  const sf = await deps.salesforce();
  let handle = await handleOf(deps, targetEnv);
  let cancelAsked = false;
  let last: DeployResult | undefined;
  const report = opts.onProgress ?? (() => undefined);
  for (;;) {
    if (opts.signal?.aborted && !cancelAsked) {
      cancelAsked = true;
      report({ message: 'Canceling in the org…' });
      deps.log.info(`Cancelling deploy ${deployId} in ${targetEnv}.`);
      try {
        await sf.cancelDeploy(handle, deployId);
      } catch (e) {
        // It may have ended meanwhile ("Deployment already completed"): its status says how.
        deps.log.warn(`Cancel of ${deployId} in ${targetEnv}: ${(e as Error).message}`);
      }
    }
    let status: DeployResult;
    try {
      // While it runs, the counts only; its component and test results once, when it ended.
      const onRetry = (r: RetryNotice) => deps.log.warn(retryMessage(targetEnv, r));
      status = await sf.deployStatus(handle, deployId, { onRetry, details: false });
      if (FINAL.has(status.status)) status = await sf.deployStatus(handle, deployId, { onRetry });
    } catch (e) {
      const kind = kindOf(e);
      if (kind === 'expired-session') {
        deps.log.warn(`The session to ${targetEnv} expired while following deploy ${deployId}.`);
        const again = opts.onSessionExpired ? await opts.onSessionExpired() : false;
        if (again) {
          handle = await handleOf(deps, targetEnv, true);
          continue;
        }
        throw new DeployError(
          `The session to ${targetEnv} expired while following deploy ${deployId}; the deploy goes on in the org. Log in to ${targetEnv} again, then resume deploy ${deployId}.`,
          'expired-session',
          deployId,
        );
      }
      if (kind === 'unreachable') {
        throw new DeployError(
          `${targetEnv} cannot be reached (${(e as Error).message}); deploy ${deployId} may still run in the org. Check the connection, then resume deploy ${deployId}.`,
          'unreachable',
          deployId,
        );
      }
      throw e;
    }
    last = status;
    if (FINAL.has(status.status)) break;
    report(deployProgressText(status, f.checkOnly ?? status.checkOnly));
    await wait(opts.pollMs ?? pollInterval(status.componentsTotal), cancelAsked ? undefined : opts.signal);
  }
  return last;
}

/** The package's problems: component errors and failed tests on its files. */
/** The result's problems on the package's files, in slices that yield: 10,000 errors do not block the editor's host thread. */
function problemsOf(result: DeployResult, files: ReadonlyArray<{ path: string; text: string }>): Promise<DeployProblem[]> {
  // Nothing failed: no index of the package's files to build.
  if (result.failures.length === 0 && result.tests.failures.length === 0) return Promise.resolve([]);
  const resolve = packagePathResolver(files.map((f) => f.path));
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const textOf = (p: string): string | undefined => texts.get(p);
  return problemsInSlices(result.failures, result.tests.failures, resolve, textOf);
}

function summary(r: DeployResult, what: string, env: string): string {
  if (r.canceled) return `${what} ${r.id} to ${env} was canceled.`;
  const tests = r.tests.run ? `; ${r.tests.run} tests run, ${r.tests.failures.length} failed` : '';
  return `${what} ${r.id} to ${env}: ${r.status} (${r.componentsDone}/${r.componentsTotal} components, ${r.componentErrors} errors${tests}).`;
}

/** Follows the deploy and returns its outcome; cancellation ends as a Canceled result, not an error. */
async function finish(f: Follow, files: ReadonlyArray<{ path: string; text: string }>, what?: string): Promise<DeployOutcome> {
  const result = await follow(f);
  f.deps.log.info(summary(result, what ?? (result.checkOnly ? 'Validation' : 'Deploy'), f.targetEnv));
  return { result, problems: await problemsOf(result, files) };
}

/**
 * Validates (checkOnly) or deploys the package to the target. The test level rules apply first
 * (production refuses NoTestRun when the package holds Apex). Resolves with the outcome, failed,
 * canceled or not; rejects with DeployError when it could not be started or followed.
 */
export async function runDeploy(deps: WorkflowDeps, req: DeployRequest, opts: DeployRunOptions = {}): Promise<DeployOutcome> {
  const checkOnly = req.checkOnly === true;
  const what = checkOnly ? 'Validation' : 'Deploy';
  const deletions = req.destructive?.post ?? [];
  if (!req.zip && !req.sourcePaths?.length && !deletions.length) throw new DeployError('Nothing to deploy: give source files or folders, or a package zip.', 'refused');
  if (req.zip && req.sourcePaths?.length) throw new DeployError('Give either source files or a package zip to deploy, not both.', 'refused');
  opts.onProgress?.({ message: `Connecting to ${req.targetEnv}…` });
  const session = await deps.sessions.get(req.targetEnv);
  const sf = await deps.salesforce();
  const pkg = req.contents ?? (req.zip || req.sourcePaths?.length ? sf.readPackage({ sourcePaths: req.sourcePaths, zip: req.zip }) : { components: [], files: [] });
  // A zip's own destructiveChanges.xml counts too (a back-deploy of deletions only).
  const zipDeletions = 'destructive' in pkg ? (pkg.destructive ?? []) : [];
  if (pkg.components.length === 0 && !deletions.length && !zipDeletions.length) {
    throw new DeployError(`No metadata found in ${req.sourcePaths?.join(', ') ?? 'the package'}: nothing to deploy (source format expected for files and folders).`, 'refused');
  }
  const verdict = checkTestLevel({ testLevel: req.testLevel, runTests: req.runTests ?? [], target: session.environment, components: pkg.components });
  if (!verdict.ok) throw new DeployError(verdict.reason, 'refused');
  if (opts.signal?.aborted) throw new CancelledError(what);
  const deleting = deletions.length ? ` and ${n(deletions.length)} deletion${deletions.length === 1 ? '' : 's'}` : '';
  opts.onProgress?.({ message: `${checkOnly ? 'Validating' : 'Deploying'}: sending ${n(pkg.components.length)} components${deleting} to ${req.targetEnv}…`, percent: 0 });
  const deployId = await sf.startDeploy(session.handle, {
    ...(req.zip ? { zip: req.zip } : { sourcePaths: req.sourcePaths }),
    checkOnly,
    ...(req.testLevel ? { testLevel: req.testLevel } : {}),
    ...(req.testLevel === 'RunSpecifiedTests' ? { runTests: req.runTests } : {}),
    ...(deletions.length && !req.zip ? { destructive: { post: deletions } } : {}),
  });
  deps.log.info(`${what} ${deployId} started in ${req.targetEnv} (${pkg.components.length} components${deleting}${req.testLevel ? `, ${req.testLevel}` : ''}).`);
  opts.onStarted?.(deployId);
  return finish({ deps, targetEnv: req.targetEnv, deployId, checkOnly, opts }, pkg.files, what);
}

/**
 * Follows a deploy started earlier (before a window reload or a restart) to its end. With the
 * package's files (`sourcePaths` or `zip`), problems are placed on them.
 */
export async function resumeDeploy(
  deps: WorkflowDeps,
  targetEnv: string,
  deployId: string,
  opts: DeployRunOptions & { sourcePaths?: string[]; zip?: Uint8Array } = {},
): Promise<DeployOutcome> {
  const sf = await deps.salesforce();
  const files = opts.sourcePaths?.length || opts.zip ? sf.readPackage({ sourcePaths: opts.sourcePaths, zip: opts.zip }).files : [];
  deps.log.info(`Following deploy ${deployId} in ${targetEnv}.`);
  return finish({ deps, targetEnv, deployId, opts }, files);
}

/** The validation as a recorded fact, from the org's own status of it and its DeployRequest row. */
export function validationFactOf(v: DeployResult, row: OrgDeployRow | undefined, testLevel?: TestLevel, apex: ComponentRef[] = []): ValidationFact {
  const done = FINAL.has(v.status);
  return {
    id: v.id,
    startedAt: row?.startDate ?? row?.createdDate ?? v.createdDate ?? '',
    ...(done ? { completedAt: v.completedDate ?? row?.completedDate ?? new Date().toISOString() } : {}),
    by: row?.createdByName ?? '',
    checkOnly: v.checkOnly,
    status: v.status,
    success: v.success,
    // The org does not say which level ran: a validation that ran tests counts as RunLocalTests.
    testLevel: testLevel ?? (v.tests.run > 0 ? 'RunLocalTests' : 'NoTestRun'),
    testsRun: v.tests.run,
    testsFailed: v.tests.failures.length,
    coverage: { classes: v.coverage },
    apex,
    componentErrors: v.componentErrors,
    ...(v.errorMessage ? { errorMessage: v.errorMessage } : {}),
  };
}

export interface QuickDeployRequest {
  targetEnv: string;
  validationId: string;
  /** The level the validation ran with, when known (a deployment record knows it). */
  testLevel?: TestLevel;
}

/** Whether the validation can still be quick-deployed to the target: its status and the target's later deployments. */
export async function checkQuickDeploy(deps: WorkflowDeps, req: QuickDeployRequest, now = new Date()): Promise<QuickDeployEligibility> {
  const sf: SalesforceApi = await deps.salesforce();
  const { handle } = await deps.sessions.get(req.targetEnv);
  const [validation, rows] = await Promise.all([sf.deployStatus(handle, req.validationId), sf.recentDeployRequests(handle, { days: 30 })]);
  const fact = validationFactOf(validation, rows.find((r) => r.id === validation.id), req.testLevel);
  return quickDeployEligibility(fact, rows, now, req.targetEnv);
}

/**
 * Quick-deploys a successful validation, after checking FIRST that it is still eligible (within
 * 10 days, tests passed, no later deployment reached the target). When it is not, rejects with
 * the reason and that a new validation is needed; nothing is sent to the org.
 */
export async function quickDeploy(deps: WorkflowDeps, req: QuickDeployRequest, opts: DeployRunOptions = {}): Promise<DeployOutcome> {
  opts.onProgress?.({ message: `Checking validation ${req.validationId} in ${req.targetEnv}…` });
  const eligible = await checkQuickDeploy(deps, req);
  if (!eligible.ok) {
    const next = eligible.offer === 'validate' && !/validate again/i.test(eligible.reason) ? ' A new validation is needed.' : '';
    throw new DeployError(`Quick deploy refused: ${eligible.reason}${next}`, 'refused');
  }
  const sf = await deps.salesforce();
  const { handle } = await deps.sessions.get(req.targetEnv);
  if (opts.signal?.aborted) throw new CancelledError('Quick deploy');
  const deployId = await sf.startQuickDeploy(handle, req.validationId);
  deps.log.info(`Quick deploy ${deployId} of validation ${req.validationId} started in ${req.targetEnv}.`);
  opts.onStarted?.(deployId);
  return finish({ deps, targetEnv: req.targetEnv, deployId, checkOnly: false, opts }, [], 'Quick deploy');
}
