import type { EmuUser, OrgStore } from './store';
import type { Faults } from './faults';

/** What a handler knows about the org it serves; implemented by EmulatedOrg. */
export interface OrgContext {
  readonly name: string;
  readonly instanceUrl: string;
  readonly store: OrgStore;
  readonly faults: Faults;
  readonly settings: OrgSettings;
  userById(id: string): EmuUser | undefined;
  /** The DeployResult (checkDeployStatus's shape as JSON) of a deployment, undefined when unknown. */
  deployResult(id: string, includeDetails: boolean): unknown;
}

export interface OrgSettings {
  /** Time each async Metadata job (deploy, retrieve) spends in each state before moving on. */
  jobStepMs: number;
  /** The highest API version the org speaks, e.g. "62.0". */
  apiVersion: string;
}

export interface RequestContext {
  org: OrgContext;
  user: EmuUser;
}

/** Thrown by SOAP handlers; answered as a SOAP fault with `sf:CODE`. */
export class SoapFault extends Error {
  constructor(readonly code: string, message: string, readonly status = 500) {
    super(message);
  }
}

/** Thrown by REST handlers; answered as `[{"errorCode","message"}]`. */
export class RestError extends Error {
  constructor(readonly status: number, readonly errorCode: string, message: string, readonly fields?: string[]) {
    super(message);
  }
}

export interface RestRequest {
  method: string;
  /** URL path, e.g. `/services/data/v62.0/sobjects/Account/001...`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RestReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
