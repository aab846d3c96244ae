/**
 * Pure functions turning a deployment record, its history, its package's file list, the latest
 * run and the core's allowed actions into the plain-text view model the deployment panel shows
 * (no vscode import; unit-tested).
 */
import { verifyChain } from '../../core/audit/chain';
import {
  coverageReport,
  deploymentLabel,
  formatPercent,
  percentOf,
  resolveTestLevel,
  type ActionState,
  type CoverageSummary,
  type DeployFact,
  type DeploymentHistoryEntry,
  type DeploymentRecord,
  type MissingDependency,
  type ValidationFact,
} from '../../core/deployments';
import { componentKey, type ComponentRef, type DeployResult } from '../../core/metadata-types';
import type { Environment } from '../../core/pipeline';
import {
  PANEL_ACTIONS,
  type ActionView,
  type ComponentView,
  type CoverageView,
  type DependencyView,
  type HistoryView,
  type PackageView,
  type PanelState,
  type RunView,
} from '../../shared/deploymentProtocol';

export interface UserRef {
  id: string;
  name: string;
}

export function userName(users: readonly UserRef[], id: string | undefined): string {
  if (!id) return '';
  const u = users.find((x) => x.id === id || x.id.slice(0, 15) === id.slice(0, 15));
  return u ? u.name : id;
}

/** A file of the stored package: its path inside the zip, size, and component when known. */
export interface PackageFileInfo {
  path: string;
  size: number;
  ref?: ComponentRef;
  /** False for a binary file. */
  text: boolean;
}

/** The package as the panel read it from the org, or why it could not. */
export type PackageRead = { files: PackageFileInfo[]; changed: string[] } | { problem: string };

/** The result of a run made in this window (the record keeps a summary; this has the details). */
export interface LastRun {
  kind: 'validation' | 'deploy';
  result: DeployResult;
}

/** The dependency check made in this window (the record keeps only how many are missing). */
export interface LastDependencyCheck {
  missing: MissingDependency[];
  basis: string;
}

export interface StateInput {
  environment: string;
  record: DeploymentRecord;
  history: DeploymentHistoryEntry[];
  users: UserRef[];
  me: { userId: string; name: string };
  /** allowedActions(record, ctx) of the core. */
  actions: ActionState[];
  /** The target environment from the pipeline file (its default test level). */
  target?: Environment;
  /** The CR's proposed customizations, when the CR was read. */
  proposed?: ComponentRef[];
  pkg?: PackageRead;
  lastRun?: LastRun;
  lastDependencies?: LastDependencyCheck;
  banner?: PanelState['banner'];
}

/** How many package files the panel lists. */
export const FILES_SHOWN = 500;
/** How many rows of failures it lists per run. */
const FAILURES_SHOWN = 200;

const name = (c: ComponentRef): string => `${c.type} ${c.fullName}`;

/** Whether a package path belongs to the component (its main file, meta file or bundle folder). */
function fileKeys(files: readonly PackageFileInfo[]): Set<string> {
  return new Set(files.filter((f) => f.ref).map((f) => componentKey(f.ref!)));
}

export function componentsView(d: DeploymentRecord, proposed: readonly ComponentRef[] | undefined, pkg: PackageRead | undefined): ComponentView[] {
  const proposedKeys = new Set((proposed ?? []).map(componentKey));
  const inPackage = pkg && 'files' in pkg && pkg.files.some((f) => f.ref) ? fileKeys(pkg.files) : undefined;
  return d.components.map((c) => {
    const k = componentKey(c);
    const marker = proposedKeys.has(k) ? 'proposed' : inPackage && !inPackage.has(k) ? 'missing' : undefined;
    return { type: c.type, fullName: c.fullName, ...(marker ? { marker } : {}) };
  });
}

export function packageView(d: DeploymentRecord, pkg: PackageRead | undefined, users: readonly UserRef[]): PackageView | undefined {
  const p = d.package;
  if (!p) return undefined;
  const base = { retrievedAt: p.retrievedAt, retrievedBy: userName(users, p.retrievedBy), componentCount: p.componentCount };
  if (!pkg) return { ...base, files: [], moreFiles: 0, changed: [] };
  if ('problem' in pkg) return { ...base, files: [], moreFiles: 0, changed: [], problem: pkg.problem };
  return {
    ...base,
    fileCount: pkg.files.length,
    files: pkg.files.slice(0, FILES_SHOWN).map((f) => ({ path: f.path, size: f.size, ...(f.ref ? { component: name(f.ref) } : {}), diffable: f.text && !!f.ref })),
    moreFiles: Math.max(0, pkg.files.length - FILES_SHOWN),
    changed: pkg.changed,
  };
}

