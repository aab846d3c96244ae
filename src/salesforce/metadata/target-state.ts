/**
 * What a target org says about components before a deploy: who changed them last (its source
 * tracking, where it keeps one) and what they depend on (Tooling MetadataComponentDependency,
 * beta: a hint, read one component at a time because a query answers at most 2,000 rows).
 */
import type { ComponentDependencyRow } from '../../core/deployments/dependencies';
import type { ComponentRef } from '../../core/metadata-types';
import type { OrgConnection } from '../connection';
import { SalesforceError, throwIfAborted } from '../errors';
import { soqlString, toolingQuery, type SObjectRecord } from '../records';
import type { ReadOptions } from '../transient';

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

/**
 * What each component depends on, as the org's MetadataComponentDependency says (custom fields
 * named `Object__c.Field__c`); undefined when the org does not answer that object.
 */
export async function componentDependencies(
  handle: OrgConnection,
  refs: readonly ComponentRef[],
  opts: DependencyReadOptions = {},
): Promise<ComponentDependencyRow[] | undefined> {
  const out: ComponentDependencyRow[] = [];
  const fieldIds = new Map<string, ComponentDependencyRow[]>();
  let done = 0;
  try {
    for (const ref of refs) {
      throwIfAborted(opts.signal, handle.label);
      // A field or other child is asked for by its own name, without its object.
      const name = ref.fullName.includes('.') ? ref.fullName.slice(ref.fullName.indexOf('.') + 1) : ref.fullName;
      const rows = await toolingQuery(
        handle,
        'SELECT MetadataComponentType, MetadataComponentName, RefMetadataComponentType, RefMetadataComponentName, RefMetadataComponentId FROM MetadataComponentDependency ' +
          `WHERE MetadataComponentType = ${soqlString(ref.type)} AND MetadataComponentName = ${soqlString(name.replace(/__c$/, ''))} LIMIT 2000`,
        { signal: opts.signal, onRetry: opts.onRetry, backoff: opts.backoff },
      );
      for (const r of rows) {
        const row: ComponentDependencyRow = {
          metadataComponentType: ref.type,
          metadataComponentName: ref.fullName,
          refMetadataComponentType: String(r.RefMetadataComponentType ?? ''),
          refMetadataComponentName: String(r.RefMetadataComponentName ?? ''),
        };
        const id = str(r.RefMetadataComponentId);
        if (row.refMetadataComponentType === 'CustomField' && !row.refMetadataComponentName.includes('.') && id) {
          fieldIds.set(id, [...(fieldIds.get(id) ?? []), row]);
        }
        out.push(row);
      }
      opts.onComponent?.(++done, refs.length);
    }
  } catch (e) {
    if (unsupported(e, 'MetadataComponentDependency')) return undefined;
    throw e;
  }
  await nameFields(handle, fieldIds, opts);
  return out;
}

/** Gives custom fields their object (the org names a field without it); a field it cannot place keeps its bare name. */
async function nameFields(handle: OrgConnection, byId: Map<string, ComponentDependencyRow[]>, read: ReadOptions): Promise<void> {
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    try {
      const fields = await toolingQuery(handle, `SELECT Id, DeveloperName, TableEnumOrId FROM CustomField WHERE Id IN (${chunk.map(soqlString).join(', ')})`, read);
      const objectIds = [...new Set(fields.map((f) => String(f.TableEnumOrId ?? '')).filter((t) => t.startsWith('01I')))];
      const objects = new Map<string, string>();
      if (objectIds.length) {
        for (const o of await toolingQuery(handle, `SELECT Id, DeveloperName FROM CustomObject WHERE Id IN (${objectIds.map(soqlString).join(', ')})`, read)) {
          objects.set(String(o.Id), `${String(o.DeveloperName)}__c`);
        }
      }
      for (const f of fields) {
        const table = String(f.TableEnumOrId ?? '');
        const object = objects.get(table) ?? (table && !table.startsWith('01I') ? table : undefined);
        if (!object) continue;
        for (const row of byId.get(String(f.Id)) ?? []) row.refMetadataComponentName = `${object}.${String(f.DeveloperName)}__c`;
      }
    } catch {
      // Fields stay named as the org said; the static scan names them fully.
    }
  }
}
