/** The components of a metadata-format retrieve zip, each reduced to its digest, on this thread. */
import { digestComponent } from '../../core/compare/component-diff';
import type { DigestedComponent } from '../../core/compare/types';
import { componentsFromZip } from './compare-zip';

export async function digestZip(zip: Buffer): Promise<DigestedComponent[]> {
  return (await componentsFromZip(zip)).map((c) => ({ type: c.type, fullName: c.fullName, digest: digestComponent(c.files) }));
}

/** The worker's messages (zip-digest-worker.ts ↔ zip-digests.ts): in `{ id, zip }`, out `{ id, items }` or `{ id, error }`. */
export interface DigestRequest {
  id: number;
  zip: Uint8Array;
}

export type DigestAnswer = { id: number; items: DigestedComponent[] } | { id: number; error: string };
