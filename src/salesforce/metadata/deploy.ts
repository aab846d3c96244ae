/**
 * Validating and deploying source to an org through SDR (Metadata API over SOAP): test levels,
 * destructive changes, progress, cancel (AbortSignal → cancelDeploy in the org), quick deploy of a
 * recent validation.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ComponentSet, DestructiveChangesType, MetadataApiDeploy, RegistryAccess, SourceComponent, type MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import type { ComponentRef, DeployProgress, DeployResult, TestLevel } from '../../core/metadata-types';
import { connectionOf, type OrgConnection } from '../connection';
import { progressOf, toDeployResult } from './deploy-result';
import { cancelled, SalesforceError, throwIfAborted, toSalesforceError } from '../errors';
import { readWithRetry, type ReadOptions } from '../transient';
import { readMetadataSoap } from './metadata-soap';
import { deployStatusOf } from './deploy-status-call';

export interface PollOptions {
  signal?: AbortSignal;
  onProgress?: (p: DeployProgress) => void;
  /** Status check interval in ms (default: SDR's, 1 s and more for big deploys). */
  pollMs?: number;
  /** Give up waiting after this long (default 60 minutes); the deploy goes on in the org. */
  timeoutMs?: number;
}

export interface DeployOptions extends PollOptions {
  /** Files or folders in source format (e.g. force-app/main/default/classes/Foo.cls, or a package dir). */
  sourcePaths?: string[];
  /** Validate only: run the deploy and tests, then roll back (quick-deployable if it succeeds). */
  checkOnly?: boolean;
  testLevel?: TestLevel;
  /** Test classes for RunSpecifiedTests. */
  runTests?: string[];
  /** Components to delete before or after the additions. */
  destructive?: { pre?: ComponentRef[]; post?: ComponentRef[] };
  /** API version to deploy with; SDR lowers it to the org's maximum if higher. */
  apiVersion?: string;
  ignoreWarnings?: boolean;
}

const LEVELS: readonly string[] = ['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'];

let registry: RegistryAccess | undefined;

function destructiveComponent(ref: ComponentRef): SourceComponent {
  registry ??= new RegistryAccess();
  if (!ref?.type || !ref.fullName) throw new SalesforceError('invalid-request', 'Each component to delete needs a type and a fullName.');
  try {
    return new SourceComponent({ name: ref.fullName, type: registry.getTypeByName(ref.type) });
  } catch {
    throw new SalesforceError('invalid-request', `"${ref.type}" is not a metadata type (e.g. ApexClass, CustomObject, Flow).`);
  }
}

function buildSet(opts: DeployOptions): ComponentSet {
  const paths = opts.sourcePaths ?? [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new SalesforceError('invalid-request', `Nothing to deploy at ${p}: the path does not exist.`);
  }
  const pre = opts.destructive?.pre ?? [];
  const post = opts.destructive?.post ?? [];
  if (paths.length === 0 && pre.length === 0 && post.length === 0) {
    throw new SalesforceError('invalid-request', 'Nothing to deploy: give source paths or components to delete.');
  }
  const set = paths.length ? ComponentSet.fromSource(paths) : new ComponentSet();
  if (paths.length && set.size === 0) throw new SalesforceError('invalid-request', `No metadata found in ${paths.join(', ')} (source format expected).`);
  for (const r of pre) set.add(destructiveComponent(r), DestructiveChangesType.PRE);
  for (const r of post) set.add(destructiveComponent(r), DestructiveChangesType.POST);
  if (opts.apiVersion) {
    set.apiVersion = opts.apiVersion;
    set.sourceApiVersion = opts.apiVersion;
  }
  return set;
}

function checkTests(opts: DeployOptions): void {
  if (opts.testLevel && !LEVELS.includes(opts.testLevel)) {
    throw new SalesforceError('invalid-request', `Unknown test level "${opts.testLevel}"; use one of ${LEVELS.join(', ')}.`);
  }
  if (opts.testLevel === 'RunSpecifiedTests' && !opts.runTests?.length) {
    throw new SalesforceError('invalid-request', 'RunSpecifiedTests needs the test classes to run.');
  }
  if (opts.runTests?.length && opts.testLevel !== 'RunSpecifiedTests') {
    throw new SalesforceError('invalid-request', 'Test classes can only be named with the RunSpecifiedTests test level.');
  }
}

function apiOptionsOf(opts: DeployOptions): Record<string, unknown> {
  // Only defined keys: jsforce would send an undefined testLevel as the text "undefined".
  return {
    checkOnly: opts.checkOnly ?? false,
    rollbackOnError: true,
    ignoreWarnings: opts.ignoreWarnings ?? false,
    ...(opts.testLevel ? { testLevel: opts.testLevel } : {}),
    ...(opts.testLevel === 'RunSpecifiedTests' ? { runTests: opts.runTests } : {}),
  };
}

export interface StartDeployOptions extends DeployOptions {
  /** A metadata-format zip (package.xml at its root or in one folder) instead of source paths. */
  zip?: Uint8Array;
}

/**
 * Starts a deploy (or validation) and returns its id at once; follow it with deployStatus (or
 * followDeploy). The org queues it: one deploy at a time per org.
 */
