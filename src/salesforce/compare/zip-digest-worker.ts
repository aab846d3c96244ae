/**
 * Worker thread of zip-digests.ts: reads a metadata-format retrieve zip (compare-zip.ts: unzip,
 * SDR's resolver, parents split from their children) and answers with each component's digest
 * (core component-diff.ts), so none of that CPU work runs on the extension host's thread.
 * It takes the code from the Salesforce layer's index: in the package, esbuild.mjs points that
 * import at dist/salesforce.js, so this worker is a few lines, not a second copy of SDR.
 *
 * Messages: in `{ id, zip }`, out `{ id, items }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { digestZip } from '../index';
import type { DigestAnswer, DigestRequest } from './zip-digest';

async function answer(req: DigestRequest): Promise<DigestAnswer> {
  try {
    const zip = Buffer.from(req.zip.buffer, req.zip.byteOffset, req.zip.byteLength);
    return { id: req.id, items: await digestZip(zip) };
  } catch (e) {
    return { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
}

parentPort?.on('message', (req: DigestRequest) => {
  void answer(req).then((a) => parentPort!.postMessage(a));
});
