/**
 * Validating or deploying a git delta through the deploy path (src/workflows/deploy/run.ts): the
 * package's files at TO are written to a throw-away folder, deployed with the deleted components as
 * destructive changes applied after the deploy, and problems are placed on the repository's files.
 * Where the delta may go is the front end's check first (local source: development environments only).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GitDelta } from '../../core/git-delta';
import type { TestLevel } from '../../core/metadata-types';
import { DeployError, runDeploy, type DeployOutcome, type DeployRunOptions } from '../deploy/run';
import type { WorkflowDeps } from '../types';
import { writeGitDelta } from './delta';

export interface GitDeltaDeployRequest {
  delta: GitDelta;
  targetEnv: string;
  checkOnly?: boolean;
  testLevel?: TestLevel;
  runTests?: string[];
}

export async function deployGitDelta(deps: WorkflowDeps, req: GitDeltaDeployRequest, opts: DeployRunOptions = {}): Promise<DeployOutcome> {
  const { delta } = req;
  if (delta.plan.deploy.length === 0 && delta.plan.destroy.length === 0) {
    throw new DeployError(`${delta.from.ref} and ${delta.to.ref} differ by no metadata: nothing to deploy.`, 'refused');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-git-delta-'));
  try {
    const written = await writeGitDelta(delta, path.join(dir, 'delta'), opts);
    const outcome = await runDeploy(
      deps,
      {
        targetEnv: req.targetEnv,
        ...(written.sourceRoots.length ? { sourcePaths: written.sourceRoots } : {}),
        ...(delta.plan.destroy.length ? { destructive: { post: delta.plan.destroy } } : {}),
        ...(req.checkOnly ? { checkOnly: true } : {}),
        ...(req.testLevel ? { testLevel: req.testLevel } : {}),
        ...(req.runTests?.length ? { runTests: req.runTests } : {}),
      },
      opts,
    );
    // Problems name the repository's files (as they are at TO), not the throw-away copy.
    const inCopy = path.join(dir, 'delta') + path.sep;
    const problems = outcome.problems.map((p) => (p.path?.startsWith(inCopy) ? { ...p, path: path.join(delta.repo, p.path.slice(inCopy.length)) } : p));
    return { ...outcome, problems };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
