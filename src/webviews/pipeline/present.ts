/**
 * The pipeline panel's view model: the environments as boxes by stage, the connections as
 * arrows, and per box what the models know right now (open change requests, queue length,
 * deployments behind, the last deployment). Unknown facts say so ("…" while read, the reason when
 * unreachable); nothing here waits. Pure (no vscode import); org data stays plain strings.
 */
import { OPEN_STATUSES, type CrStatus } from '../../core/change-requests';
import type { Pipeline } from '../../core/pipeline';
import { behindPairs, formatWhen } from '../../core/promotion';
import { statusGroup, statusLabel } from '../../core/promotion/log';
import type { BoxPart, PipelineBox, PipelineViewState } from '../../shared/pipelineProtocol';

/** What is known of an environment's change requests. */
export type CrFact = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'missing' } | { kind: 'ready'; statuses: readonly string[]; complete: boolean };
/** What is known of its deployment queue. */
export type QueueFact = { kind: 'loading' } | { kind: 'missing' } | { kind: 'error'; message: string } | { kind: 'ready'; waiting: number; total: number };
/** What is known of how far it is behind one environment above it (undefined: not computed yet). */
export type BehindFact = undefined | { kind: 'computing' } | { kind: 'error'; message: string } | { kind: 'ready'; count: number };
/** The last deployment (not a validation) that reached its org. */
export type LastFact =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; deployment?: { id: string; status: string; when?: string; who?: string; label?: string } };

export interface EnvFacts {
  /** The connection check's state ('unknown' or absent: not checked yet) and its error. */
  connection: { state?: string; message?: string };
  crs: CrFact;
  queue: QueueFact;
  behind(upper: string): BehindFact;
  last: LastFact;
}

const LOADING = '…';

function first(message: string): string {
  const line = message.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

export function connectionPart(c: EnvFacts['connection']): BoxPart {
  if (c.state === 'connected') return { text: 'Connected', tone: 'ok' };
  if (c.state === undefined || c.state === 'unknown') return { text: 'Not checked yet', tone: 'muted' };
  return { text: `Not connected (${c.state.replace(/-/g, ' ')})`, tone: 'error', ...(c.message ? { detail: first(c.message) } : {}) };
}

export function crPart(f: CrFact): BoxPart {
  switch (f.kind) {
    case 'loading':
      return { text: `${LOADING} open CRs`, tone: 'busy' };
    case 'error':
      return { text: 'CRs unreachable', tone: 'error', detail: first(f.message) };
    case 'missing':
      return { text: 'No change tracking', tone: 'muted', detail: 'Install Change Tracking in this org to keep change requests here.' };
    case 'ready': {
      const open = f.statuses.filter((s) => OPEN_STATUSES.includes(s as CrStatus)).length;
      return { text: `${open}${f.complete ? '' : '+'} open CR${open === 1 ? '' : 's'}`, tone: open ? 'ok' : 'muted' };
    }
  }
}

export function queuePart(f: QueueFact): BoxPart {
  switch (f.kind) {
    case 'loading':
      return { text: `${LOADING} queued`, tone: 'busy' };
    case 'missing':
      return { text: 'No queue', tone: 'muted', detail: 'The deployment queue lives in the change tracking schema: install Change Tracking in this org.' };
    case 'error':
      return { text: 'Queue unreachable', tone: 'error', detail: first(f.message) };
    case 'ready':
      return { text: `${f.waiting} queued`, tone: f.waiting ? 'warning' : 'muted', detail: `${f.waiting} waiting for a release manager, ${f.total} sent here in all.` };
  }
}

export function behindPart(upper: string, f: BehindFact): BoxPart & { upper: string } {
  if (!f) return { upper, text: `Behind ${upper}: not computed`, tone: 'muted', detail: `Computed once both this environment and ${upper} are connected.` };
  switch (f.kind) {
    case 'computing':
      return { upper, text: `${LOADING} behind ${upper}`, tone: 'busy' };
    case 'error':
      return { upper, text: `Behind ${upper} unknown`, tone: 'error', detail: first(f.message) };
    case 'ready':
      return { upper, text: f.count ? `${f.count} behind ${upper}` : `Level with ${upper}`, tone: f.count ? 'warning' : 'ok' };
  }
}

export function lastPart(f: LastFact): BoxPart & { deployId?: string } {
  switch (f.kind) {
    case 'loading':
      return { text: `Last deployment: ${LOADING}`, tone: 'busy' };
    case 'error':
      return { text: 'Last deployment unreachable', tone: 'error', detail: first(f.message) };
    case 'ready': {
      const d = f.deployment;
      if (!d) return { text: 'No deployment in the last 30 days', tone: 'muted' };
      const group = statusGroup(d.status);
      const tone = group === 'succeeded' ? 'ok' : group === 'running' ? 'busy' : group === 'canceled' ? 'warning' : 'error';
      const by = d.who ? ` by ${d.who}` : '';
      return {
        text: `Last: ${statusLabel(d.status)} · ${formatWhen(d.when)}`,
        tone,
        detail: `${d.label ? `${d.label}: ` : ''}deploy ${d.id}${by}`,
        deployId: d.id,
      };
    }
  }
}

/** The panel's view model for a pipeline and what is known of each environment. */
export function pipelineViewState(pipeline: Pipeline | undefined, facts: (env: string) => EnvFacts, problem?: string): PipelineViewState {
  if (!pipeline) return { stages: [], arrows: [], problem: problem ?? 'There is no pipeline to show. Create the pipeline file ("Create Pipeline File from Authorized Orgs") or fix its errors.' };
  const pairs = behindPairs(pipeline);
  const byName = new Map(pipeline.environments.map((e) => [e.name, e] as const));
  const stages = pipeline.stages.map((names, stage) =>
    names
      .map((n) => byName.get(n))
      .filter((e) => e !== undefined)
      .map((e): PipelineBox => {
        const f = facts(e.name);
        return {
          name: e.name,
          role: e.role,
          org: e.org,
          stage,
          connection: connectionPart(f.connection),
          crs: crPart(f.crs),
          queue: queuePart(f.queue),
          behind: pairs.filter((p) => p.lower === e.name).map((p) => behindPart(p.upper, f.behind(p.upper))),
          last: lastPart(f.last),
        };
      }),
  );
  return { stages, arrows: pipeline.connections.map((c) => ({ from: c.from, to: c.to, kind: c.kind })) };
}
