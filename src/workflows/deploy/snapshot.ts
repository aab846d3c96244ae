/**
 * The snapshot before a deploy of a deployment record: the target's current versions of the
 * package's components, retrieved from the target and kept as a file with the record (in the org
 * that holds it, like the package), noting which components the target did not have (a revert
 * deletes those). A revert of the deploy restores from it.
 */
import { deploymentLabel, type ComponentRef, type DeploymentRecord, type SnapshotFact } from '../../core/deployments';
import { componentKey } from '../../core/metadata-types';
import type { RetrievedZip } from '../../salesforce/metadata/package-retrieve';
import type { SnapshotManifest } from '../../salesforce/metadata/snapshot-package';
import type { RunOptions, WorkflowDeps } from '../types';
import { recordResult } from './records';
import { DeployError } from './run';

export interface SnapshotRequest {
  /** The environment whose org holds the record. */
  env: string;
  record: DeploymentRecord;
  targetEnv: string;
  /** The package's components. */
  components: readonly ComponentRef[];
  /** The target's listing already read (the overwrite check's): its types are not listed again. */
  listed?: { types: readonly string[]; components: readonly ComponentRef[] };
  /**
   * The retrieve of all `components` from the target, started earlier (startSnapshotRetrieve)
   * while the package was read and checked: the listing then says which of them the target had.
   */
  early?: EarlyRetrieve;
  pollMs?: number;
}

/** A retrieve of the target's versions begun before the snapshot is taken. */
export interface EarlyRetrieve {
  components: readonly ComponentRef[];
  result: Promise<RetrievedZip>;
  /** Stops it (the run ended before the snapshot). */
  cancel(): void;
}

/**
 * Starts retrieving `components` from the target (the deploy's snapshot), so it runs while the
 * package is read and checked; components the target lacks come back as problems, which the
 * snapshot then tells apart by the target's listing.
 */
export async function startSnapshotRetrieve(deps: WorkflowDeps, targetEnv: string, components: readonly ComponentRef[], opts: { signal?: AbortSignal; pollMs?: number } = {}): Promise<EarlyRetrieve> {
  const sf = await deps.salesforce();
  const target = await deps.sessions.get(targetEnv);
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const result = sf.retrievePackageZip(target.handle, components, { signal: stop.signal, pollMs: opts.pollMs }).finally(() => opts.signal?.removeEventListener('abort', onAbort));
  // Awaited by the snapshot; a run that stops before it leaves no unhandled rejection.
  result.catch(() => undefined);
  return { components, result, cancel: () => stop.abort() };
}

/** Retrieves the target's versions, stores the snapshot with the record and records it; resolves with the record as saved. */
export function takeSnapshot(deps: WorkflowDeps, req: SnapshotRequest, opts: RunOptions = {}): Promise<DeploymentRecord> {
  const { record } = req;
  const holder: SnapshotHolder<{ record: DeploymentRecord }> = {
    id: record.id!,
    label: deploymentLabel(record),
    fileName: `${record.number ?? 'deployment'}-snapshot`,
    fileId: record.snapshot?.fileId,
    save: async (fact, stored) => {
      const saved = await recordResult(deps, req.env, record.id!, { kind: 'snapshot', fact, versionId: stored.contentVersionId, bytes: stored.size });
      return saved.ok ? saved : { ok: false, reason: saved.reason };
    },
  };
  return takeSnapshotInto(deps, req, holder, opts).then((r) => r.record);
}

/** What keeps a snapshot: a record in `env`'s org the file is linked to (a deployment record, a queue entry) and how the fact is written on it. */
export interface SnapshotHolder<T> {
  id: string;
  label: string;
  fileName: string;
  /** The earlier snapshot's file: the new one is a version of it. */
  fileId?: string;
  save(fact: SnapshotFact, stored: { contentVersionId: string; size: number }): Promise<({ ok: true } & T) | { ok: false; reason: string }>;
}

/**
 * The snapshot of `req.targetEnv` kept with `holder` (in `req.env`'s org); resolves with what the
 * holder's `save` gave. Throws (nothing deployed) when it cannot be taken, stored or recorded.
 */