export function dependencyView(d: DeploymentRecord, users: readonly UserRef[], last?: LastDependencyCheck): DependencyView | undefined {
  const f = d.dependencyCheck;
  if (!f) return undefined;
  return {
    at: f.at,
    by: userName(users, f.by),
    missing: f.missing,
    sources: [...f.sources],
    ...(last
      ? {
          items: last.missing.map((m) => ({ component: name(m.ref), referencedBy: [...new Set(m.neededBy.map((r) => name(r.from)))].join(', ') })),
          basis: last.basis,
        }
      : {}),
  };
}

export function coverageView(summary: CoverageSummary, level: ValidationFact['testLevel'], apex: readonly ComponentRef[] = []): CoverageView {
  const r = coverageReport(summary, level, apex);
  const failing = new Set(r.failing);
  return {
    rows: r.rows.map((c) => ({ name: c.name, type: c.type, percent: formatPercent(percentOf(c)), failing: failing.has(c) })),
    ...(r.orgWide !== undefined ? { orgWide: formatPercent(r.orgWide) } : {}),
    ok: r.ok,
    ...(r.explanation ? { explanation: r.explanation } : {}),
  };
}

/** The details of a run made in this window (failures, stacks, per-component progress), when it is the run shown. */
function details(run: Pick<RunView, 'id'>, last: LastRun | undefined, kind: LastRun['kind']): Partial<RunView> {
  if (!last || last.kind !== kind || last.result.id !== run.id) return {};
  const r = last.result;
  return {
    components: { done: r.componentsDone, total: r.componentsTotal, errors: r.componentErrors },
    tests: { run: r.tests.run, failed: r.tests.failures.length },
    componentFailures: r.failures.slice(0, FAILURES_SHOWN).map((f) => ({
      component: name(f),
      problem: f.problem,
      ...(f.filePath || f.line ? { where: `${f.filePath ?? ''}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}` } : {}),
    })),
    testFailures: r.tests.failures.slice(0, FAILURES_SHOWN).map((t) => ({ test: `${t.className}.${t.methodName}`, message: t.message, ...(t.stackTrace ? { stack: t.stackTrace } : {}) })),
  };
}

export function validationView(v: ValidationFact | undefined, users: readonly UserRef[], last?: LastRun): RunView | undefined {
  if (!v) return undefined;
  const run: RunView = {
    kind: 'validation',
    id: v.id,
    status: v.status ?? 'InProgress',
    ...(v.success !== undefined ? { success: v.success } : {}),
    startedAt: v.startedAt,
    ...(v.completedAt ? { completedAt: v.completedAt } : {}),
    by: userName(users, v.by),
    testLevel: v.testLevel,
    ...(v.testsRun !== undefined ? { tests: { run: v.testsRun, failed: v.testsFailed ?? 0 } } : {}),
    componentFailures: [],
    testFailures: [],
    ...(v.coverage && (v.coverage.classes.length || v.coverage.orgWide !== undefined) ? { coverage: coverageView(v.coverage, v.testLevel, v.apex) } : {}),
    ...(v.errorMessage ? { errorMessage: v.errorMessage } : {}),
  };
  return { ...run, ...details(run, last, 'validation') };
}

export function deployView(f: DeployFact | undefined, users: readonly UserRef[], last?: LastRun, apex: readonly ComponentRef[] = []): RunView | undefined {
  if (!f) return undefined;
  const run: RunView = {
    kind: 'deploy',
    id: f.id,
    status: f.status,
    ...(f.completedAt ? { success: f.status === 'Succeeded' } : {}),
    startedAt: f.startedAt,
    ...(f.completedAt ? { completedAt: f.completedAt } : {}),
    by: userName(users, f.by),
    ...(f.testLevel ? { testLevel: f.testLevel } : {}),
    ...(f.quickDeployOf ? { quickDeployOf: f.quickDeployOf } : {}),
    ...(f.componentsDeployed !== undefined ? { components: { done: f.componentsDeployed, total: f.componentsDeployed + (f.componentErrors ?? 0), errors: f.componentErrors ?? 0 } } : {}),
    ...(f.testsRun !== undefined ? { tests: { run: f.testsRun, failed: f.testsFailed ?? 0 } } : {}),
    componentFailures: [],
    testFailures: [],
    ...(f.errorMessage ? { errorMessage: f.errorMessage } : {}),
  };
  const more = details(run, last, 'deploy');
  // A deploy's coverage is not kept on the record: shown when the deploy ran in this window.
  if (last?.kind === 'deploy' && last.result.id === f.id && last.result.coverage.length && f.testLevel) {
    more.coverage = coverageView({ classes: last.result.coverage }, f.testLevel, apex);
  }
  return { ...run, ...more };
}

