/**
 * The handle callers hold for an open org connection. The Salesforce library objects stay inside
 * this layer (a WeakMap), so no library type leaks into the extension or src/core.
 */
import type { Connection, Org } from '@salesforce/core';
import { SalesforceError } from './errors';

export class OrgConnection {
  constructor(
    readonly username: string,
    /** The first alias of the org, when it has one. */
    readonly alias: string | undefined,
    readonly instanceUrl: string,
    readonly orgId: string,
  ) {}

  /** The name to show in messages: alias when known, else username. */
  get label(): string {
    return this.alias ?? this.username;
  }
}

interface Internals {
  org?: Org;
  connection: Connection;
}

const internals = new WeakMap<OrgConnection, Internals>();

export function bind(handle: OrgConnection, inner: Internals): OrgConnection {
  internals.set(handle, inner);
  return handle;
}

/** The core Connection behind a handle (for this layer only). */
export function connectionOf(handle: OrgConnection): Connection {
  const inner = internals.get(handle);
  if (!inner) throw new SalesforceError('invalid-request', 'Not a connection opened by connect() or an authorize call.');
  return inner.connection;
}

export function orgOf(handle: OrgConnection): Org | undefined {
  return internals.get(handle)?.org;
}
