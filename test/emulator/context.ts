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
  /** The org's deployments, for the REST `metadata/deployRequest` resource (the Metadata API side). */
  readonly deploys: DeployRequests;
}

/** Deployments as the REST `metadata/deployRequest` resource sees them; methods throw SoapFault. */
export interface DeployRequests {
  /** The DeployResult (checkDeployStatus's shape as JSON), undefined when unknown. */
  deployResult(id: string, includeDetails: boolean): unknown;
  /** The deploy options and, for a quick deploy, the validation it deploys; undefined when unknown. */
  requestInfo(id: string): { deployOptions: Record<string, unknown> | null; validatedDeployRequestId: string | null } | undefined;
  /** Starts a deploy of a zip (bytes) with REST deploy options; returns its id. */
  startDeployFromRest(ctx: RequestContext, zip: Buffer, deployOptions: Record<string, unknown>): string;
  /** Quick deploy of a validation; returns the new deploy's id. */
  quickDeployFromRest(ctx: RequestContext, validationId: string): string;
  /** cancelDeploy: done is true when cancelled at once (queued). */
  cancelFromRest(ctx: RequestContext, id: string): { done: boolean; id: string };
}

export interface OrgSettings {
  /** Time each async Metadata job (deploy, retrieve) spends in each state before moving on. */
  jobStepMs: number;
  /** The highest API version the org speaks, e.g. "62.0". */
  apiVersion: string;
  /**
   * Moves the org's clock forward (ms) for the age checks of its records, such as the 10 days a
   * validation stays quick-deployable. Default 0.
   */
  clockSkewMs?: number;
}

export interface RequestContext {
  org: OrgContext;
  user: EmuUser;
  /** API version of the request (`62.0` from `/services/Soap/m/62.0` or `/services/data/v62.0`), when it names one. */
  apiVersion?: string;
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