export async function startDeploy(handle: OrgConnection, opts: StartDeployOptions): Promise<string> {
  checkTests(opts);
  throwIfAborted(opts.signal, handle.label);
  if (opts.zip) {
    if (opts.sourcePaths?.length) throw new SalesforceError('invalid-request', 'Give either source paths or a zip to deploy, not both.');
    if (opts.zip.byteLength === 0) throw new SalesforceError('invalid-request', 'The package zip is empty; retrieve the package again.');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-deploy-'));
    const zipPath = path.join(dir, 'package.zip');
    try {
      fs.writeFileSync(zipPath, opts.zip);
      const op = new MetadataApiDeploy({ usernameOrConnection: connectionOf(handle), zipPath, apiOptions: apiOptionsOf(opts) });
      await op.start();
      if (!op.id) throw new SalesforceError('server-error', `${handle.label} accepted the deploy without giving its id.`);
      return op.id;
    } catch (e) {
      throw toSalesforceError(e, { org: handle.label, action: `Starting the deploy to "${handle.label}"` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const set = buildSet(opts);
  try {
    const op = await set.deploy({ usernameOrConnection: connectionOf(handle), apiOptions: apiOptionsOf(opts) });
    if (!op.id) throw new SalesforceError('server-error', `${handle.label} accepted the deploy without giving its id.`);
    return op.id;
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Starting the deploy to "${handle.label}"` });
  }
}

const DEPLOY_ID = /^0Af[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;

/** Starts a quick deploy of a recent successful validation; returns the new deploy's id. */
export async function startQuickDeploy(handle: OrgConnection, validationId: string, opts: { signal?: AbortSignal } = {}): Promise<string> {
  if (!DEPLOY_ID.test(validationId ?? '')) throw new SalesforceError('invalid-request', `"${validationId}" is not a deploy id (0Af…).`);
  throwIfAborted(opts.signal, handle.label);
  try {
    return await new MetadataApiDeploy({ usernameOrConnection: connectionOf(handle), id: validationId }).deployRecentValidation(false);
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Quick deploy of ${validationId} to "${handle.label}"` });
  }
}

/** Polls a started deploy to its end; aborting cancels it in the org and resolves as canceled. */
async function follow(handle: OrgConnection, op: MetadataApiDeploy, opts: PollOptions): Promise<DeployResult> {
  let userCancel = false;
  const onAbort = (): void => {
    userCancel = true;
    op.cancel().catch(() => undefined);
  };
  if (opts.onProgress) op.onUpdate((s) => opts.onProgress?.(progressOf(s)));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (opts.signal?.aborted) onAbort();
    const result = await op.pollStatus(opts.pollMs, Math.ceil((opts.timeoutMs ?? 60 * 60_000) / 1000));
    if (!result) {
      // SDR stops polling once cancel is requested; ask the org how it ended.
      const status = await readWithRetry({ label: handle.label }, () => op.checkStatus());
      return toDeployResult(status, undefined, userCancel);
    }
    return toDeployResult(result.response, result, userCancel);
  } catch (e) {
    if (userCancel && op.id) {
      try {
        return toDeployResult(await readWithRetry({ label: handle.label }, () => op.checkStatus()), undefined, true);
      } catch {
        throw cancelled(handle.label);
      }
    }
    throw toSalesforceError(e, { org: handle.label, action: `Deploying to "${handle.label}"` });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Deploys (or validates, with checkOnly) source to the org. Resolves with the outcome, failed or
 * not; rejects only when the deploy could not be started or followed.
 */
export async function deploy(handle: OrgConnection, opts: DeployOptions): Promise<DeployResult> {
  checkTests(opts);
  const set = buildSet(opts);
  throwIfAborted(opts.signal, handle.label);
  let op: MetadataApiDeploy;
  try {
    op = await set.deploy({
      usernameOrConnection: connectionOf(handle),
      apiOptions: apiOptionsOf(opts),
    });
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Starting the deploy to "${handle.label}"` });
  }
  return follow(handle, op, opts);
}

/** Deploys a recent successful validation without running the tests again. */
export async function quickDeploy(handle: OrgConnection, validationId: string, opts: PollOptions = {}): Promise<DeployResult> {
  if (!DEPLOY_ID.test(validationId ?? '')) {
    throw new SalesforceError('invalid-request', `"${validationId}" is not a deploy id (0Af…).`);
  }
  throwIfAborted(opts.signal, handle.label);
  const conn = connectionOf(handle);
  let id: string;
  try {
    id = await new MetadataApiDeploy({ usernameOrConnection: conn, id: validationId }).deployRecentValidation(false);
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Quick deploy of ${validationId} to "${handle.label}"` });
  }
  return follow(handle, new MetadataApiDeploy({ usernameOrConnection: conn, id }), opts);
}

/** Asks the org to cancel a deploy in progress; the deploy then ends Canceled. */
export async function cancelDeploy(handle: OrgConnection, deployId: string): Promise<void> {
  try {
    await new MetadataApiDeploy({ usernameOrConnection: connectionOf(handle), id: deployId }).cancel();
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Cancelling deploy ${deployId}` });
  }
}

/**
 * The current state of a deploy (e.g. one started elsewhere): one status check of a deploy (a read:
 * tried again after a transient failure). `details: false` asks for the counts only (no component
 * and test results: a check while a 10,000-component deploy runs stays small); the result then
 * has no successes, failures or test results.
 */
export async function deployStatus(handle: OrgConnection, deployId: string, ctx: ReadOptions & { details?: boolean } = {}): Promise<DeployResult> {
  try {
    // Read as text and parsed here (metadata-soap.ts): jsforce's xml2js and schema cast of a
    // 10,000-component result cost about a second of CPU; the fields are the same.
    const text = await readMetadataSoap(connectionOf(handle), 'checkDeployStatus', { asyncProcessId: deployId, includeDetails: ctx.details !== false }, { label: handle.label, ...ctx });
    const status = deployStatusOf(text);
    if (!status) throw new SalesforceError('server-error', `"${handle.label}" gave no status for deploy ${deployId}.`, undefined, handle.label);
    return toDeployResult(status as unknown as MetadataApiDeployStatus);
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Reading deploy ${deployId}` });
  }
}