export async function takeSnapshotInto<T>(deps: WorkflowDeps, req: Omit<SnapshotRequest, 'record'>, into: SnapshotHolder<T>, opts: RunOptions = {}): Promise<T> {
  const sf = await deps.salesforce();
  const target = await deps.sessions.get(req.targetEnv);
  const report = opts.onProgress ?? (() => undefined);
  // Which components the target has: its listing of their types (the part already read is reused).
  const types = [...new Set(req.components.map((c) => c.type))].sort();
  const known = new Set(req.listed?.types ?? []);
  const missingTypes = types.filter((t) => !known.has(t));
  const listed = new Set((req.listed?.components ?? []).map((c) => componentKey(c).toLowerCase()));
  if (missingTypes.length) {
    report({ message: `Listing ${req.targetEnv}'s components before the deploy…` });
    for (const c of await sf.listComponents(target.handle, missingTypes, { signal: opts.signal })) listed.add(componentKey(c).toLowerCase());
  }
  const absentRefs = req.components.filter((c) => !listed.has(componentKey(c).toLowerCase()));
  const absent = new Set(absentRefs.map((c) => componentKey(c).toLowerCase()));
  const existed = req.components.filter((c) => !absent.has(componentKey(c).toLowerCase()));
  const missing = req.components.filter((c) => absent.has(componentKey(c).toLowerCase()));
  report({ message: `Snapshot: retrieving ${existed.length} component${existed.length === 1 ? '' : 's'} from ${req.targetEnv} before the deploy…` });
  let retrieved: Uint8Array | undefined;
  const unreadable: NonNullable<SnapshotManifest['unreadable']> = [];
  // The early retrieve serves when it asked for every component that existed (it asked for the package's).
  const asked = req.early ? new Set(req.early.components.map((c) => componentKey(c).toLowerCase())) : undefined;
  const early = asked && existed.every((c) => asked.has(componentKey(c).toLowerCase())) ? req.early : undefined;
  if (!early) req.early?.cancel();
  if (existed.length > 0) {
    const r = early ? await early.result : await sf.retrievePackageZip(target.handle, existed, { signal: opts.signal, pollMs: req.pollMs });
    retrieved = r.zip;
    const named = (list: readonly ComponentRef[]) => {
      const byName = new Map<string, ComponentRef[]>();
      for (const c of list) byName.set(c.fullName, [...(byName.get(c.fullName) ?? []), c]);
      // "Entity of type 'ApexClass' named 'Greeter' cannot be found": the component it quotes (by name, and type when given).
      return (p: string) => [...p.matchAll(/'([^']*)'/g)].flatMap((m) => byName.get(m[1]) ?? []).find((c) => !/of type '/.test(p) || p.includes(`'${c.type}'`));
    };
    const existedIn = named(existed);
    const absentIn = named(missing);
    for (const p of r.problems) {
      const hit = existedIn(p) ?? existed.find((c) => p.includes(`'${c.fullName}'`));
      // The early retrieve asked for the components the target does not have too: their "cannot be found" is expected.
      if (early && !hit && absentIn(p)) continue;
      unreadable.push({ type: hit?.type ?? '', fullName: hit?.fullName ?? '', problem: p });
      deps.log.warn(`Snapshot of ${req.targetEnv}: ${p} (that component's earlier version is not kept; a revert cannot restore it).`);
    }
  }
  const takenAt = new Date().toISOString();
  const manifest: SnapshotManifest = {
    version: 1,
    target: req.targetEnv,
    takenAt,
    existed: existed.filter((c) => !unreadable.some((u) => u.type === c.type && u.fullName === c.fullName)),
    absent: missing,
    ...(unreadable.length ? { unreadable } : {}),
  };
  const file = sf.buildSnapshot(retrieved, manifest);
  const holder = await deps.sessions.get(req.env);
  report({ message: `Snapshot: storing it with ${into.label} in ${req.env}…` });
  const stored = await sf.storePackage(holder.handle, into.id, file, into.fileName, into.fileId);
  const fact: SnapshotFact = { fileId: stored.contentDocumentId, takenAt, by: holder.userId, existed: manifest.existed.length, absent: missing.length };
  const saved = await into.save(fact, { contentVersionId: stored.contentVersionId, size: stored.size });
  if (!saved.ok) throw new DeployError(`The snapshot of ${req.targetEnv} was stored but could not be recorded on ${into.label} (${saved.reason}); nothing was deployed. Try again.`, 'refused');
  deps.log.info(`Snapshot of ${req.targetEnv} before deploying ${into.label}: ${manifest.existed.length} components kept, ${missing.length} not in ${req.targetEnv} yet.`);
  return saved;
}