/** A value of a history change as one line of text. */
function valueText(v: unknown, users: readonly UserRef[], field?: string): string {
  if (v === undefined || v === null || v === '') return '(none)';
  if (Array.isArray(v)) {
    if (!v.length) return '(none)';
    const items = v.map((x) =>
      x && typeof x === 'object' && 'type' in x && 'fullName' in x ? `${String(x.type)} ${String(x.fullName)}` : field === 'approvers' && typeof x === 'string' ? userName(users, x) : String(x),
    );
    return items.length > 5 ? `${items.slice(0, 5).join(', ')} and ${items.length - 5} more` : items.join(', ');
  }
  const t = typeof v === 'string' ? v : JSON.stringify(v);
  return t.length > 300 ? `${t.slice(0, 300)}…` : t;
}

function factLines(e: DeploymentHistoryEntry): string[] {
  const d = e.details ?? {};
  const s = (x: unknown): string => (typeof x === 'string' || typeof x === 'number' ? String(x) : '');
  switch (e.action) {
    case 'created':
      return [`From ${s(d.source)} to ${s(d.target)}${d.crNumber ? ` (${s(d.crNumber)})` : ''}`];
    case 'package':
      return d.dropped ? [`Package dropped: ${s(d.reason)}`] : [`Package retrieved from ${s(d.from)}: ${s(d.files)} files`];
    case 'dependencies':
      return [`${s(d.missing)} missing ${d.missing === 1 ? 'reference' : 'references'}${Array.isArray(d.sources) ? ` (${d.sources.join(', ')})` : ''}`];
    case 'validation':
    case 'deploy': {
      if (d.started) return [`${e.action === 'deploy' ? (d.quickDeployOf ? `Quick deploy of ${s(d.quickDeployOf)}` : 'Deploy') : 'Validation'} ${s(d.started)} started`];
      const f = d.finished as Record<string, unknown> | undefined;
      if (f && typeof f === 'object') {
        return [`${s(f.id)} ${s(f.status)}: ${s(f.componentErrors)} component errors, ${s(f.testsRun)} tests run, ${s(f.testsFailed)} failed${f.errorMessage ? ` — ${s(f.errorMessage)}` : ''}`];
      }
      return [];
    }
    case 'snapshot':
      return [`Snapshot of the target kept before the deploy: ${s(d.existed)} components, ${s(d.absent)} not there yet`];
    case 'revert': {
      if (d.started) return [`Revert ${s(d.started)} started: ${s(d.overridden)} to restore, ${s(d.deleted)} to delete, ${s(d.skipped)} skipped`];
      const f = d.finished as Record<string, unknown> | undefined;
      if (f && typeof f === 'object') return [`Revert ${s(f.id)} ${s(f.status)}: ${s(f.componentErrors)} component errors${f.errorMessage ? ` — ${s(f.errorMessage)}` : ''}`];
      return [];
    }
    default:
      return [];
  }
}

export function historyView(entries: readonly DeploymentHistoryEntry[], users: readonly UserRef[]): { history: HistoryView[]; tamperedIndex?: number } {
  const tamperedIndex = verifyChain(entries);
  const history = entries.map((e, i) => {
    const d = e.details ?? {};
    const changes = Array.isArray(d.changes)
      ? d.changes.map((c) => {
          const delta = [c.addedCount ? `added ${c.addedCount}: ${valueText(c.added, users)}` : '', c.removedCount ? `removed ${c.removedCount}: ${valueText(c.removed, users)}` : ''].filter(Boolean);
          return `${String(c.label ?? c.field)}: ${valueText(c.old, users, c.field)} → ${valueText(c.new, users, c.field)}${delta.length ? ` (${delta.join('; ')})` : ''}`;
        })
      : [];
    return {
      seq: e.seq,
      at: e.at,
      who: userName(users, e.actorId),
      action: e.action,
      lines: [...factLines(e), ...changes],
      ...(typeof d.comment === 'string' && d.comment ? { comment: d.comment } : {}),
      tampered: i === tamperedIndex,
    };
  });
  return { history, ...(tamperedIndex !== undefined ? { tamperedIndex } : {}) };
}

