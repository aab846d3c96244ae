/** An in-memory environment implementing the CompareSide port, recording what it was asked. */
import { digestComponent } from '../../../src/core/compare/component-diff';
import type { CompareSide, ComponentRef, DigestedComponent, ListedComponent, OrgChanges, RetrievedComponent } from '../../../src/core/compare/types';

export interface FakeComponent extends ComponentRef {
  lastModifiedDate?: string;
  files: Record<string, string | Uint8Array>;
}

export interface FakeOptions {
  /** Milliseconds each retrieve call takes. */
  retrieveDelayMs?: number;
  /** Yield components one by one through an async generator instead of returning an array. */
  asyncIterable?: boolean;
  /** Never settle a retrieve and ignore the abort signal (a stuck org). */
  hangRetrieve?: boolean;
  /** Fail the n-th retrieve call (1-based) with this error. */
  failRetrieve?: { call: number; error: Error };
  /** Components the org lists but does not return from a retrieve. */
  unretrievable?: string[];
  /** The org keeps a change log (source tracking): every put/remove after construction is recorded. */
  changeLog?: boolean;
  /** The side digests what it retrieves itself (CompareSide.retrieveDigests), as the Salesforce side does. */
  digests?: boolean;
  /** With `digests`: components the answer adds that were not asked for. */
  extraInAnswer?: FakeComponent[];
}

export class FakeSide implements CompareSide {
  readonly components = new Map<string, FakeComponent>();
  readonly listCalls: Array<readonly string[] | undefined> = [];
  readonly retrieveCalls: ComponentRef[][] = [];
  readonly signals: AbortSignal[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** The change log: one entry per change, its revision is its position + 1. */
  readonly log: string[] = [];
  readonly changesCalls: Array<string | undefined> = [];

  constructor(
    readonly id: string,
    readonly label: string,
    components: FakeComponent[] = [],
    readonly options: FakeOptions = {},
  ) {
    for (const c of components) this.put(c);
    this.log.length = 0;
  }

  /** Adds or changes a component; `untracked` leaves the change log out (a type it does not cover). */
  put(c: FakeComponent, opts: { untracked?: boolean } = {}): void {
    this.components.set(`${c.type}/${c.fullName}`, c);
    if (!opts.untracked) this.log.push(c.type);
  }

  remove(type: string, fullName: string): void {
    this.components.delete(`${type}/${fullName}`);
    this.log.push(type);
  }

  get changesSince(): CompareSide['changesSince'] {
    if (!this.options.changeLog) return undefined;
    return async (since: string | undefined): Promise<OrgChanges> => {
      this.changesCalls.push(since);
      await new Promise((r) => setImmediate(r));
      const from = since === undefined ? this.log.length : Number(since);
      const later = this.log.slice(from);
      return { revision: String(this.log.length), types: [...new Set(later)], count: later.length };
    };
  }

  /** Calls of retrieveDigests (they are also in retrieveCalls). */
  digestCalls = 0;

  get retrieveDigests(): CompareSide['retrieveDigests'] {
    if (!this.options.digests) return undefined;
    return async (refs: readonly ComponentRef[], signal: AbortSignal): Promise<DigestedComponent[]> => {
      this.digestCalls++;
      this.retrieveCalls.push([...refs]);
      this.signals.push(signal);
      const got = await this.fetch(refs, signal, this.retrieveCalls.length);
      const extra = (this.options.extraInAnswer ?? []).map((c) => ({ type: c.type, fullName: c.fullName, files: new Map(Object.entries(c.files)) }));
      return [...got, ...extra].map((c) => ({ type: c.type, fullName: c.fullName, digest: digestComponent(c.files) }));
    };
  }

  get retrievedRefs(): string[] {
    return this.retrieveCalls.flat().map((r) => `${r.type}/${r.fullName}`);
  }

  async listComponents(types: readonly string[] | undefined, signal: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<ListedComponent[]> {
    this.listCalls.push(types);
    this.signals.push(signal);
    // One listing call per type, as an org answers them.
    const listed = [...new Set(types ?? [...this.components.values()].map((c) => c.type))];
    for (let i = 0; i < listed.length; i++) {
      await new Promise((r) => setImmediate(r));
      onProgress?.(i + 1, listed.length);
    }
    await new Promise((r) => setImmediate(r));
    return [...this.components.values()]
      .filter((c) => !types || types.includes(c.type))
      .map(({ type, fullName, lastModifiedDate }) => ({ type, fullName, lastModifiedDate, fileName: `${type}/${fullName}` }));
  }

  retrieve(refs: readonly ComponentRef[], signal: AbortSignal): AsyncIterable<RetrievedComponent> | Promise<RetrievedComponent[]> {
    this.retrieveCalls.push([...refs]);
    this.signals.push(signal);
    const call = this.retrieveCalls.length;
    if (this.options.asyncIterable) return this.generate(refs, signal, call);
    return this.fetch(refs, signal, call);
  }

  private async fetch(refs: readonly ComponentRef[], signal: AbortSignal, call: number): Promise<RetrievedComponent[]> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.options.hangRetrieve) await new Promise(() => undefined);
      await new Promise((r) => setTimeout(r, this.options.retrieveDelayMs ?? 0));
      if (this.options.failRetrieve?.call === call) throw this.options.failRetrieve.error;
      if (signal.aborted) throw Object.assign(new Error('aborted by the fake'), { name: 'AbortError' });
      const out: RetrievedComponent[] = [];
      for (const ref of refs) {
        const key = `${ref.type}/${ref.fullName}`;
        const c = this.components.get(key);
        if (!c || this.options.unretrievable?.includes(key)) continue;
        out.push({ type: c.type, fullName: c.fullName, files: new Map(Object.entries(c.files)) });
      }
      return out;
    } finally {
      this.inFlight--;
    }
  }

  private async *generate(refs: readonly ComponentRef[], signal: AbortSignal, call: number): AsyncGenerator<RetrievedComponent> {
    for (const c of await this.fetch(refs, signal, call)) {
      await new Promise((r) => setImmediate(r));
      yield c;
    }
  }
}

/** A class component with the given body and date. */
export function apexClass(name: string, body: string, date = '2024-01-01T00:00:00.000Z'): FakeComponent {
  return {
    type: 'ApexClass',
    fullName: name,
    lastModifiedDate: date,
    files: {
      [`classes/${name}.cls`]: body,
      [`classes/${name}.cls-meta.xml`]:
        '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>60.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n',
    },
  };
}
