/**
 * The deployment queue panel's view model, from the queue as read: org data as plain strings
 * (rendered as text by the webview), what each entry came to, and whether Deploy and Reject are
 * offered. Pure (no vscode import).
 */
import { canAct, entryLabel, formatWhen, isSender, type QueueEntry } from '../../core/promotion';
import type { QueueEntryView, QueueState } from '../../shared/queueProtocol';
import type { QueueView } from '../../workflows/promotion/queue';

function outcomeOf(e: QueueEntry): string | undefined {
  if (e.rejection) return `Rejected by ${e.rejection.by} (${formatWhen(e.rejection.at)}): ${e.rejection.reason}`;
  if (e.status === 'Failed') return `Deploy failed${e.deployedBy ? ` (${e.deployedBy})` : ''}: ${e.failure ?? 'no reason given'}`;
  if (e.status === 'Reverted') {
    const r = e.revert;
    return `Deployed by ${e.deployedBy ?? 'a release manager'} (${formatWhen(e.finishedAt)}), then reverted by ${r?.byName ?? 'a release manager'} (${formatWhen(r?.completedAt)})${r ? `, revert deploy ${r.id}` : ''}. It cannot be deployed again as is.`;
  }
  const failedRevert = e.revert?.completedAt && e.revert.status !== 'Succeeded' ? ` Its revert ${e.revert.id} ${e.revert.status === 'Canceled' ? 'was cancelled' : 'failed'}${e.revert.errorMessage ? `: ${e.revert.errorMessage}` : ''}.` : '';
  if (e.status === 'Deployed') return `Deployed by ${e.deployedBy ?? 'a release manager'} (${formatWhen(e.finishedAt)})${e.deploymentId ? `, deploy ${e.deploymentId}` : ''}.${failedRevert}`;
  if (e.status === 'Deploying') return `Deploying${e.deployedBy ? ` (${e.deployedBy})` : ''}${e.deploymentId ? `: deploy ${e.deploymentId}` : ''}…`;
  if (e.withdrawn) return `Withdrawn by ${e.withdrawn.by} (${formatWhen(e.withdrawn.at)}).`;
  if (e.status === 'Cancelled') return 'The deploy was cancelled.';
  return undefined;
}

/** The panel's view model from the queue as read (org data as plain strings). */
export function queueState(view: QueueView): QueueState {
  const entries: QueueEntryView[] = view.entries.map((e) => ({
    id: e.id ?? '',
    number: e.number ?? entryLabel(e),
    status: e.status,
    source: e.source,
    message: e.message,
    sender: e.sender.name,
    sentAt: e.sentAt,
    crs: e.crs.map((c) => c.number ?? c.id ?? '').filter(Boolean),
    components: e.components.map((c) => ({ type: c.type, fullName: c.fullName })),
    ...(outcomeOf(e) ? { outcome: outcomeOf(e)! } : {}),
    actionable: e.status === 'Queued' || e.status === 'Failed' || (e.status === 'Cancelled' && !e.withdrawn),
    withdrawable: isSender(e, view.you) && canAct(e, 'withdraw', { actor: view.you, releaseManagers: view.releaseManagers }).ok,
  }));
  return {
    environment: view.env,
    entries,
    canManage: view.canManage,
    ...(view.refusal ? { readOnly: `Read-only: ${view.refusal}` } : {}),
    releaseManagers: view.releaseManagers,
    notices: view.notices.map((n) => n.text),
  };
}
