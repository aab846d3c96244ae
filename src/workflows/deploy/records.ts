/**
 * Deployment records as a user works with them, with no editor present (the editor's commands
 * and the CLI run these): create one from an approved change request along the pipeline's
 * promotion path, submit / approve / reject / withdraw / edit it under the change request rules,
 * retrieve its package from the source environment into a file kept with the record in the org,
 * load that package back (on any machine), and record validation and deploy results.
 *
 * Records live in the org of the change request's environment (the source), next to the CR they
 * deploy. Every write is conditional on the version the user read: a save based on an older read
 * comes back as `{ ok: false, conflict: true }` and writes nothing. Each change is sealed into
 * the record's hash-chained history.
 */
import {
  actionState,
  canCreateDeployment,
  deploymentEntriesForChange,
  deploymentLabel,
  finishDeploy,
  finishRevert,
  finishValidation,
  newDeployment,
  recordDependencyCheck,
  recordPackage,
  recordSnapshot,
  startDeploy,
  startRevert,
  startValidation,
  transitionDeployment,
  applyDeploymentEdit,
  type DependencyCheckFact,
  type DeploymentFields,
  type DeploymentHistoryDraft,
  type DeploymentHistoryEntry,
  type DeploymentRecord,
  type DeploymentStatus,
  type DeployStart,
  type RevertStart,
  type RunStart,
  type SnapshotFact,
} from '../../core/deployments';
import type { ComponentRef, DeployResult } from '../../core/metadata-types';
import type { Pipeline } from '../../core/pipeline';
import type { PackageContents } from '../../salesforce/metadata/package-contents';
import type { PackageFile } from '../../salesforce/metadata/package-retrieve';
import type { RunOptions, WorkflowDeps } from '../types';
import { findChangeRequest } from '../change-requests/find';

export type RecordOutcome =
  | { ok: true; record: DeploymentRecord; history: DeploymentHistoryEntry[] }
  /** Refused by the rules (nothing written), or `conflict`: someone saved the record since it was read (nothing written; reload it). */
  | { ok: false; reason: string; conflict?: true };

/** A record to act on: its id (read fresh), or the record as the user read it (the write is checked against that read). */
export type DeploymentRef = string | DeploymentRecord;

export interface CreateDeploymentRequest {
  /** The environment holding the change request (the source of the deployment). */
  crEnv: string;
  /** The change request's number (CR-00042) or record id. */
  crRef: string;
  /** Where to deploy: an environment the pipeline promotes `crEnv` to. */
  targetEnv: string;
  pipeline: Pipeline;
}

const now = (): string => new Date().toISOString();
const isConflict = (e: unknown): boolean => !!e && typeof e === 'object' && (e as { kind?: unknown }).kind === 'conflict';

async function session(deps: WorkflowDeps, env: string) {
  return deps.sessions.get(env);
}

async function resolve(deps: WorkflowDeps, env: string, ref: DeploymentRef): Promise<DeploymentRecord> {
  if (typeof ref !== 'string') return ref;
  const sf = await deps.salesforce();
  return sf.getDeployment((await session(deps, env)).handle, ref);
}

/**
 * Saves `next` over `base` (checked against the version of `base`) and appends the history
 * drafts; a conflict comes back as an outcome, with nothing written.
 */
async function save(deps: WorkflowDeps, env: string, base: DeploymentRecord, next: DeploymentRecord, drafts: DeploymentHistoryDraft[]): Promise<RecordOutcome> {
  const sf = await deps.salesforce();
  const { handle } = await session(deps, env);
  let stored: DeploymentRecord;
  try {
    stored = await sf.updateDeployment(handle, { ...next, id: base.id, version: base.version, lastModified: base.lastModified });
  } catch (e) {
    if (!isConflict(e)) throw e;
    deps.log.info(`${deploymentLabel(base)}: ${(e as Error).message}`);
    return { ok: false, conflict: true, reason: `${deploymentLabel(base)} was changed by someone else meanwhile; reload it and apply your change again.` };
  }
  const history = drafts.length ? await sf.appendDeploymentHistoryEntries(handle, stored.id!, drafts) : [];
  return { ok: true, record: stored, history };
}

