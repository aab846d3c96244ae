/**
 * The digests of the components in a retrieve zip, computed in worker threads
 * (zip-digest-worker.ts): unzipping, resolving and canonicalizing tens of thousands of files is
 * most of a compare's CPU, and the extension host's thread has other work. Retrieves tend to
 * finish together, so up to two workers (one on a single-core machine) share the zips: one starts
 * while the orgs are listed (`warmDigestWorker`), the second when zips wait for the first; each
 * stops after a minute without work. Where no worker can run (its file missing, or it failed to
 * load), or one stops with zips unanswered, the same code runs on this thread.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DigestedComponent } from '../../core/compare/types';
import { digestZip, type DigestAnswer } from './zip-digest';

const IDLE_MS = 60_000;
const POOL_SIZE = Math.max(1, Math.min(2, os.availableParallelism()));

interface Pending {
  zip: Buffer;
  resolve(items: DigestedComponent[]): void;
  reject(e: Error): void;
}

/** Where zips were digested, for tests and the log. */
export interface DigestWorkerStatus {
  /** The workers' script (next to this module: dist/ in the bundle, out/src/salesforce/ in tests). */
  file: string;
  /** Workers running now. */
  workers: number;
  /** Zips digested by a worker, and on this thread (no worker, or it failed). */
  inWorker: number;
  inThread: number;
}

const file = path.join(__dirname, 'zip-digest-worker.js');
const counts = { inWorker: 0, inThread: 0 };
let unavailable = false;
let nextId = 1;

function inThread(zip: Buffer): Promise<DigestedComponent[]> {
  counts.inThread++;
  return digestZip(zip);
}

/** One worker and the zips it was given. */
class Slot {
  readonly pending = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | undefined;
  private answeredOnce = false;

  constructor(readonly worker: Worker) {
    worker.on('message', (a: DigestAnswer) => this.answered(a));
    // A worker that fails before its first answer cannot load here: the zips are read on this thread from now on.
    worker.on('error', () => {
      if (!this.answeredOnce) unavailable = true;
      this.lost();
    });
    worker.on('exit', () => this.lost());
    this.hold();
  }

  send(zip: Buffer, signal: AbortSignal | undefined): Promise<DigestedComponent[]> {
    const id = nextId++;
    return new Promise<DigestedComponent[]>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        this.hold();
        reject(signal!.reason instanceof Error ? signal!.reason : new Error('Cancelled'));
      };
      const settle = <T>(fn: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        fn(v);
      };
      this.pending.set(id, { zip, resolve: settle(resolve), reject: settle(reject) });
      this.hold();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.postMessage({ id, zip });
    });
  }

  /** Starts the idle countdown (a slot started ahead of use stops if never used). */
  idle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size > 0) return;
      drop(this);
      void this.worker.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private answered(a: DigestAnswer): void {
    const p = this.pending.get(a.id);
    this.answeredOnce = true;
    if (!p) return; // cancelled meanwhile
    this.pending.delete(a.id);
    this.hold();
    if ('error' in a) p.reject(new Error(a.error));
    else {
      counts.inWorker++;
      p.resolve(a.items);
    }
    this.idle();
  }

  /** A stopped or broken worker: what it had not answered is done on this thread. */
  private lost(): void {
    if (!drop(this)) return;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      inThread(p.zip).then(p.resolve, p.reject);
    }
  }

  /** Keeps the process alive only while an answer is awaited (after the listeners, which ref it). */
  private hold(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}

const slots: Slot[] = [];

function drop(slot: Slot): boolean {
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
  return i >= 0;
}

function addSlot(): Slot | undefined {
  if (unavailable) return undefined;
  if (!fs.existsSync(file)) {
    unavailable = true;
    return undefined;
  }
  const slot = new Slot(new Worker(file));
  slots.push(slot);
  return slot;
}

/** The least busy worker, starting one more while there is room and every one is busy. */
function pickSlot(): Slot | undefined {
  const free = slots.reduce<Slot | undefined>((best, s) => (!best || s.pending.size < best.pending.size ? s : best), undefined);
  if (free && (free.pending.size === 0 || slots.length >= POOL_SIZE)) return free;
  return addSlot() ?? free;
}

export function digestWorkerStatus(): DigestWorkerStatus {
  return { file, workers: slots.length, ...counts };
}

/**
 * Starts a worker ahead of the first zip (it loads SDR, about half a second, while the orgs are
 * listed); a second one starts when zips wait for the first.
 */
export function warmDigestWorker(): void {
  if (slots.length > 0) return;
  addSlot()?.idle();
}

/** Stops every worker now; zips they had not answered are digested on this thread. */
export async function stopDigestWorkers(): Promise<void> {
  await Promise.all([...slots].map((s) => s.worker.terminate()));
}

/** The components of a metadata-format retrieve zip, each reduced to its digest. */
export function digestsOfZip(zip: Buffer, signal?: AbortSignal): Promise<DigestedComponent[]> {
  const slot = pickSlot();
  return slot ? slot.send(zip, signal) : inThread(zip);
}
