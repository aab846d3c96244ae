/**
 * One line telling how each environment was listed in a compare: in full, or its kept listing
 * reused with what source tracking reported since. Shared by the panel and its unit test.
 */
import type { ListingInfo } from '../core/compare/types';

function side(env: string, info: ListingInfo, date: (iso: string) => string): string {
  if (info.mode === 'full') return `${env}: listed in full${info.problem ? ` (its source tracking could not be read: ${info.problem})` : ''}`;
  const since = info.listedAt ? `its listing of ${date(info.listedAt)}` : 'its last listing';
  const changes = info.changes ?? 0;
  if (changes === 0) return `${env}: unchanged since ${since} (source tracking)`;
  const relisted = info.relistedTypes ?? 0;
  return `${env}: ${changes} change${changes === 1 ? '' : 's'} since ${since} (source tracking), ${relisted} type${relisted === 1 ? '' : 's'} listed again`;
}

/**
 * "Dev: unchanged since its listing of … (source tracking) · UAT: listed in full. …", or
 * undefined when both were listed in full (nothing worth saying) or the result predates listings.
 */
export function listingSummary(
  sourceEnv: string,
  targetEnv: string,
  listing: { source: ListingInfo; target: ListingInfo } | undefined,
  date: (iso: string) => string,
): string | undefined {
  const plain = (i: ListingInfo) => i.mode === 'full' && !i.problem;
  if (!listing || (plain(listing.source) && plain(listing.target))) return undefined;
  return `${side(sourceEnv, listing.source, date)} · ${side(targetEnv, listing.target, date)}. Full refresh lists everything again.`;
}