/**
 * Creates the deployment record of an approved change request toward `targetEnv`, in the org of
 * `crEnv`: a draft holding the CR's customizations and approvers. Refuses a CR that is not
 * approved and a target the pipeline does not promote `crEnv` to (naming the allowed targets).
 */
export async function createDeployment(deps: WorkflowDeps, req: CreateDeploymentRequest, opts: RunOptions = {}): Promise<RecordOutcome> {
  const sf = await deps.salesforce();
  opts.onProgress?.({ message: `Reading ${req.crRef} in ${req.crEnv}…` });
  const s = await session(deps, req.crEnv);
  const cr = await findChangeRequest(deps, req.crEnv, req.crRef, opts.signal);
  const verdict = canCreateDeployment(cr, req.pipeline, req.crEnv, req.targetEnv);
  if (!verdict.ok) return verdict;
  const target = req.pipeline.environments.find((e) => e.name === req.targetEnv);
  const draft = newDeployment(cr, req.crEnv, req.targetEnv, s.userId);
  // The target's default test level is the record's until the user chooses another.
  if (target?.testLevel) draft.testLevel = target.testLevel;
  opts.onProgress?.({ message: `Creating the deployment of ${cr.number ?? cr.name} to ${req.targetEnv}…` });
  const record = await sf.createDeployment(s.handle, draft);
  const history = await sf.appendDeploymentHistoryEntries(s.handle, record.id!, [
    { action: 'created', actorId: s.userId, at: now(), details: { crId: cr.id, crNumber: cr.number, source: req.crEnv, target: req.targetEnv } },
  ]);
  deps.log.info(`Created ${deploymentLabel(record)}: ${cr.number ?? cr.id} from ${req.crEnv} to ${req.targetEnv}.`);
  return { ok: true, record, history };
}

async function changeStatus(deps: WorkflowDeps, env: string, ref: DeploymentRef, to: DeploymentStatus, comment?: string, pipeline?: Pipeline): Promise<RecordOutcome> {
  const base = await resolve(deps, env, ref);
  const { userId } = await session(deps, env);
  if (to === 'Pending approval' && pipeline && (base.status === 'Draft' || base.status === 'Rejected')) {
    // The target's test-level rules (production refuses NoTestRun with Apex) before it goes to the approvers.
    const target = pipeline.environments.find((e) => e.name === base.targetEnvironment);
    const submit = actionState(base, 'submit', { actor: { userId }, now: new Date(), target });
    if (!submit.allowed) return { ok: false, reason: submit.reason ?? `${deploymentLabel(base)} cannot be submitted.` };
  }
  const t = transitionDeployment(base, to, { actor: { userId }, comment });
  if (!t.ok) return t;
  return save(deps, env, base, t.record, deploymentEntriesForChange(base, t.record, userId, now(), comment));
}

/** Submits the record for approval (the target's test-level rules are checked when the pipeline is given). */
export function submitDeployment(deps: WorkflowDeps, env: string, ref: DeploymentRef, pipeline?: Pipeline): Promise<RecordOutcome> {
  return changeStatus(deps, env, ref, 'Pending approval', undefined, pipeline);
}

/** Approves the record: only an approver (not its submitter), with a comment saying why. */
export function approveDeployment(deps: WorkflowDeps, env: string, ref: DeploymentRef, comment: string): Promise<RecordOutcome> {
  return changeStatus(deps, env, ref, 'Approved', comment);
}

/** Rejects the record: only an approver, with a comment saying why. */
export function rejectDeployment(deps: WorkflowDeps, env: string, ref: DeploymentRef, comment: string): Promise<RecordOutcome> {
  return changeStatus(deps, env, ref, 'Rejected', comment);
}

