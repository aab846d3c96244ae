/**
 * Errors the UI recognises to offer a remedy: tracking not installed in an org (offer to install
 * it), tracking older than this release (offer to upgrade it), and a user who lacks the tracking
 * permission set (say who can grant it). All are SalesforceErrors with a stable `code`; the
 * helpers test the shape (kind + code) so they also hold across bundles.
 */
import { SalesforceError } from '../errors';

export type TrackingErrorCode = 'tracking-missing' | 'tracking-outdated' | 'tracking-access';

export class TrackingError extends SalesforceError {
  constructor(
    readonly code: TrackingErrorCode,
    message: string,
    detail?: string,
    org?: string,
  ) {
    super(code === 'tracking-missing' ? 'not-found' : 'invalid-request', message, detail, org);
  }
}

function codeOf(e: unknown): unknown {
  return e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined;
}

/** The org has no change tracking: offer to install it. */
export function isTrackingMissing(e: unknown): boolean {
  return codeOf(e) === 'tracking-missing' && (e as { kind?: unknown }).kind === 'not-found';
}

/** The org's change tracking is older than this release: offer to upgrade it. */
export function isTrackingOutdated(e: unknown): boolean {
  return codeOf(e) === 'tracking-outdated' && (e as { kind?: unknown }).kind === 'invalid-request';
}

/** The user lacks the tracking permission set, so the org hides the tracking fields from them. */
export function isTrackingAccessMissing(e: unknown): boolean {
  return codeOf(e) === 'tracking-access' && (e as { kind?: unknown }).kind === 'invalid-request';
}
