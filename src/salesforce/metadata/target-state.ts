/**
 * What a target org says about components before a deploy: who changed them last (its source
 * tracking, where it keeps one) and what they depend on (Tooling MetadataComponentDependency,
 * beta: a hint, read by batches of components because a query answers at most 2,000 rows).
 */
import type { ComponentDependencyRow } from '../../core/deployments/dependencies';
import type { ComponentRef } from '../../core/metadata-types';
import type { OrgConnection } from '../connection';
import { SalesforceError, throwIfAborted } from '../errors';
import { soqlString, toolingQuery, type SObjectRecord } from '../records';
import type { ReadOptions } from '../transient';
import { listComponents } from './metadata-list';

export interface TrackedChange extends ComponentRef {
  lastModifiedDate?: string;
  lastModifiedByName?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const nameOf = (r: SObjectRecord, rel: string): string | undefined => str((r[rel] as { Name?: unknown } | null | undefined)?.Name);

function unsupported(e: unknown, object: string): boolean {
  if (!(e instanceof SalesforceError)) return false;
  const text = `${e.message}\n${e.detail ?? ''}`;
  return (e.kind === 'invalid-request' || e.kind === 'not-found' || e.kind === 'auth-failed') && new RegExp(`INVALID_TYPE|${object}|not supported`, 'i').test(text);
}

/**
 * The org's source-tracking rows (SourceMember) for these components: who changed each last and
 * when; undefined when the org keeps no source tracking.
 */
export async function trackedChanges(handle: OrgConnection, refs: readonly ComponentRef[], read: ReadOptions = {}): Promise<TrackedChange[] | undefined> {
  const types = [...new Set(refs.map((r) => r.type))];
  if (types.length === 0) return [];
  try {
    const rows = await toolingQuery(
      handle,
      `SELECT MemberType, MemberName, LastModifiedDate, LastModifiedBy.Name FROM SourceMember WHERE MemberType IN (${types.map(soqlString).join(', ')})`,
      { ...read, batchSize: 2000 },
    );
    const wanted = new Set(refs.map((r) => `${r.type}:${r.fullName}`.toLowerCase()));
    return rows
      .map((r) => ({ type: String(r.MemberType ?? ''), fullName: String(r.MemberName ?? ''), lastModifiedDate: str(r.LastModifiedDate), lastModifiedByName: nameOf(r, 'LastModifiedBy') }))
      .filter((r) => wanted.has(`${r.type}:${r.fullName}`.toLowerCase()));
  } catch (e) {
    if (unsupported(e, 'SourceMember')) return undefined;
    throw e;
  }
}

export interface DependencyReadOptions extends ReadOptions {
  /** After each component's dependencies were read. */
  onComponent?: (done: number, total: number) => void;
}

/** Components asked about in one query; a query that hits the org's 2,000-row cap is split in halves. */
export const DEPENDENCY_BATCH = 50;

/**
 * What each component depends on, as the org's MetadataComponentDependency says (custom fields
 * named `Object__c.Field__c`); undefined when the org does not answer that object.
 *
 * The object is filtered by component id (Salesforce supports no filter on the names), so the
 * org's components are listed first to learn their ids; components the org lacks have no rows.
 * A query answers at most 2,000 rows and has no queryMore: components are asked about in
 * batches, and a batch the org refuses is asked about in halves until one component is left,
 * whose refusal stands.
 */
export async function componentDependencies(
  handle: OrgConnection,
  refs: readonly ComponentRef[],
  opts: DependencyReadOptions = {},
): Promise<ComponentDependencyRow[] | undefined> {
  const read: ReadOptions = { signal: opts.signal, onRetry: opts.onRetry, backoff: opts.backoff };
  const key = (type: string, name: string): string => `${type}:${name}`.toLowerCase();
  const wanted = new Map(refs.map((r) => [key(r.type, r.fullName), r]));
  const byId = new Map<string, ComponentRef>();
  const types = [...new Set(refs.map((r) => r.type))].sort();
  try {
    if (types.length) {
      for (const c of await listComponents(handle, types, read)) {
        const ref = wanted.get(key(c.type, c.fullName));
        if (ref && c.id) byId.set(c.id, ref);
      }
    }
    const ids = [...byId.keys()];
    const out: ComponentDependencyRow[] = [];
    const unnamed: Array<{ row: ComponentDependencyRow; id: string }> = [];
    let done = refs.length - ids.length;
    const ask = async (batch: string[]): Promise<void> => {
      throwIfAborted(opts.signal, handle.label);
      let rows: SObjectRecord[];
      try {
        rows = await toolingQuery(
          handle,
          'SELECT MetadataComponentId, MetadataComponentType, RefMetadataComponentId, RefMetadataComponentType, RefMetadataComponentName FROM MetadataComponentDependency ' +
            `WHERE MetadataComponentId IN (${batch.map(soqlString).join(', ')})`,
          read,
        );
      } catch (e) {
        if (batch.length === 1 || opts.signal?.aborted || unsupported(e, 'MetadataComponentDependency') || !(e instanceof SalesforceError) || e.kind !== 'invalid-request') throw e;
        const half = Math.ceil(batch.length / 2);
        await ask(batch.slice(0, half));
        await ask(batch.slice(half));
        return;
      }
      for (const r of rows) {
        const from = byId.get(String(r.MetadataComponentId ?? '')) ?? byId.get(String(r.MetadataComponentId ?? '').slice(0, 15));
        if (!from) continue;
        const row: ComponentDependencyRow = {
          metadataComponentType: from.type,
          metadataComponentName: from.fullName,
          refMetadataComponentType: String(r.RefMetadataComponentType ?? ''),
          refMetadataComponentName: String(r.RefMetadataComponentName ?? ''),
        };
        const id = str(r.RefMetadataComponentId);
        if ((row.refMetadataComponentType === 'CustomField' || row.refMetadataComponentType === 'CustomObject') && id) unnamed.push({ row, id });
        out.push(row);
      }
      done += batch.length;
      opts.onComponent?.(done, refs.length);
    };
    for (let i = 0; i < ids.length; i += DEPENDENCY_BATCH) await ask(ids.slice(i, i + DEPENDENCY_BATCH));
    // None of the components is in the org: still ask (for no component), so that "the org
    // answered" is known rather than assumed.
    if (!ids.length) await toolingQuery(handle, "SELECT MetadataComponentId FROM MetadataComponentDependency WHERE MetadataComponentId = '000000000000000AAA'", read);
    await nameReferences(handle, unnamed, read);
    return out;
  } catch (e) {
    if (unsupported(e, 'MetadataComponentDependency')) return undefined;
    throw e;
  }
}

/**
 * Gives custom fields and objects their full API names (the org names a field `Total`, without
 * its object or `__c`) from the org's listing of those types, matched by id; a reference it
 * cannot place keeps the name the org gave.
 */
async function nameReferences(handle: OrgConnection, unnamed: ReadonlyArray<{ row: ComponentDependencyRow; id: string }>, read: ReadOptions): Promise<void> {
  if (!unnamed.length) return;
  const types = [...new Set(unnamed.map((u) => u.row.refMetadataComponentType))].sort();
  const names = new Map<string, string>();
  try {
    for (const c of await listComponents(handle, types, read)) {
      if (c.id) {
        names.set(`${c.type}:${c.id}`, c.fullName);
        names.set(`${c.type}:${c.id.slice(0, 15)}`, c.fullName);
      }
    }
  } catch (e) {
    if (read.signal?.aborted) throw e;
    return;
  }
  for (const { row, id } of unnamed) {
    const name = names.get(`${row.refMetadataComponentType}:${id}`) ?? names.get(`${row.refMetadataComponentType}:${id.slice(0, 15)}`);
    if (name) row.refMetadataComponentName = name;
  }
}