/** Takes the record back from approval to draft (its submitter only). */
export function withdrawDeployment(deps: WorkflowDeps, env: string, ref: DeploymentRef): Promise<RecordOutcome> {
  return changeStatus(deps, env, ref, 'Draft');
}

/** Abandons the record (it keeps its history; the CR stays approved for a new deployment). */
export function abandonDeployment(deps: WorkflowDeps, env: string, ref: DeploymentRef, comment?: string): Promise<RecordOutcome> {
  return changeStatus(deps, env, ref, 'Abandoned', comment);
}

/** Closes a Deployed record once the user checked the result (after-deploy.ts also closes its change requests). */
export function completeDeploymentRecord(deps: WorkflowDeps, env: string, ref: DeploymentRef, comment?: string): Promise<RecordOutcome> {
  return changeStatus(deps, env, ref, 'Completed', comment);
}

/**
 * Edits the components, test level, test classes or approvers. Changing what would be deployed
 * sends an approved record back for approval and drops the package and validation that no longer
 * match.
 */
export async function editDeployment(deps: WorkflowDeps, env: string, ref: DeploymentRef, changes: Partial<DeploymentFields>): Promise<RecordOutcome> {
  const base = await resolve(deps, env, ref);
  const { userId } = await session(deps, env);
  const edit = applyDeploymentEdit(base, changes, { userId });
  if (!edit.ok) return edit;
  const drafts = deploymentEntriesForChange(base, edit.record, userId, now());
  if (drafts.length === 0) return { ok: true, record: base, history: [] };
  if (edit.packageDropped) drafts.push({ action: 'package', actorId: userId, at: now(), details: { dropped: true, reason: 'the components changed' } });
  return save(deps, env, base, edit.record, drafts);
}

export interface RetrievedPackage {
  record: DeploymentRecord;
  history: DeploymentHistoryEntry[];
  files: PackageFile[];
}

/**
 * Retrieve Selected Customizations: retrieves the record's components from its source
 * environment, stores the zip as a file linked to the record in the org (a new version of the
 * record's package file when it has one), and records the package (which drops the validation and
 * dependency check of the previous one).
 */
export async function retrievePackage(
  deps: WorkflowDeps,
  env: string,
  ref: DeploymentRef,
  opts: RunOptions & { pollMs?: number } = {},
): Promise<{ ok: true; result: RetrievedPackage } | { ok: false; reason: string; conflict?: true }> {
  const sf = await deps.salesforce();
  const base = await resolve(deps, env, ref);
  const holder = await session(deps, env);
  const state = actionState(base, 'retrieve', { actor: { userId: holder.userId }, now: new Date() });
  if (!state.allowed) return { ok: false, reason: state.reason ?? `${deploymentLabel(base)} cannot be retrieved now.` };
  const source = await session(deps, base.sourceEnvironment);
  // A back-deploy's deletions are not retrieved: they go into the package as destructive changes.
  const deletions = base.backDeploy?.deletions ?? [];
  const deleted = new Set(deletions.map((c) => `${c.type}:${c.fullName}`));
  const toRetrieve = base.components.filter((c) => !deleted.has(`${c.type}:${c.fullName}`));
  opts.onProgress?.({ message: `Retrieving ${toRetrieve.length} components from ${base.sourceEnvironment}…`, percent: 0 });
  const retrieved = toRetrieve.length ? await sf.retrievePackageZip(source.handle, toRetrieve, { signal: opts.signal, pollMs: opts.pollMs }) : { zip: undefined, problems: [] };
  const { problems } = retrieved;
  const zip = deletions.length ? sf.addDestructiveChanges(source.handle, retrieved.zip, deletions) : retrieved.zip!;
  if (problems.length) {
    // A package without some of the approved components would deploy less than was approved: keep nothing.
    return {
      ok: false,
      reason: `${base.sourceEnvironment} could not give every component of ${deploymentLabel(base)}: ${problems.join('; ')}. Remove those components from the deployment (it then goes back for approval) or create them in ${base.sourceEnvironment}, and retrieve again. No package was stored.`,
    };
  }
  const files = sf.packageFiles(zip);
  opts.onProgress?.({ message: `Storing the package (${files.length} files) with ${deploymentLabel(base)} in ${env}…`, percent: 60 });
  const stored = await sf.storePackage(holder.handle, base.id!, zip, `${base.number ?? 'deployment'}-package`, base.package?.fileId);
  const retrievedAt = now();
  const next = recordPackage(base, {
    fileId: stored.contentDocumentId,
    retrievedAt,
    retrievedBy: holder.userId,
    componentCount: base.components.length,
    digests: Object.fromEntries(files.map((f) => [f.path, f.digest])),
  });
  const drafts: DeploymentHistoryDraft[] = [
    {
      action: 'package',
      actorId: holder.userId,
      at: retrievedAt,
      details: { fileId: stored.contentDocumentId, versionId: stored.contentVersionId, bytes: stored.size, files: files.length, from: base.sourceEnvironment },
    },
  ];
  const saved = await save(deps, env, base, next, drafts);
  if (!saved.ok) return saved;
  opts.onProgress?.({ message: `Package of ${deploymentLabel(saved.record)} stored.`, percent: 100 });
  return { ok: true, result: { record: saved.record, history: saved.history, files } };
}

