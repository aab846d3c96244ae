/**
 * Deploy Source to Environment… and Validate Source in Environment… on local files and folders
 * (Explorer, editor title and context menus, the palette for the active file). Local source goes
 * to development environments only (core canDeployLocalSource); the others get their changes
 * through the pipeline. Thin: asks, runs the deploy workflow under progress, shows the result.
 */
import * as vscode from 'vscode';
import { TEST_LEVELS, type TestLevel } from '../../core/pipeline/types';
import { canDeployLocalSource } from '../../core/deployments/promotion-path';
import { isApexClassName, resolveTestLevel } from '../../core/deployments/test-level';
import { CancelledError, type Ctx } from '../../ctx';
import { runDeploy } from '../../workflows/deploy/run';
import { followUnderProgress, type DeploySummary } from './follow';

/** Plain arguments (tests, other commands) instead of asking. */
export interface DeploySourceArgs {
  paths?: string[];
  environment?: string;
  testLevel?: TestLevel;
  runTests?: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !(v instanceof vscode.Uri);

/** The files and folders: the Explorer's selection, the clicked resource, `{paths}`, else the active editor's file. */
function targetPaths(uri: unknown, selection: unknown): string[] {
  if (isRecord(uri) && Array.isArray(uri.paths)) {
    if (!uri.paths.every((p) => typeof p === 'string' && p)) throw new Error('paths must be a list of file or folder paths.');
    return uri.paths as string[];
  }
  const uris = Array.isArray(selection) && selection.every((u) => u instanceof vscode.Uri) && selection.length ? (selection as vscode.Uri[]) : uri instanceof vscode.Uri ? [uri] : [];
  if (uris.length === 0) {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active) uris.push(active);
  }
  if (uris.length === 0) throw new Error('Right-click source files or folders in the Explorer, or open a source file, to deploy them.');
  const remote = uris.find((u) => u.scheme !== 'file');
  if (remote) throw new Error(`Deploy works on files of the project on disk (${remote.toString(true)} is not).`);
  return uris.map((u) => u.fsPath);
}

function pipelineOf(ctx: Ctx) {
  const s = ctx.model.status;
  if (s.kind !== 'ok') throw new Error('The pipeline file is missing or has errors: fix it (see the Problems panel) before deploying.');
  return s.pipeline;
}

/** The development environment: the one given (refused with the pipeline's reason when not development), else picked among them. */
export async function targetEnvironment(ctx: Ctx, given: unknown, verb: string, what: string): Promise<string> {
  const pipeline = pipelineOf(ctx);
  if (typeof given === 'string') {
    const verdict = canDeployLocalSource(pipeline, given);
    if (!verdict.ok) throw new Error(verdict.reason);
    return given;
  }
  const devs = pipeline.environments.filter((e) => e.role === 'development');
  if (devs.length === 0) throw new Error('The pipeline has no development environment: local source is deployed to development environments only. Add one with "Add Environment…" (role development).');
  const pick = await ctx.prompts.pick(
    devs.map((e) => ({ label: e.name, description: `${e.org} · development` })),
    { title: `${verb} ${what} to…`, placeHolder: 'Development environment (the others get changes through the pipeline)' },
  );
  if (!pick) throw new CancelledError(verb);
  return pick.label;
}

const LEVEL_DETAIL: Record<TestLevel, string> = {
  NoTestRun: 'No tests (not allowed in production with Apex)',
  RunSpecifiedTests: 'Only the test classes you name',
  RunLocalTests: 'All tests of the org outside managed packages',
  RunAllTestsInOrg: 'All tests, managed packages included',
};

async function askTestLevel(ctx: Ctx, env: string, components: Array<{ type: string; fullName: string }>): Promise<{ testLevel: TestLevel; runTests?: string[] }> {
  const environment = ctx.model.environment(env)!;
  const { level, source } = resolveTestLevel(undefined, environment, components);
  const why = source === 'environment' ? `${env}'s default` : 'Salesforce default';
  const items = TEST_LEVELS.map((l) => ({ label: l, description: l === level ? `(${why})` : undefined, detail: LEVEL_DETAIL[l] })).sort((a, b) =>
    a.label === level ? -1 : b.label === level ? 1 : 0,
  );
  const pick = await ctx.prompts.pick(items, { title: `Test level for the validation in ${env}`, ignoreFocusOut: true });
  if (!pick) throw new CancelledError('Validate Source');
  const testLevel = pick.label;
  if (testLevel !== 'RunSpecifiedTests') return { testLevel };
  const names = await ctx.prompts.input({
    title: 'Test classes to run',
    prompt: 'Apex test class names, separated by commas (e.g. GreeterTest, InvoiceServiceTest)',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const list = splitNames(v);
      if (list.length === 0) return 'Name at least one test class.';
      const bad = list.find((n) => !isApexClassName(n));
      return bad ? `"${bad}" is not an Apex class name.` : undefined;
    },
  });
  if (!names) throw new CancelledError('Validate Source');
  return { testLevel, runTests: splitNames(names) };
}

const splitNames = (v: string): string[] => v.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);

async function deployOrValidate(ctx: Ctx, checkOnly: boolean, uri: unknown, selection: unknown): Promise<DeploySummary | undefined> {
  const args: DeploySourceArgs = isRecord(uri) ? (uri as DeploySourceArgs) : {};
  const verb = checkOnly ? 'Validate' : 'Deploy';
  const paths = targetPaths(uri, selection);
  const sf = await ctx.salesforce();
  const components = sf.componentsAt(paths);
  const names = paths.map((p) => vscode.workspace.asRelativePath(p, false));
  const what = names.length === 1 ? names[0] : `${names.length} files and folders`;
  if (components.length === 0) {
    throw new Error(`${what} holds no Salesforce metadata: deploy source files of a Salesforce DX project (classes, triggers, lwc, objects…).`);
  }
  const env = await targetEnvironment(ctx, args.environment, verb, what);
  let level: { testLevel?: TestLevel; runTests?: string[] } = {};
  if (args.testLevel !== undefined || args.runTests !== undefined) level = { testLevel: args.testLevel, runTests: args.runTests };
  else if (checkOnly) level = await askTestLevel(ctx, env, components);
  ctx.deploy.problems.clearFor(paths);
  const count = components.length === 1 ? `${components[0].type} ${components[0].fullName}` : `${components.length} components`;
  return followUnderProgress(ctx, {
    title: `${count} → ${env}`,
    targetEnv: env,
    sourcePaths: paths,
    checkOnly,
    run: (opts) => runDeploy(ctx, { targetEnv: env, sourcePaths: paths, checkOnly, ...level }, opts),
  });
}

/** Deploy Source to Environment…: `(uri, selectedUris)` from a menu, or `{paths, environment}`. */
export function deploySource(ctx: Ctx, uri?: unknown, selection?: unknown): Promise<DeploySummary | undefined> {
  return deployOrValidate(ctx, false, uri, selection);
}

/** Validate Source in Environment…: check-only, with a test level (asked, or `{testLevel, runTests}`). */
export function validateSource(ctx: Ctx, uri?: unknown, selection?: unknown): Promise<DeploySummary | undefined> {
  return deployOrValidate(ctx, true, uri, selection);
}
