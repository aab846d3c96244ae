/**
 * Recording what happened to a deployment record: a retrieved package, a dependency check, a
 * validation and a deploy, from their start to their result. Pure: each returns the new record;
 * a deploy result decides the status, so the record tells the same story as the org.
 */
import type { DeployResult } from '../metadata-types';
import { isApex, type DependencyCheckFact, type DeploymentPackage, type DeploymentRecord, type DeployFact, type RevertFact, type SnapshotFact, type TestLevel, type ValidationFact } from './model';
import { canTransitionDeployment, type Actor, type DeploymentOutcome } from './rules';

/** A new package replaces the old one; the validation and dependency check were of the old one. */
export function recordPackage(d: DeploymentRecord, pkg: DeploymentPackage): DeploymentRecord {
  const next: DeploymentRecord = { ...d, package: pkg };
  delete next.validation;
  delete next.dependencyCheck;
  return next;
}

export function recordDependencyCheck(d: DeploymentRecord, fact: DependencyCheckFact): DeploymentRecord {
  return { ...d, dependencyCheck: fact };
}

export interface RunStart {
  /** The deploy id the org returned. */
  id: string;
  startedAt: string;
  by: string;
  testLevel: TestLevel;
  runTests?: string[];
}

/** A validation started: recorded at once, so a reload can follow it by its id. */
export function startValidation(d: DeploymentRecord, start: RunStart): DeploymentRecord {
  const validation: ValidationFact = {
    id: start.id,
    startedAt: start.startedAt,
    by: start.by,
    checkOnly: true,
    testLevel: start.testLevel,
    ...(start.runTests?.length ? { runTests: [...start.runTests] } : {}),
    apex: d.components.filter(isApex).map((c) => ({ type: c.type, fullName: c.fullName })),
  };
  return { ...d, validation };
}

/** The validation's result from the org (its id must match the running validation's). */
export function finishValidation(d: DeploymentRecord, result: DeployResult, completedAt: string): DeploymentRecord {
  const v = d.validation;
  if (!v || v.id !== result.id) return d;
  return {
    ...d,
    validation: {
      ...v,
      completedAt: result.completedDate ?? completedAt,
      checkOnly: result.checkOnly,
      status: result.canceled ? 'Canceled' : result.status,
      success: result.success,
      testsRun: result.tests.run,
      testsFailed: result.tests.failures.length,
      coverage: { classes: result.coverage },
      componentErrors: result.failures.filter((f) => f.problemType === 'Error').length,
      ...(result.errorMessage ? { errorMessage: result.errorMessage } : {}),
    },
  };
}

export interface DeployStart extends Omit<RunStart, 'testLevel'> {
  testLevel?: TestLevel;
  /** Set for a quick deploy: the validation it deploys. */
  quickDeployOf?: string;
}

/** A deploy started: the record is Deploying, with the deploy id kept to follow it after a reload. */
export function startDeploy(d: DeploymentRecord, start: DeployStart, actor: Actor): DeploymentOutcome {
  const v = canTransitionDeployment(d, 'Deploying', { actor });
  if (!v.ok) return v;
  const deploy: DeployFact = {
    id: start.id,
    startedAt: start.startedAt,
    by: start.by,
    status: 'Pending',
    ...(start.quickDeployOf ? { quickDeployOf: start.quickDeployOf } : {}),
    ...(start.testLevel ? { testLevel: start.testLevel } : {}),
  };
  return { ok: true, record: { ...d, status: 'Deploying', deploy } };
}

/**
 * The deploy's result from the org: Succeeded → Deployed; Canceled → Cancelled; Failed, and
 * SucceededPartial (only some components deployed) → Failed, so it can be retried. The deploy
 * fact keeps the org's own status.
 */
export function finishDeploy(d: DeploymentRecord, result: DeployResult, completedAt: string): DeploymentOutcome {
  if (d.status !== 'Deploying' || !d.deploy) return { ok: false, reason: `${d.number ?? 'The deployment'} is not deploying; there is no deploy to finish.` };
  if (d.deploy.id !== result.id) return { ok: false, reason: `The result is of deploy ${result.id}, but ${d.number ?? 'the deployment'} follows deploy ${d.deploy.id}.` };
  if (result.status === 'Pending' || result.status === 'InProgress' || result.status === 'Canceling') {
    return { ok: false, reason: `Deploy ${result.id} is still ${result.status}; record its result once the org has finished it.` };
  }
  const canceled = result.canceled || result.status === 'Canceled';
  const status = canceled ? 'Cancelled' : result.success && result.status === 'Succeeded' ? 'Deployed' : 'Failed';
  const deploy: DeployFact = {
    ...d.deploy,
    completedAt: result.completedDate ?? completedAt,
    status: canceled ? 'Canceled' : result.status,
    componentsDeployed: result.componentsDone,
    componentErrors: result.failures.filter((f) => f.problemType === 'Error').length,
    testsRun: result.tests.run,
    testsFailed: result.tests.failures.length,
    ...(result.errorMessage ? { errorMessage: result.errorMessage } : {}),
  };
  return { ok: true, record: { ...d, status, deploy } };
}

/** The snapshot of the target taken before a deploy (a retry's snapshot replaces it). */
export function recordSnapshot(d: DeploymentRecord, snapshot: SnapshotFact): DeploymentRecord {
  return { ...d, snapshot, snapshotId: snapshot.fileId };
}

export interface RevertStart {
  id: string;
  startedAt: string;
  by: string;
  byName?: string;
  revertOf?: string;
  overridden: number;
  deleted: number;
  skipped: number;
  packageFingerprint?: string;
}

/** A revert started (only of a deployed record): kept at once, so a reload can follow it by its id. */
export function startRevert(d: DeploymentRecord, start: RevertStart): DeploymentOutcome {
  if (d.status !== 'Deployed' && d.status !== 'Completed') {
    return { ok: false, reason: `${d.number ?? 'The deployment'} is ${d.status}; only a deployed one can be reverted.` };
  }
  if (d.revert && !d.revert.completedAt) return { ok: false, reason: `A revert of ${d.number ?? 'the deployment'} is running (${d.revert.id}); wait for it to finish.` };
  return { ok: true, record: { ...d, revert: { ...start, status: 'Pending' } } };
}

/**
 * The revert's result: Succeeded → the record is Reverted; a failed or cancelled revert keeps the
 * record's status (Salesforce rolled it back) and may be tried again.
 */
export function finishRevert(d: DeploymentRecord, result: DeployResult, completedAt: string): DeploymentOutcome {
  const r = d.revert;
  if (!r || r.id !== result.id) return { ok: false, reason: `The result is of deploy ${result.id}, but ${d.number ?? 'the deployment'} follows revert ${r?.id ?? '(none)'}.` };
  const { revert, succeeded } = revertFinished(r, result, completedAt);
  return { ok: true, record: { ...d, revert, ...(succeeded ? { status: 'Reverted' as const } : {}) } };
}

/** A revert fact completed with its deploy's result (of whatever holds it: a record or a queue entry), and whether it succeeded. */
export function revertFinished(r: RevertFact, result: DeployResult, completedAt: string): { revert: RevertFact; succeeded: boolean } {
  const canceled = result.canceled || result.status === 'Canceled';
  const revert: RevertFact = {
    ...r,
    completedAt: result.completedDate ?? completedAt,
    status: canceled ? 'Canceled' : result.status,
    ...(result.errorMessage ? { errorMessage: result.errorMessage } : {}),
  };
  return { revert, succeeded: !canceled && result.success && result.status === 'Succeeded' };
}
