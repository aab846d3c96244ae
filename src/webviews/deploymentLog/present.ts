/**
 * The deployment log panel's view model from the history (pure, no `vscode`): the filter as the
 * core reads it, the rows (the first MAX_ROWS that match), one deployment's details.
 */
import { componentCountText, filterLog, statusGroup, statusLabel, testCountText, type LogFilter } from '../../core/promotion/log';
import type { DeploymentDetails, HistoryDeployment } from '../../core/promotion/org-history';
import type { DetailsView, LogFilterView, LogPanelState, LogRowView } from '../../shared/deploymentLogProtocol';

/** Deployments the panel reads first (shown at once), then at most WHOLE_LOG (Salesforce keeps 30 days). */
export const FIRST_PAGE = 200;
export const WHOLE_LOG = 10_000;

/** Rows sent to the webview at most; the rest are counted ("refine the filter"). */
export const MAX_ROWS = 500;

export function coreFilter(f: LogFilterView): LogFilter {
  return {
    ...(f.status.length ? { status: f.status } : {}),
    ...(f.source ? { source: f.source } : {}),
    ...(f.kind ? { checkOnly: f.kind === 'validations' } : {}),
    ...(f.text.trim() ? { text: f.text.trim() } : {}),
  };
}

export function rowOf(d: HistoryDeployment): LogRowView {
  return {
    id: d.id,
    when: d.completedDate ?? d.startDate ?? d.createdDate ?? '',
    status: d.status,
    statusLabel: statusLabel(d.status),
    group: statusGroup(d.status),
    checkOnly: d.checkOnly,
    source: d.source,
    who: d.createdByName ?? '',
    // A revert says what it undid, so it reads as such next to the deployment it reverted.
    message: d.revertOf ? `Revert of deploy ${d.revertOf}${d.message ? `: ${d.message}` : ''}` : (d.message ?? ''),
    crs: d.crNumbers ?? [],
    record: d.mark?.label ? `${d.mark.label}${d.mark.env ? ` (${d.mark.env})` : ''}` : '',
    components: componentCountText(d),
    tests: testCountText(d),
    error: d.errorMessage ?? '',
  };
}

export function logState(env: string, history: readonly HistoryDeployment[], filter: LogFilterView, meta: { readAt: string; notes: string[]; selected?: string }): LogPanelState {
  const matching = filterLog(history, coreFilter(filter));
  const rows = matching.slice(0, MAX_ROWS).map(rowOf);
  const selected = meta.selected && rows.find((r) => r.id.slice(0, 15) === meta.selected!.slice(0, 15))?.id;
  return { environment: env, readAt: meta.readAt, total: history.length, matching: matching.length, rows, filter, notes: meta.notes, ...(selected ? { selected } : {}) };
}

export function detailsView(d: DeploymentDetails): DetailsView {
  return {
    id: d.id,
    components: d.components.map((c) => ({ type: c.type, fullName: c.fullName, state: c.state ?? '' })),
    problems: d.failures.map((f) => ({ component: `${f.type} ${f.fullName}`.trim(), problem: f.problem, severity: f.problemType, ...(f.line ? { line: f.line } : {}) })),
    testsRun: d.testsRun,
    testFailures: d.testFailures.map((t) => ({ test: `${t.className}.${t.methodName}`, message: t.message, stackTrace: t.stackTrace ?? '' })),
    running: d.running,
  };
}
