/**
 * Long loops on the editor's host thread in slices: the work yields to the event loop every
 * SLICE_MS, so 10,000 deploy problems do not freeze the editor (target: no block over 100 ms).
 */

/** Work done between two yields to the event loop. */
export const SLICE_MS = 20;

const yieldNow = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Calls `fn` on each item in order, yielding to the event loop every SLICE_MS of work. */
export async function eachInSlices<T>(items: Iterable<T>, fn: (t: T) => void): Promise<void> {
  let since = Date.now();
  for (const t of items) {
    fn(t);
    if (Date.now() - since >= SLICE_MS) {
      await yieldNow();
      since = Date.now();
    }
  }
}

/** `items.map(fn)`, yielding to the event loop every SLICE_MS of work. */
export async function mapInSlices<T, R>(items: readonly T[], fn: (t: T) => R): Promise<R[]> {
  const out: R[] = [];
  await eachInSlices(items, (t) => void out.push(fn(t)));
  return out;
}