export interface LoadedPackage {
  record: DeploymentRecord;
  zip: Uint8Array;
  files: PackageFile[];
  /** Files whose content differs from what was retrieved (the stored file was replaced outside Changeline). */
  changed: string[];
  /** The package's components and text files, when asked for (read in the same pass as the file list). */
  contents?: PackageContents;
}

/**
 * The record's package as stored in the org (the same bytes on every machine), with its file list
 * (and, with `opts.contents`, its components and text files, from one unzip).
 */
export async function loadPackage(deps: WorkflowDeps, env: string, ref: DeploymentRef, opts: { contents?: boolean } = {}): Promise<LoadedPackage> {
  const sf = await deps.salesforce();
  const record = await resolve(deps, env, ref);
  if (!record.package) {
    throw Object.assign(new Error(`${deploymentLabel(record)} has no package yet: retrieve it first (Retrieve Selected Customizations).`), { kind: 'not-found' });
  }
  const { handle } = await session(deps, env);
  const zip = await sf.readStoredPackage(handle, record.package.fileId);
  const opened = opts.contents ? sf.openPackage(zip) : { files: sf.packageFiles(zip), contents: undefined };
  const { files } = opened;
  const digests = record.package.digests;
  const paths = new Set(files.map((f) => f.path));
  const changed = digests ? files.filter((f) => digests[f.path] !== f.digest).map((f) => f.path).concat(Object.keys(digests).filter((p) => !paths.has(p))) : [];
  return { record, zip, files, changed, ...(opened.contents ? { contents: opened.contents } : {}) };
}

/** A fact to record on the record, from a validation or deploy run (or a dependency check). */
export type ResultFact =
  | { kind: 'validation-started'; start: RunStart }
  | { kind: 'validation-finished'; result: DeployResult }
  | { kind: 'deploy-started'; start: DeployStart }
  | { kind: 'deploy-finished'; result: DeployResult }
  | { kind: 'dependencies'; fact: DependencyCheckFact }
  | { kind: 'snapshot'; fact: SnapshotFact; versionId?: string; bytes?: number }
  | { kind: 'revert-started'; start: RevertStart }
  | { kind: 'revert-finished'; result: DeployResult };

function summary(result: DeployResult): Record<string, unknown> {
  return {
    id: result.id,
    status: result.canceled ? 'Canceled' : result.status,
    success: result.success,
    componentErrors: result.failures.filter((f) => f.problemType === 'Error').length,
    testsRun: result.tests.run,
    testsFailed: result.tests.failures.length,
    ...(result.errorMessage ? { errorMessage: result.errorMessage } : {}),
  };
}