/** The panel's buttons in order, from the core's allowed actions (absent ones are not offered). */
export function actionViews(actions: readonly ActionState[]): ActionView[] {
  const out: ActionView[] = [];
  for (const a of PANEL_ACTIONS) {
    const s = actions.find((x) => x.action === a.action);
    if (!s) continue;
    out.push({ action: a.action, label: a.label, testId: a.testId, allowed: s.allowed, ...(s.reason ? { reason: s.reason } : {}), ...(s.note ? { note: s.note } : {}) });
  }
  return out;
}

/** "RunLocalTests (UAT's default)", "RunSpecifiedTests: FooTest, BarTest", "NoTestRun (Salesforce's default)". */
export function testLevelText(d: DeploymentRecord, target: Environment | undefined): string {
  if (!target) return d.testLevel ?? 'the target environment’s default';
  const r = resolveTestLevel(d.testLevel, target, d.components);
  const why = r.source === 'environment' ? ` (${target.name}'s default)` : r.source === 'salesforce default' ? " (Salesforce's default)" : '';
  return `${r.level}${why}`;
}

export function panelState(i: StateInput): PanelState {
  const d = i.record;
  const { history, tamperedIndex } = historyView(i.history, i.users);
  const validation = validationView(d.validation, i.users, i.lastRun);
  const deploy = deployView(d.deploy, i.users, i.lastRun, d.validation?.apex);
  const pkg = packageView(d, i.pkg, i.users);
  const deps = dependencyView(d, i.users, i.lastDependencies);
  return {
    environment: i.environment,
    id: d.id ?? '',
    header: {
      number: d.number ?? deploymentLabel(d),
      crNumber: d.crNumber ?? d.crId,
      source: d.sourceEnvironment,
      target: d.targetEnvironment,
      status: d.status,
      testLevel: testLevelText(d, i.target),
      runTests: [...d.runTests],
      createdBy: userName(i.users, d.createdBy),
      approvers: d.approvers.map((a) => userName(i.users, a)),
    },
    me: i.me,
    components: componentsView(d, i.proposed, i.pkg),
    ...(pkg ? { package: pkg } : {}),
    ...(deps ? { dependencies: deps } : {}),
    ...(validation ? { validation } : {}),
    ...(deploy ? { deploy } : {}),
    actions: actionViews(i.actions),
    history,
    ...(tamperedIndex !== undefined ? { tamperedEntry: tamperedIndex + 1 } : {}),
    ...(i.banner ? { banner: i.banner } : {}),
  };
}

/** Panel title: `DEP-00003 · CR-00012 → UAT`. */
export function panelTitle(d: Pick<DeploymentRecord, 'number' | 'crNumber' | 'crId' | 'targetEnvironment'> | undefined, fallback = 'Deployment'): string {
  if (!d) return fallback;
  return `${deploymentLabel(d)} · ${d.crNumber ?? d.crId} → ${d.targetEnvironment}`;
}

/**
 * The target's file matching a package file: the same path (the package's `unpackaged/` folder
 * aside), else the longest path the package path ends with, else the one file of the same name.
 * Undefined when nothing matches.
 */
export function matchTargetPath(pkgPath: string, targetPaths: readonly string[]): string | undefined {
  if (targetPaths.includes(pkgPath)) return pkgPath;
  const inner = pkgPath.split('/').slice(1).join('/');
  if (inner && targetPaths.includes(inner)) return inner;
  const suffix = targetPaths.filter((t) => pkgPath.endsWith(`/${t}`) || t.endsWith(`/${inner}`)).sort((a, b) => b.length - a.length);
  if (suffix[0]) return suffix[0];
  const base = pkgPath.split('/').pop();
  const same = targetPaths.filter((t) => t.split('/').pop() === base);
  return same.length === 1 ? same[0] : undefined;
}
