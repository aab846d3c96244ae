/**
 * Retrieving components into a folder in SOURCE format (what a project holds: classes/Foo.cls,
 * objects/Account/fields/X__c.field-meta.xml, …), through SDR's ComponentSet.retrieve.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComponentSet, ComponentStatus, RegistryAccess } from '@salesforce/source-deploy-retrieve';
import type { ComponentRef, RetrieveResult } from '../../core/metadata-types';
import { connectionOf, type OrgConnection } from '../connection';
import { cancelled, SalesforceError, throwIfAborted, toSalesforceError } from '../errors';
import { readWithRetry } from '../transient';

export interface RetrieveOptions {
  signal?: AbortSignal;
  /** Called at each status check with the server status (Pending, InProgress, Succeeded…). */
  onProgress?: (status: string) => void;
  /** Status check interval (default: SDR's, 1 s and more for big sets). */
  pollMs?: number;
  /** Give up after this long (default 30 minutes). */
  timeoutMs?: number;
  /** API version to ask for; SDR lowers it to the org's maximum if higher. */
  apiVersion?: string;
}

let registry: RegistryAccess | undefined;

/** The ComponentSet for refs; an unknown type is a clear error, not a library stack. */
export function componentSetOf(refs: ComponentRef[]): ComponentSet {
  registry ??= new RegistryAccess();
  const set = new ComponentSet(undefined, registry);
  for (const r of refs) {
    if (!r?.type || !r.fullName) throw new SalesforceError('invalid-request', 'Each component needs a type and a fullName.');
    let type;
    try {
      type = registry.getTypeByName(r.type);
    } catch {
      throw new SalesforceError('invalid-request', `"${r.type}" is not a metadata type (e.g. ApexClass, CustomObject, Flow).`);
    }
    set.add({ fullName: r.fullName, type });
  }
  return set;
}

/** The folder holding sfdx-project.json at or above `dir`, if any. */
function projectRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'sfdx-project.json'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * Types SDR merges into one shared file (CustomLabels): it needs the project's package
 * directories to find that file, so the destination must be inside an sfdx project.
 */
function needsProject(set: ComponentSet): string | undefined {
  for (const c of set) {
    const t = typeof c.type === 'string' ? undefined : c.type;
    const parent = t && registry ? (registry.getParentType(t.id) ?? t) : t;
    if (parent?.strategies?.transformer === 'nonDecomposed') return t?.name;
  }
  return undefined;
}

interface RetrieveMessage {
  fileName?: string;
  problem?: string;
}

/**
 * Retrieves `components` from the org into `outDir` (created if needed) in source format,
 * replacing files of the same components. `outDir` is a package directory, as with the sf CLI:
 * new files go under `<outDir>/main/default/` (classes/Foo.cls, objects/X__c/…). Resolves with the files written and warnings (e.g.
 * members the org does not have); aborting the signal stops waiting and rejects as cancelled.
 */
export async function retrieve(handle: OrgConnection, components: ComponentRef[], outDir: string, opts: RetrieveOptions = {}): Promise<RetrieveResult> {
  if (!components.length) throw new SalesforceError('invalid-request', 'Nothing to retrieve: the component list is empty.');
  if (!outDir) throw new SalesforceError('invalid-request', 'A destination folder is required.');
  throwIfAborted(opts.signal, handle.label);
  const set = componentSetOf(components);
  if (opts.apiVersion) set.apiVersion = opts.apiVersion;
  const output = path.resolve(outDir);
  const merged = needsProject(set);
  if (merged && !projectRoot(output)) {
    throw new SalesforceError(
      'invalid-request',
      `Retrieving ${merged} needs a Salesforce DX project: ${output} is not inside a folder with sfdx-project.json. Retrieve into a package directory of your project.`,
    );
  }
  fs.mkdirSync(output, { recursive: true });
  const conn = connectionOf(handle);
  let op: Awaited<ReturnType<ComponentSet['retrieve']>> | undefined;
  const onAbort = (): void => {
    void op?.cancel();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Starting is a read (a second job nobody polls is harmless); SDR's polling rides out passing errors itself.
    op = await readWithRetry({ label: handle.label, signal: opts.signal }, () => set.retrieve({ usernameOrConnection: conn, output, merge: true }));
    if (opts.onProgress) op.onUpdate((s) => opts.onProgress?.(String(s.status)));
    if (opts.signal?.aborted) await op.cancel();
    // Numeric overload: frequency in ms (undefined = SDR's default), timeout in seconds.
    const result = await op.pollStatus(opts.pollMs, Math.ceil((opts.timeoutMs ?? 30 * 60_000) / 1000));
    if (opts.signal?.aborted || !result) throw cancelled(handle.label);
    const files = result
      .getFileResponses()
      .filter((f) => f.state !== ComponentStatus.Failed && f.filePath)
      .map((f) => ({ type: f.type, fullName: f.fullName, filePath: f.filePath as string }));
    const messages = [result.response.messages ?? []].flat() as RetrieveMessage[];
    const warnings = messages.map((m) => m.problem ?? '').filter(Boolean);
    for (const f of result.getFileResponses()) {
      if (f.state === ComponentStatus.Failed && 'error' in f && !warnings.includes(f.error)) warnings.push(f.error);
    }
    if (result.response.status !== 'Succeeded' && files.length === 0) {
      throw new SalesforceError(
        'server-error',
        `Retrieving from "${handle.label}" ended ${String(result.response.status)}${warnings.length ? `: ${warnings[0]}` : ''}.`,
        JSON.stringify(result.response.messages ?? ''),
        handle.label,
      );
    }
    return { files, warnings, id: String(result.response.id), apiVersion: set.apiVersion };
  } catch (e) {
    if (opts.signal?.aborted) throw cancelled(handle.label);
    throw toSalesforceError(e, { org: handle.label, action: `Retrieving from "${handle.label}"` });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
