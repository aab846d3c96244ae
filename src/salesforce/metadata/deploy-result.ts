/** Turns SDR's deploy status (the Metadata API's DeployResult) into the plain domain result. */
import type { DeployResult as SdrDeployResult, FileResponse, MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import type { CodeCoverage, ComponentFailure, ComponentOutcome, DeployProgress, DeployResult, DeployStatus, TestFailure } from '../../core/metadata-types';

type Raw = Record<string, unknown>;

function arr(v: unknown): Raw[] {
  return v === undefined || v === null ? [] : ((Array.isArray(v) ? v : [v]) as Raw[]);
}
function num(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}
function bool(v: unknown): boolean {
  return v === true || v === 'true';
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function progressOf(s: MetadataApiDeployStatus | Raw): DeployProgress {
  const r = s as Raw;
  return {
    status: String(r.status ?? 'Pending') as DeployStatus,
    componentsDone: num(r.numberComponentsDeployed),
    componentsTotal: num(r.numberComponentsTotal),
    componentErrors: num(r.numberComponentErrors),
    testsDone: num(r.numberTestsCompleted),
    testsTotal: num(r.numberTestsTotal),
    testErrors: num(r.numberTestErrors),
  };
}

const key = (type: string, fullName: string): string => `${type}#${fullName}`;

/** Local file of each component (its source file rather than its -meta.xml when it has both). */
function localFiles(files: FileResponse[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    if (!f.filePath) continue;
    const k = key(f.type, f.fullName);
    const prev = out.get(k);
    if (!prev || (prev.endsWith('-meta.xml') && !f.filePath.endsWith('-meta.xml'))) out.set(k, f.filePath);
  }
  return out;
}

function stateOf(m: Raw): ComponentOutcome['state'] {
  if (bool(m.deleted)) return 'Deleted';
  if (bool(m.created)) return 'Created';
  if (bool(m.changed)) return 'Changed';
  return 'Unchanged';
}

export function toDeployResult(status: MetadataApiDeployStatus, sdr?: SdrDeployResult, canceledByUser = false): DeployResult {
  const r = status as unknown as Raw;
  const details = (r.details ?? {}) as Raw;
  let files: FileResponse[] = [];
  try {
    files = sdr?.getFileResponses() ?? [];
  } catch {
    files = [];
  }
  const paths = localFiles(files);

  const successes: ComponentOutcome[] = [];
  const seen = new Set<string>();
  for (const m of arr(details.componentSuccesses)) {
    const type = String(m.componentType ?? '');
    const fullName = String(m.fullName ?? '');
    if (!type || fullName === 'package.xml') continue;
    const k = key(type, fullName);
    if (seen.has(k)) continue;
    seen.add(k);
    successes.push({ type, fullName, filePath: paths.get(k) ?? str(m.fileName), state: stateOf(m) });
  }

  const failures: ComponentFailure[] = arr(details.componentFailures).map((m) => {
    const type = String(m.componentType ?? '');
    const fullName = String(m.fullName ?? '');
    const local = files.find((f) => f.type === type && f.fullName === fullName && f.state === 'Failed');
    return {
      type,
      fullName,
      filePath: local?.filePath ?? paths.get(key(type, fullName)) ?? str(m.fileName),
      problem: String(m.problem ?? 'Unknown problem'),
      problemType: m.problemType === 'Warning' ? 'Warning' : 'Error',
      line: m.lineNumber !== undefined ? num(m.lineNumber) : undefined,
      column: m.columnNumber !== undefined ? num(m.columnNumber) : undefined,
    };
  });

  const run = (details.runTestResult ?? {}) as Raw;
  const testFailures: TestFailure[] = arr(run.failures).map((f) => ({
    className: String(f.name ?? ''),
    methodName: String(f.methodName ?? ''),
    message: String(f.message ?? ''),
    stackTrace: str(f.stackTrace),
  }));
  const coverage: CodeCoverage[] = arr(run.codeCoverage).map((c) => {
    const total = num(c.numLocations);
    const notCovered = num(c.numLocationsNotCovered);
    return {
      name: String(c.name ?? ''),
      type: String(c.type ?? ''),
      linesTotal: total,
      linesNotCovered: notCovered,
      percent: total === 0 ? 100 : Math.round(((total - notCovered) / total) * 1000) / 10,
    };
  });
  const coverageWarnings = arr(run.codeCoverageWarnings).map((w) => (str(w.name) ? `${String(w.name)}: ${String(w.message ?? '')}` : String(w.message ?? '')));

  const progress = progressOf(status);
  const canceled = canceledByUser || progress.status === 'Canceled' || progress.status === 'Canceling';
  return {
    ...progress,
    id: String(r.id ?? ''),
    success: bool(r.success) && !canceled,
    checkOnly: bool(r.checkOnly),
    canceled,
    successes,
    failures,
    tests: { run: num(run.numTestsRun), failures: testFailures, totalTimeMs: run.totalTime !== undefined ? num(run.totalTime) : undefined },
    coverage,
    coverageWarnings,
    errorMessage: str(r.errorMessage),
    createdDate: str(r.createdDate),
    completedDate: str(r.completedDate),
  };
}
