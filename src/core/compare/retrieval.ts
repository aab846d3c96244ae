/**
 * Retrieving components in chunks from one or two sides with a bounded number of retrieves in
 * flight, reducing each component to its digest as it arrives (its content is dropped at once),
 * or taking the digests a side computed itself (CompareSide.retrieveDigests).
 */
import { TaskPool } from '../pool';
import { raceAbort, throwIfAborted, yieldToEventLoop } from './abort';
import { digestComponent, type ComponentDigest } from './component-diff';
import type { CompareSide, ComponentRef, RetrievedComponent } from './types';

import { componentKey } from '../metadata-types';

export { componentKey };

export interface RetrievalJob {
  side: CompareSide;
  refs: readonly ComponentRef[];
  /** Called for each requested component, once, as soon as its digest is known. */
  onDigest(ref: ComponentRef, digest: ComponentDigest): void;
}

export interface RetrievalOptions {
  chunkSize: number;
  concurrency: number;
  /** Aborted by the caller (cancellation) or by this module after a failure. */
  signal: AbortSignal;
  /** Before a chunk starts and after it ends; `done` counts components of all jobs. */
  onChunk(event: { side: CompareSide; size: number; ended: boolean; done: number; total: number }): void;
}

/** Yield to the event loop after this many digests, so an abort is seen promptly. */
const DIGESTS_BETWEEN_YIELDS = 25;

/**
 * Runs the jobs' chunks, interleaved so both sides advance together. Rejects with the first
 * failure (a side's error, or CompareCancelledError once `signal` aborts).
 */
export async function retrieveAll(jobs: readonly RetrievalJob[], opts: RetrievalOptions): Promise<void> {
  const total = jobs.reduce((n, j) => n + j.refs.length, 0);
  let done = 0;
  const pool = new TaskPool(opts.concurrency);
  const chunked = jobs.map((job) => ({ job, chunks: chunk(job.refs, opts.chunkSize) }));
  const tasks: Array<Promise<void>> = [];
  for (let i = 0; chunked.some((c) => i < c.chunks.length); i++) {
    for (const { job, chunks } of chunked) {
      if (i >= chunks.length) continue;
      const refs = chunks[i];
      tasks.push(
        pool.run(async () => {
          throwIfAborted(opts.signal);
          opts.onChunk({ side: job.side, size: refs.length, ended: false, done, total });
          throwIfAborted(opts.signal);
          await retrieveChunk(job, refs, opts.signal);
          done += refs.length;
          opts.onChunk({ side: job.side, size: refs.length, ended: true, done, total });
        }),
      );
    }
  }
  // Reject on the first failure; the others see the aborted signal and stop.
  const settled = Promise.allSettled(tasks);
  await raceFirstFailure(tasks);
  await settled;
}

async function raceFirstFailure(tasks: Array<Promise<void>>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let pending = tasks.length;
    if (pending === 0) resolve();
    for (const t of tasks) t.then(() => --pending === 0 && resolve(), reject);
  });
}

async function retrieveChunk(job: RetrievalJob, refs: readonly ComponentRef[], signal: AbortSignal): Promise<void> {
  const wanted = new Set(refs.map(componentKey));
  let sinceYield = 0;
  /** Hands on a requested component's digest, once; yields to the event loop every `every` components. */
  const take = async (c: ComponentRef, digest: () => ComponentDigest, every: number) => {
    throwIfAborted(signal);
    if (!wanted.delete(componentKey(c))) return; // not requested, or already seen
    job.onDigest({ type: c.type, fullName: c.fullName }, digest());
    if (++sinceYield >= every) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
  };
  if (job.side.retrieveDigests) {
    // Digested by the side: each digest is only handed on, so the yields can be rarer.
    for (const c of await raceAbort(job.side.retrieveDigests(refs, signal), signal)) await take(c, () => c.digest, DIGESTS_BETWEEN_YIELDS * 4);
    throwIfAborted(signal);
    return;
  }
  const answer = job.side.retrieve(refs, signal);
  const iterable: AsyncIterable<RetrievedComponent> | Iterable<RetrievedComponent> =
    Symbol.asyncIterator in answer ? answer : await raceAbort(Promise.resolve(answer), signal);
  const digestOf = (c: RetrievedComponent) => take(c, () => digestComponent(c.files), DIGESTS_BETWEEN_YIELDS);
  if (Symbol.asyncIterator in iterable) {
    const it = iterable[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await raceAbort(it.next(), signal);
        if (next.done) break;
        await digestOf(next.value);
      }
    } finally {
      if (signal.aborted) void Promise.resolve(it.return?.()).catch(() => undefined);
    }
  } else {
    for (const c of iterable) await digestOf(c);
  }
  throwIfAborted(signal);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
