/**
 * Whether an org has Changeline's tracking schema (and which version), and installing or
 * upgrading it through the normal deploy path.
 */
import type { DeployProgress, DeployResult } from '../../core/metadata-types';
import { connectionOf, type OrgConnection } from '../connection';
import { deploy } from '../metadata/deploy';
import { SalesforceError, throwIfAborted, toSalesforceError } from '../errors';
import { currentUserId } from '../orgs/users';
import { grantTrackingAccess, holdsTrackingAccess, TRACKING_PERMISSION_SET } from './access';
import { CR_OBJECT, defaultTrackingFolder, TRACKING_SCHEMA_VERSION, VERSION_FIELD } from './schema';

export interface TrackingStatus {
  installed: boolean;
  /** Installed schema version (absent when not installed). */
  version?: number;
  /** This release ships a newer schema than the installed one (or the org has none). */
  upgradeAvailable: boolean;
  /** The version this release ships. */
  shipped: number;
  /**
   * Present (true) when the org hides the tracking fields from this user (no Changeline_Tracking
   * permission set): the version cannot be read, and installing is not what the user needs.
   */
  lacksAccess?: true;
}

const ACCESS_PROBE_FIELD = 'Status__c';

interface FieldDescribe {
  name: string;
  defaultValue?: unknown;
  defaultValueFormula?: string | null;
}

/** Reads the tracking schema state; an org without it reports not installed. */
export async function trackingStatus(handle: OrgConnection): Promise<TrackingStatus> {
  const conn = connectionOf(handle);
  let names: string[];
  try {
    const global = await conn.describeGlobal();
    names = global.sobjects.map((o) => o.name.toLowerCase());
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Reading the objects of "${handle.label}"` });
  }
  if (!names.includes(CR_OBJECT.toLowerCase())) return { installed: false, upgradeAvailable: true, shipped: TRACKING_SCHEMA_VERSION };
  let fields: FieldDescribe[];
  try {
    fields = (await conn.describe(CR_OBJECT)).fields as unknown as FieldDescribe[];
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label, action: `Describing ${CR_OBJECT} in "${handle.label}"` });
  }
  // Every schema version has Status__c; describe leaves out the fields field-level security hides.
  if (!fields.some((f) => f.name.toLowerCase() === ACCESS_PROBE_FIELD.toLowerCase())) {
    const holds = await holdsTrackingAccess(handle);
    // Without the permission set in the org, the tracking predates it: installing again brings it.
    if (holds === false) return { installed: true, upgradeAvailable: false, shipped: TRACKING_SCHEMA_VERSION, lacksAccess: true };
    return { installed: true, upgradeAvailable: true, shipped: TRACKING_SCHEMA_VERSION };
  }
  const version = versionOf(fields.find((f) => f.name.toLowerCase() === VERSION_FIELD.toLowerCase()));
  return { installed: true, version, upgradeAvailable: version < TRACKING_SCHEMA_VERSION, shipped: TRACKING_SCHEMA_VERSION };
}

/** The version a describe carries: Salesforce gives a number field's default as a formula text. */
function versionOf(f: FieldDescribe | undefined): number {
  if (!f) return 0; // an early install without the carrier field
  const raw = f.defaultValue ?? f.defaultValueFormula;
  const n = typeof raw === 'number' ? raw : Number(String(raw ?? '').trim());
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

export interface InstallOptions {
  signal?: AbortSignal;
  onProgress?: (p: DeployProgress) => void;
  /** The source-format schema folder (default: resources/tracking next to the code). */
  folder?: string;
  pollMs?: number;
}

/** The deploy of the schema, and whether the installing user got the permission set. */
export interface InstallResult extends DeployResult {
  access: { permissionSet: string; outcome: 'assigned' | 'already' } | { permissionSet: string; problem: string };
}

/**
 * Deploys the tracking schema (install or upgrade), then gives the installing user the
 * permission set (without it the new fields are readable to nobody). Refuses to downgrade an org
 * that already has a newer schema. Throws when the deploy fails, with the components' problems;
 * a failed assignment does not undo the install and is reported in `access`.
 */
export async function installTracking(handle: OrgConnection, opts: InstallOptions = {}): Promise<InstallResult> {
  throwIfAborted(opts.signal, handle.label);
  let before = await trackingStatus(handle);
  if (before.lacksAccess) {
    // The version is hidden from a user without the permission set: take it first (installing gives it anyway).
    await grantTrackingAccess(handle, [await currentUserId(handle)]).catch(() => undefined);
    before = await trackingStatus(handle);
  }
  if (before.installed && (before.version ?? 0) > TRACKING_SCHEMA_VERSION) {
    throw new SalesforceError(
      'invalid-request',
      `"${handle.label}" has tracking schema version ${before.version}, newer than this Changeline's (${TRACKING_SCHEMA_VERSION}); update Changeline instead of installing.`,
      undefined,
      handle.label,
    );
  }
  const folder = opts.folder ?? defaultTrackingFolder();
  const result = await deploy(handle, { sourcePaths: [folder], signal: opts.signal, onProgress: opts.onProgress, pollMs: opts.pollMs });
  if (!result.success) {
    const problems = result.failures.map((f) => `${f.type} ${f.fullName}: ${f.problem}`).join('; ');
    throw new SalesforceError(
      result.canceled ? 'cancelled' : 'invalid-request',
      result.canceled
        ? `Installing the tracking schema in "${handle.label}" was cancelled; nothing was changed.`
        : `Installing the tracking schema in "${handle.label}" failed${problems ? `: ${problems}` : ''}. Check that your user may customize the application.`,
      result.errorMessage,
      handle.label,
    );
  }
  try {
    const [grant] = await grantTrackingAccess(handle, [await currentUserId(handle)]);
    return { ...result, access: { permissionSet: TRACKING_PERMISSION_SET, outcome: grant.outcome } };
  } catch (e) {
    return { ...result, access: { permissionSet: TRACKING_PERMISSION_SET, problem: e instanceof Error ? e.message : String(e) } };
  }
}
