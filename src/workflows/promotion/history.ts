/**
 * The deployment history of an environment: every deployment that reached its org, from the
 * Tooling `DeployRequest` (Changeline's and out-of-band ones: change sets, the sf CLI, other
 * tools), joined with what Changeline wrote about its own (deployment records naming the
 * environment as their target, kept in the org of the environment they came from, and any in the
 * environment's own org): source, message, change requests. Components when asked, from each
 * deployment's result details, read a few at a time and kept by deploy id (a finished deployment
 * never changes).
 */
import {
  deployedComponents,
  joinHistory,
  type ChangelineMark,
  type DeploymentDetails,
  type HistoryDeployment,
} from '../../core/promotion/org-history';
import { checkPromotionPath, type DeploymentRecord } from '../../core/deployments';
import { queueMarks } from '../../core/promotion/queue';
import { askFrom, keepRows, mergeRows, type KeptRows } from '../../core/promotion/kept-rows';
import type { OrgDeployRow } from '../../core/deployments/org-deploys';
import type { Pipeline } from '../../core/pipeline';
import { TaskPool } from '../../core/pool';
import { CancelledError } from '../../core/cancelled';
import type { DeployResult } from '../../core/metadata-types';
import type { EnvSession } from '../sessions';
import type { RunOptions, WorkflowDeps } from '../types';

export type { HistoryDeployment, DeploymentDetails, ChangelineMark };

export interface HistoryOptions extends RunOptions {
  /** Deployments created in the last N days (default 30: what Salesforce keeps). */
  days?: number;
  /** At most this many, newest first (default 500). */
  limit?: number;
  /** Read each deployment's components (its result details); default false. */
  withComponents?: boolean;
  /**
   * Environments whose orgs keep Changeline deployment records toward this one (the environments
   * that promote to it); the environment's own org is always read.
   */
  recordsFrom?: readonly string[];
  /** More marks of Changeline deployments (e.g. queue entries read by the caller). */
  marks?: readonly ChangelineMark[];
  /** Result details read at once (default 4). */
  concurrency?: number;
}

export interface OrgHistory {
  env: string;
  deployments: HistoryDeployment[];
  /** What could not be read, said to the user (e.g. an org without change tracking, a source not logged in). */
  notes: string[];
}

const DONE = new Set(['Succeeded', 'SucceededPartial', 'Failed', 'Canceled', 'FinalizingDeployFailed']);

/**
 * Finished deployments' details, by org (its address and id: `orgKey`) and deploy id; the oldest
 * entries go first past the bound.
 */
