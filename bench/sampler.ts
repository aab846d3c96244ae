/** Samples process memory while a case runs: peak RSS and peak heap used. */
export interface MemoryPeak {
  rssMb: number;
  heapMb: number;
}

export async function withMemorySampling<T>(fn: () => Promise<T>, everyMs = 25): Promise<{ value: T; peak: MemoryPeak; wallMs: number }> {
  let rss = 0;
  let heap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  const started = performance.now();
  try {
    const value = await fn();
    sample();
    return { value, wallMs: performance.now() - started, peak: { rssMb: rss / 2 ** 20, heapMb: heap / 2 ** 20 } };
  } finally {
    clearInterval(timer);
  }
}