/**
 * Records a validation or deploy fact (its start, so a reload can follow it by id, and its result)
 * or a dependency check, saved with the version check, with a history entry. A deploy's result
 * decides the status (Deployed, Failed or Cancelled) as the core rules say.
 */
export async function recordResult(deps: WorkflowDeps, env: string, ref: DeploymentRef, fact: ResultFact): Promise<RecordOutcome> {
  const base = await resolve(deps, env, ref);
  const { userId } = await session(deps, env);
  const at = now();
  let next: DeploymentRecord;
  let draft: DeploymentHistoryDraft;
  switch (fact.kind) {
    case 'validation-started':
      next = startValidation(base, fact.start);
      draft = { action: 'validation', actorId: userId, at, details: { started: fact.start.id, testLevel: fact.start.testLevel } };
      break;
    case 'validation-finished':
      if (base.validation?.id !== fact.result.id) {
        return { ok: false, reason: `${deploymentLabel(base)} follows validation ${base.validation?.id ?? '(none)'}, not ${fact.result.id}; its result was not recorded.` };
      }
      next = finishValidation(base, fact.result, at);
      draft = { action: 'validation', actorId: userId, at, details: { finished: summary(fact.result) } };
      break;
    case 'deploy-started': {
      const t = startDeploy(base, fact.start, { userId });
      if (!t.ok) return t;
      next = t.record;
      draft = { action: 'deploy', actorId: userId, at, details: { started: fact.start.id, ...(fact.start.quickDeployOf ? { quickDeployOf: fact.start.quickDeployOf } : {}) } };
      break;
    }
    case 'deploy-finished': {
      const t = finishDeploy(base, fact.result, at);
      if (!t.ok) return t;
      next = t.record;
      draft = { action: 'deploy', actorId: userId, at, details: { finished: summary(fact.result), status: next.status } };
      break;
    }
    case 'dependencies':
      next = recordDependencyCheck(base, fact.fact);
      draft = { action: 'dependencies', actorId: userId, at, details: { missing: fact.fact.missing, sources: fact.fact.sources } };
      break;
    case 'snapshot':
      next = recordSnapshot(base, fact.fact);
      draft = {
        action: 'snapshot',
        actorId: userId,
        at,
        details: { fileId: fact.fact.fileId, existed: fact.fact.existed, absent: fact.fact.absent, ...(fact.versionId ? { versionId: fact.versionId } : {}), ...(fact.bytes ? { bytes: fact.bytes } : {}) },
      };
      break;
    case 'revert-started': {
      const t = startRevert(base, fact.start);
      if (!t.ok) return t;
      next = t.record;
      const { id, revertOf, overridden, deleted, skipped } = fact.start;
      draft = { action: 'revert', actorId: userId, at, details: { started: id, ...(revertOf ? { revertOf } : {}), overridden, deleted, skipped } };
      break;
    }
    case 'revert-finished': {
      const t = finishRevert(base, fact.result, at);
      if (!t.ok) return t;
      next = t.record;
      draft = { action: 'revert', actorId: userId, at, details: { finished: summary(fact.result), status: next.status } };
      break;
    }
  }
  const drafts = [draft, ...deploymentEntriesForChange(base, next, userId, at).filter((d) => d.action !== 'edited')];
  return save(deps, env, base, next, drafts);
}

/** One page of an environment's deployment records, newest first (optionally by status). */
export async function listDeploymentRecords(deps: WorkflowDeps, env: string, opts: { statuses?: DeploymentStatus[]; next?: string; pageSize?: number; signal?: AbortSignal } = {}) {
  const sf = await deps.salesforce();
  return sf.listDeployments((await session(deps, env)).handle, opts);
}