class DetailsCache {
  private readonly map = new Map<string, DeploymentDetails>();
  constructor(private readonly max: number) {}
  get(org: string, id: string): DeploymentDetails | undefined {
    return this.map.get(`${org}/${id.slice(0, 15)}`);
  }
  set(org: string, id: string, d: DeploymentDetails): void {
    const k = `${org}/${id.slice(0, 15)}`;
    this.map.delete(k);
    this.map.set(k, d);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  clear(): void {
    this.map.clear();
  }
}

/** One cache for the process (the editor's session, one CLI run). */
export const detailsCache = new DetailsCache(5000);

/** An org's DeployRequest rows kept between reads (kept-rows.ts), by org and user; a few orgs at most, in memory only. */
class RowsCache {
  private readonly map = new Map<string, KeptRows>();
  constructor(
    private readonly maxOrgs: number,
    readonly maxRows: number,
  ) {}
  get(key: string): KeptRows | undefined {
    return this.map.get(key);
  }
  set(key: string, kept: KeptRows | undefined): void {
    this.map.delete(key);
    if (!kept) return;
    this.map.set(key, kept);
    while (this.map.size > this.maxOrgs) this.map.delete(this.map.keys().next().value as string);
  }
  clear(): void {
    this.map.clear();
  }
}

/** Which org a cache entry belongs to: its address and id (an org restored elsewhere is another one). */
function orgKey(s: Pick<EnvSession, 'handle' | 'orgId'>): string {
  return `${s.handle.instanceUrl}|${s.orgId}`;
}

/** One for the process, like the details. */
export const rowsCache = new RowsCache(8, 10_000);

/** The org's newest DeployRequest rows: only those new (or still running) since the last read are asked for. */
async function deployRows(deps: WorkflowDeps, s: EnvSession, days: number, limit: number, signal: AbortSignal | undefined): Promise<OrgDeployRow[]> {
  const sf = await deps.salesforce();
  const { handle } = s;
  // What this user may see of this org (at this address: an org restored elsewhere is another one).
  const key = `${orgKey(s)}/${s.userId}`;
  const kept = rowsCache.get(key);
  const from = askFrom(kept, days, Date.now());
  if (kept && from) {
    const merged = mergeRows(kept, from, await sf.recentDeployRequests(handle, { days, limit, createdFrom: from, signal }), limit, rowsCache.maxRows);
    if (merged) {
      rowsCache.set(key, merged.kept);
      return merged.rows;
    }
  }
  const readAt = Date.now();
  const rows = await sf.recentDeployRequests(handle, { days, limit, signal });
  rowsCache.set(key, keepRows(rows, days, limit, readAt, rowsCache.maxRows));
  return rows;
}

/** Fingerprints of the components of stored packages, by the holder's org and file id (a stored package never changes). */
const packageCache = new Map<string, Promise<Map<string, string>>>();

/** Compare fingerprints of what a Changeline package holds, by component key. */
async function packageFingerprints(deps: WorkflowDeps, holder: string, fileId: string): Promise<Map<string, string>> {
  const session = await deps.sessions.get(holder);
  const key = `${orgKey(session)}/${fileId}`;
  let hit = packageCache.get(key);
  if (!hit) {
    hit = (async () => {
      const sf = await deps.salesforce();
      const { handle } = session;
      const zip = await sf.readStoredPackage(handle, fileId);
      return new Map((await sf.digestZip(Buffer.from(zip))).map((c) => [`${c.type}:${c.fullName}`, c.digest.fingerprint] as [string, string]));
    })();
    packageCache.set(key, hit);
    if (packageCache.size > 500) packageCache.delete(packageCache.keys().next().value as string);
    hit.catch(() => packageCache.get(key) === hit && packageCache.delete(key));
  }
  return hit;
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('Reading the deployment history');
}

const isTrackingMissing = (e: unknown): boolean => !!e && typeof e === 'object' && (e as { code?: unknown }).code === 'tracking-missing';
const isQueueMissing = (e: unknown): boolean => isTrackingMissing(e) || (!!e && typeof e === 'object' && (e as { code?: unknown }).code === 'tracking-outdated');

/** The marks of the deployment records in `holder`'s org that target `env`. */
async function recordMarks(deps: WorkflowDeps, holder: string, env: string, signal: AbortSignal | undefined): Promise<ChangelineMark[]> {
  const sf = await deps.salesforce();
  const { handle } = await deps.sessions.get(holder);
  const records: DeploymentRecord[] = [];
  let next: string | undefined;
  do {
    aborted(signal);
    const page = await sf.listDeployments(handle, { next, signal, pageSize: 2000 });
    records.push(...page.items);
    next = page.next;
  } while (next);
  return records
    .filter((r) => r.targetEnvironment === env && (r.deploy?.id || r.validation?.id))
    .map((r) => ({
      deployIds: [r.deploy?.id, r.validation?.id, r.revert?.id].filter((x): x is string => !!x),
      label: r.number,
      crNumbers: r.crNumber ? [r.crNumber] : [],
      env: holder,
      recordId: r.id,
      packageFileId: r.package?.fileId,
      ...(r.revert && r.deploy ? { revert: { id: r.revert.id, of: r.deploy.id } } : {}),
    }));
}

/** What a deploy result says component by component. */
export function detailsOf(r: DeployResult): DeploymentDetails {
  return {
    id: r.id,
    components: deployedComponents(r.successes, r.failures),
    failures: r.failures,
    testFailures: r.tests.failures,
    testsRun: r.tests.run,
    running: !DONE.has(r.status),
  };
}

/** The environments whose deployment records may target `env`: those the pipeline promotes to it. */
export function recordHolders(pipeline: Pipeline, env: string): string[] {
  return pipeline.environments.filter((e) => e.name !== env && checkPromotionPath(pipeline, e.name, env).ok).map((e) => e.name);
}

/** The result details of one deployment in `env` (cached once it finished). */
export async function readDeploymentDetails(deps: WorkflowDeps, env: string, id: string, opts: { signal?: AbortSignal } = {}): Promise<DeploymentDetails> {
  const s = await deps.sessions.get(env);
  const hit = detailsCache.get(orgKey(s), id);
  if (hit) return hit;
  const sf = await deps.salesforce();
  const details = detailsOf(await sf.deployStatus(s.handle, id, { signal: opts.signal }));
  if (!details.running) detailsCache.set(orgKey(s), id, details);
  return details;
}

/** The environment's deployments, newest first, with notes on what could not be read. */
export async function readOrgHistory(deps: WorkflowDeps, env: string, opts: HistoryOptions = {}): Promise<OrgHistory> {
  const { signal } = opts;
  const report = opts.onProgress ?? (() => undefined);
  aborted(signal);
  const sf = await deps.salesforce();
  report({ message: `Reading the deployments of ${env}…` });
  const s = await deps.sessions.get(env);
  const notes: string[] = [];
  const holders = [env, ...(opts.recordsFrom ?? []).filter((h) => h !== env)];
  const recordNotes: string[] = [];
  // The rows, the deployment records and the queue are read at once (one round trip's wait, not three).
  const [rows, ...markLists] = await Promise.all([
    deployRows(deps, s, opts.days ?? 30, opts.limit ?? 500, signal),
    ...holders.map((h, i) =>
      recordMarks(deps, h, env, signal).catch((e: unknown) => {
        if (signal?.aborted) throw e;
        // An org without change tracking holds no deployment records: nothing to say about that.
        if (!isTrackingMissing(e)) recordNotes[i] = `Changeline's deployment records in ${h} could not be read (${(e as Error).message}); its deployments to ${env} show as out of band.`;
        return [] as ChangelineMark[];
      }),
    ),
    // The deploys made from the environment's deployment queue (entries kept in its own org).
    sf.listQueueEntries(s.handle, { signal }).then(queueMarks, (e: unknown) => {
      if (signal?.aborted) throw e;
      // Without the queue objects (no tracking, or tracking older than the queue) no deploy came from a queue.
      if (!isQueueMissing(e)) notes.push(`${env}'s deployment queue could not be read (${(e as Error).message}); its deploys show as out of band.`);
      return [] as ChangelineMark[];
    }),
  ]);
  aborted(signal);
  // Said in a steady order: the holders' records, then the queue.
  notes.push(...recordNotes.filter((n) => n !== undefined));
  const deployments = joinHistory(rows, [...markLists.flat(), ...(opts.marks ?? [])]);
  if (opts.withComponents) await addComponents(deps, env, deployments, opts, notes);
  for (const n of notes) deps.log.warn(n);
  deps.log.info(`Read ${deployments.length} deployments of ${env}${opts.withComponents ? ' with their components' : ''}.`);
  return { env, deployments, notes };
}

async function addComponents(deps: WorkflowDeps, env: string, list: HistoryDeployment[], opts: HistoryOptions, notes: string[]): Promise<void> {
  const pool = new TaskPool(Math.max(1, Math.min(16, opts.concurrency ?? 4)));
  let done = 0;
  let failed = 0;
  const report = opts.onProgress ?? (() => undefined);
  const progress = () => report({ message: `Reading the components of ${env}'s deployments: ${done} of ${list.length}…`, percent: Math.floor((100 * done) / Math.max(1, list.length)) });
  // Finished deployments already read are taken from the cache at once; only the rest wait for the org.
  const org = orgKey(await deps.sessions.get(env));
  const toRead: HistoryDeployment[] = [];
  const delivering: HistoryDeployment[] = [];
  for (const d of list) {
    const hit = detailsCache.get(org, d.id);
    if (!hit) toRead.push(d);
    else {
      d.components = hit.components;
      if (d.mark?.packageFileId && d.mark.env) delivering.push(d);
      else done++;
    }
  }
  if (done > 0) progress();
  const withDelivered = async (d: HistoryDeployment): Promise<void> => {
    const fileId = d.mark?.packageFileId;
    const components = d.components;
    if (!fileId || !d.mark?.env || !components) return;
    // What a Changeline deployment delivered, so a lower org that has it counts as level even after a later change.
    const delivered = await packageFingerprints(deps, d.mark.env, fileId).catch((e: unknown) => {
      deps.log.warn(`The package of ${d.mark?.label ?? d.id} could not be read from ${d.mark?.env}: ${(e as Error).message}`);
      return undefined;
    });
    if (delivered) d.components = components.map((c) => (c.state === 'Deleted' || !delivered.has(`${c.type}:${c.fullName}`) ? c : { ...c, digest: delivered.get(`${c.type}:${c.fullName}`) }));
  };
  await Promise.all([
    ...delivering.map(async (d) => {
      await withDelivered(d);
      done++;
      progress();
    }),
    ...toRead.map((d) =>
      pool.run(async () => {
        aborted(opts.signal);
        try {
          d.components = (await readDeploymentDetails(deps, env, d.id, { signal: opts.signal })).components;
          await withDelivered(d);
        } catch (e) {
          if (opts.signal?.aborted) throw new CancelledError('Reading the deployment history');
          failed++;
          deps.log.warn(`The components of deployment ${d.id} in ${env} could not be read: ${(e as Error).message}`);
        }
        done++;
        progress();
      }),
    ),
  ]);
  if (failed > 0) notes.push(`The components of ${failed} of ${list.length} deployments in ${env} could not be read; they count as unknown.`);
}

/** Every deployment that reached `env`'s org (and validations), newest first: the core's OrgDeployment with the org's counts. */
export async function readDeploymentHistory(deps: WorkflowDeps, env: string, opts: HistoryOptions = {}): Promise<HistoryDeployment[]> {
  return (await readOrgHistory(deps, env, opts)).deployments;
}
