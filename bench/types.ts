/** What a bench module exports (as `bench`) for bench/run.ts. */
import type { HostName } from '../scripts/host/host-name';

export interface BenchRow {
  /** What was measured, e.g. "retrieve 2000 components". */
  case: string;
  wallMs: number;
  /** Peak resident set size during the case (MB), sampled. */
  peakRssMb?: number;
  /** Peak V8 heap used during the case (MB), sampled. */
  peakHeapMb?: number;
  /** Time spent inside the in-process emulator's handlers (ms), when measured. */
  emulatorMs?: number;
  /** Anything else worth reporting (counts, settings). */
  notes?: Record<string, string | number | boolean>;
}

export interface Bench {
  name: string;
  description: string;
  /** `hosts`: the VS Code hosts named with `--host` (benches that run in VS Code); undefined = the bench's default. */
  run(options: { quick: boolean; log: (line: string) => void; hosts?: HostName[] }): Promise<BenchRow[]>;
}
