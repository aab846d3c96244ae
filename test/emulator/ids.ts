/** Salesforce-shaped record ids: 3-char key prefix + 12 chars, plus the 3-char case-safe suffix. */
const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function caseSafeSuffix(id15: string): string {
  let out = '';
  for (let block = 0; block < 3; block++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') flags += 1 << i;
    }
    out += SUFFIX.charAt(flags);
  }
  return out;
}

/** Makes ids for one org; deterministic for a given org index so seeded orgs are stable. */
export class IdFactory {
  private counter = 0;
  constructor(private readonly podChar: string = '0') {}

  next(prefix: string): string {
    this.counter++;
    const n = this.counter.toString(36).toUpperCase().padStart(9, '0');
    const id15 = `${prefix}${this.podChar}00${n}`.slice(0, 15);
    return id15 + caseSafeSuffix(id15);
  }

  /** Where persisted state resumes, so new ids never collide with stored ones. */
  get value(): number { return this.counter; }
  set value(v: number) { this.counter = v; }
}

export function randomToken(orgId: string, rnd: () => number): string {
  let s = '';
  for (let i = 0; i < 96; i++) s += CHARS.charAt(Math.floor(rnd() * CHARS.length));
  return `${orgId.slice(0, 15)}!${s}`;
}

/** mulberry32: small deterministic PRNG for seeding. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