/** Deletes a draft record and its history (any other status is abandoned instead, keeping its history). */
export async function deleteDraftDeployment(deps: WorkflowDeps, env: string, id: string): Promise<void> {
  const sf = await deps.salesforce();
  await sf.deleteDeployment((await session(deps, env)).handle, id);
}

/**
 * Add to package (from Check Dependencies): adds the components (missing dependencies) to the
 * record and retrieves them from the source with the rest into a new version of the stored package,
 * in one save. What would be deployed changed, so an approved record goes back for approval (its
 * approvers see the added components in the history) with the new package already in place; a
 * draft, rejected or pending record just lists them (its package is retrieved once approved).
 * Components the record has already are skipped; a component the source cannot give stops the
 * whole addition and nothing is saved.
 */
export async function addToPackage(
  deps: WorkflowDeps,
  env: string,
  ref: DeploymentRef,
  components: readonly ComponentRef[],
  opts: RunOptions & { pollMs?: number } = {},
): Promise<{ ok: true; record: DeploymentRecord; history: DeploymentHistoryEntry[]; added: ComponentRef[]; retrieved: boolean } | { ok: false; reason: string; conflict?: true }> {
  const base = await resolve(deps, env, ref);
  const holder = await session(deps, env);
  const have = new Set(base.components.map((c) => `${c.type}:${c.fullName}`.toLowerCase()));
  const added = components.filter((c) => !have.has(`${c.type}:${c.fullName}`.toLowerCase())).map((c) => ({ type: c.type, fullName: c.fullName }));
  if (added.length === 0) return { ok: true, record: base, history: [], added, retrieved: false };
  const edit = applyDeploymentEdit(base, { components: [...base.components, ...added] }, { userId: holder.userId });
  if (!edit.ok) return edit;
  let next = edit.record;
  const at = now();
  const drafts = deploymentEntriesForChange(base, next, holder.userId, at, `Added ${added.length} missing dependenc${added.length === 1 ? 'y' : 'ies'}.`);
  const ready = base.package !== undefined && actionState(base, 'retrieve', { actor: { userId: holder.userId }, now: new Date() }).allowed;
  if (ready) {
    const sf = await deps.salesforce();
    const source = await session(deps, base.sourceEnvironment);
    opts.onProgress?.({ message: `Retrieving ${next.components.length} components (${added.length} added) from ${base.sourceEnvironment}…`, percent: 0 });
    const { zip, problems } = await sf.retrievePackageZip(source.handle, next.components, { signal: opts.signal, pollMs: opts.pollMs });
    if (problems.length) {
      return { ok: false, reason: `${base.sourceEnvironment} could not give every component: ${problems.join('; ')}. Nothing was added to ${deploymentLabel(base)}.` };
    }
    const files = sf.packageFiles(zip);
    opts.onProgress?.({ message: `Storing the package (${files.length} files) with ${deploymentLabel(base)}…`, percent: 60 });
    const stored = await sf.storePackage(holder.handle, base.id!, zip, `${base.number ?? 'deployment'}-package`, base.package?.fileId);
    next = recordPackage(next, {
      fileId: stored.contentDocumentId,
      retrievedAt: at,
      retrievedBy: holder.userId,
      componentCount: next.components.length,
      digests: Object.fromEntries(files.map((f) => [f.path, f.digest])),
    });
    drafts.push({ action: 'package', actorId: holder.userId, at, details: { fileId: stored.contentDocumentId, versionId: stored.contentVersionId, bytes: stored.size, files: files.length, from: base.sourceEnvironment, added } });
  }
  const saved = await save(deps, env, base, next, drafts);
  if (!saved.ok) return saved;
  deps.log.info(`${deploymentLabel(saved.record)}: added ${added.map((c) => `${c.type} ${c.fullName}`).join(', ')}${ready ? ' and retrieved them into its package' : ''}; it is ${saved.record.status}.`);
  return { ok: true, record: saved.record, history: saved.history, added, retrieved: ready };
}
