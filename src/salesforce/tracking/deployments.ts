/**
 * Deployment records stored in an org's tracking schema: create, read, list by pages (optionally
 * by status), update only if nobody changed the record since it was read (SalesforceError kind
 * `conflict` otherwise, exact even for two saves within one second: the record's Version__c and
 * its validation rule, as for change requests), delete a draft, and the hash-chained history.
 */
import { appendDeploymentHistory, isDeploymentStatus, type DeploymentHistoryDraft, type DeploymentHistoryEntry, type DeploymentRecord, type DeploymentStatus } from '../../core/deployments';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { checkRecordId, createRecord, createRecords, deleteRecord, query, queryPage, soqlString, updateIfUnmodifiedSince, updateRecord, type RecordFields } from '../records';
import { DEPLOYMENT_FIELDS, DEPLOYMENT_HISTORY_FIELDS, DEPLOYMENT_SPILLABLE, digestsFileOf, fromDeployment, fromDeploymentHistoryEntry, toDeployment, toDeploymentHistoryEntry } from './deployment-records';
import { checkApprovers, guard } from './repository';
import { needsSpill, readPointedValue, readSpilled, spillFields, storePointed } from './spill';
import { DEPLOYMENT_HISTORY_OBJECT, DEPLOYMENT_OBJECT, DEPLOYMENT_VERSION_RULE_MARK, RECORD_VERSION_FIELD } from './schema';

const checkId = (id: string) => checkRecordId(id, 'a deployment record id');
const SELECT = `SELECT ${DEPLOYMENT_FIELDS.join(', ')} FROM ${DEPLOYMENT_OBJECT}`;
const label = (d: Pick<DeploymentRecord, 'number' | 'id'>) => d.number || d.id || 'the deployment record';

/** A row as the model, its fields kept in files (too long for their field) read back. */
async function read(handle: OrgConnection, row: RecordFields): Promise<DeploymentRecord> {
  const what = `deployment record ${String(row.Name ?? row.Id)}`;
  const full = await readSpilled(handle, row, DEPLOYMENT_SPILLABLE, what);
  const file = digestsFileOf(full);
  if (!file) return toDeployment(full);
  const raw = await readPointedValue(handle, file, 'package digests', what);
  let digests: unknown;
  try {
    digests = JSON.parse(raw);
  } catch {
    digests = undefined;
  }
  if (!digests || typeof digests !== 'object' || Array.isArray(digests)) {
    throw new SalesforceError('server-error', `The file holding the package digests of ${what} is not a JSON object; retrieve the package again.`, undefined, handle.label);
  }
  return toDeployment(full, digests as Record<string, string>);
}

/**
 * The record's fields to write. A package's digests that would make the facts too long for their
 * field are kept in their own file, written when they change (at a retrieve), so the facts saved at
 * each later step stay small; `current` is the record's row as stored (its digests file reused).
 */
async function fieldsOf(handle: OrgConnection, d: DeploymentRecord, id: string, current: RecordFields | undefined, name: string): Promise<RecordFields> {
  const fields = fromDeployment(d);
  if (!d.package?.digests || !needsSpill(fields, ['Facts__c'])) return fields;
  const before = current ? digestsFileOf(current) : undefined;
  const file = await storePointed(handle, id, JSON.stringify(d.package.digests), before, `${name} package digests`, `the package digests of ${name}`);
  return fromDeployment(d, file);
}

/**
 * Saves a new record (its approvers must be active users of the org); resolves with it as stored
 * (number assigned). A component list or facts too long for their fields (10,000 components) are
 * kept in files linked to the record: it is created without them, then given them.
 */
export async function createDeployment(handle: OrgConnection, d: DeploymentRecord): Promise<DeploymentRecord> {
  await checkApprovers(handle, d.approvers);
  const fields = fromDeployment(d);
  const spill = needsSpill(fields, DEPLOYMENT_SPILLABLE);
  const first = spill ? { ...fields, ...Object.fromEntries(DEPLOYMENT_SPILLABLE.map((f) => [f, null])) } : fields;
  const id = await guard(handle, () => createRecord(handle, DEPLOYMENT_OBJECT, { ...first, [RECORD_VERSION_FIELD]: 1 }));
  if (spill) {
    const [row] = await query<RecordFields>(handle, `SELECT Name FROM ${DEPLOYMENT_OBJECT} WHERE Id = '${id}'`);
    const name = String(row?.Name ?? id);
    const spilled = await spillFields(handle, id, await fieldsOf(handle, d, id, undefined, name), DEPLOYMENT_SPILLABLE, undefined, name);
    // Nobody else knows the record yet: its second version carries the pointers.
    await guard(handle, () => updateRecord(handle, DEPLOYMENT_OBJECT, id, { ...Object.fromEntries(DEPLOYMENT_SPILLABLE.map((f) => [f, spilled[f]])), [RECORD_VERSION_FIELD]: 2 }));
  }
  return getDeployment(handle, id);
}

export async function getDeployment(handle: OrgConnection, id: string): Promise<DeploymentRecord> {
  checkId(id);
  const rows = await guard(handle, () => query<RecordFields>(handle, `${SELECT} WHERE Id = '${id}'`));
  if (!rows[0]) throw new SalesforceError('not-found', `Deployment record ${id} is not in "${handle.label}" (deleted, or never there).`, undefined, handle.label);
  return read(handle, rows[0]);
}

export interface DeploymentPage {
  items: DeploymentRecord[];
  totalSize: number;
  /** Pass back as `next` for the following page; absent on the last one. */
  next?: string;
}

export interface ListDeploymentsOptions {
  /** Only records in these statuses. */
  statuses?: readonly DeploymentStatus[];
  /** Only the records of this change request. */
  crId?: string;
  next?: string;
  pageSize?: number;
  signal?: AbortSignal;
}

/** One page of deployment records, newest first. */
export async function listDeployments(handle: OrgConnection, opts: ListDeploymentsOptions = {}): Promise<DeploymentPage> {
  const where: string[] = [];
  if (opts.statuses?.length) {
    const bad = opts.statuses.find((s) => !isDeploymentStatus(s));
    if (bad !== undefined) throw new SalesforceError('invalid-request', `"${String(bad)}" is not a deployment status.`);
    where.push(`Status__c IN (${opts.statuses.map(soqlString).join(', ')})`);
  }
  if (opts.crId) {
    checkRecordId(opts.crId, 'a change request id');
    where.push(`Change_Request__c = '${opts.crId}'`);
  }
  const soql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY CreatedDate DESC, Name DESC`;
  const page = await guard(handle, () => queryPage<RecordFields>(handle, opts.next ?? soql, { batchSize: opts.pageSize, signal: opts.signal }));
  return { items: await Promise.all(page.records.map((r) => read(handle, r))), totalSize: page.totalSize, next: page.nextRecordsUrl };
}

/**
 * Writes the record if it is unchanged since it was read (`d.version` + 1, enforced by the
 * schema's validation rule, and If-Unmodified-Since on `d.lastModified`); resolves with the record
 * as stored. Throws SalesforceError kind `conflict` when someone changed it in between.
 */
export async function updateDeployment(handle: OrgConnection, d: DeploymentRecord): Promise<DeploymentRecord> {
  if (!d.id) throw new SalesforceError('invalid-request', 'Save the deployment record before updating it.');
  checkId(d.id);
  if (!d.lastModified) throw new SalesforceError('invalid-request', `Read deployment record ${label(d)} from the org before updating it.`);
  await checkApprovers(handle, d.approvers);
  let fields = fromDeployment(d);
  if (needsSpill(fields, DEPLOYMENT_SPILLABLE)) {
    // Too long for their fields: kept in files linked to the record (a new version only when changed).
    const [current] = await guard(handle, () => query<RecordFields>(handle, `SELECT Name, ${DEPLOYMENT_SPILLABLE.join(', ')} FROM ${DEPLOYMENT_OBJECT} WHERE Id = '${d.id}'`));
    if (!current) throw new SalesforceError('not-found', `Deployment record ${label(d)} is not in "${handle.label}" (deleted meanwhile).`, undefined, handle.label);
    const name = d.number ?? String(current.Name ?? d.id);
    fields = await spillFields(handle, d.id, await fieldsOf(handle, d, d.id, current, name), DEPLOYMENT_SPILLABLE, current, name);
  }
  try {
    await guard(handle, () => updateIfUnmodifiedSince(handle, DEPLOYMENT_OBJECT, d.id!, { ...fields, [RECORD_VERSION_FIELD]: (d.version ?? 0) + 1 }, d.lastModified!, DEPLOYMENT_VERSION_RULE_MARK));
  } catch (e) {
    if (e instanceof SalesforceError && e.kind === 'conflict') {
      throw new SalesforceError('conflict', `${label(d)} was changed by someone else meanwhile; reload it and apply your change again.`, e.detail, handle.label);
    }
    throw e;
  }
  return getDeployment(handle, d.id);
}

/** Deletes a draft record (and, through the master-detail cascade, its history); refuses any other status. */
export async function deleteDeployment(handle: OrgConnection, id: string): Promise<void> {
  const d = await getDeployment(handle, id);
  if (d.status !== 'Draft') {
    throw new SalesforceError(
      'invalid-request',
      `${label(d)} is ${d.status}: only a draft can be deleted; abandon it instead, which keeps its history.`,
      undefined,
      handle.label,
    );
  }
  await guard(handle, () => deleteRecord(handle, DEPLOYMENT_OBJECT, id));
}

/** The record's history, in chain order. */
export async function readDeploymentHistory(handle: OrgConnection, deploymentId: string): Promise<DeploymentHistoryEntry[]> {
  checkId(deploymentId);
  const rows = await guard(handle, () =>
    query<RecordFields>(handle, `SELECT ${DEPLOYMENT_HISTORY_FIELDS.join(', ')} FROM ${DEPLOYMENT_HISTORY_OBJECT} WHERE Deployment__c = '${deploymentId}' ORDER BY Seq__c ASC`),
  );
  return rows.map(toDeploymentHistoryEntry);
}

/**
 * Seals the drafts onto the end of the record's stored chain and saves them; resolves with the new
 * entries. `chain` is the history already read, to spare a query.
 */
export async function appendDeploymentHistoryEntries(
  handle: OrgConnection,
  deploymentId: string,
  drafts: readonly DeploymentHistoryDraft[],
  chain?: readonly DeploymentHistoryEntry[],
): Promise<DeploymentHistoryEntry[]> {
  checkId(deploymentId);
  if (drafts.length === 0) return [];
  const entries = appendDeploymentHistory(chain ?? (await readDeploymentHistory(handle, deploymentId)), drafts);
  const results = await guard(handle, () => createRecords(handle, DEPLOYMENT_HISTORY_OBJECT, entries.map((e) => fromDeploymentHistoryEntry(deploymentId, e)), { allOrNone: true }));
  const failed = results.find((r) => !r.success);
  if (failed?.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE')) {
    throw new SalesforceError('conflict', `Someone else added to the history of deployment record ${deploymentId} at the same time; reload it and try again.`, undefined, handle.label);
  }
  if (failed) {
    throw new SalesforceError('invalid-request', `Saving the history of deployment record ${deploymentId} failed: ${failed.errors.map((e) => e.message).join('; ')}`, undefined, handle.label);
  }
  return entries;
}
