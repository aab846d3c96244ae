import { EmulatedOrg, isProductionName, type OrgInfo } from './org';
import type { OrgSettings } from './context';
import { seedOrgs } from './seed';

export { EmulatedOrg, type OrgInfo } from './org';
export type { OrgSettings } from './context';

export interface EmulatorOptions {
  /** Org names; `prod` (or `production`) is a production org, others are sandboxes. */
  orgs: string[];
  /** Folder where each org's metadata and records persist across restarts. */
  dataDir?: string;
  /** Seed realistic metadata (deterministic for a given seed). Omit for empty orgs. */
  seed?: number;
  /** Components in the seeded base org (default 200). */
  components?: number;
  /** First port; org i listens on portBase + i. Default: any free port. */
  portBase?: number;
  /** Secret that derives tokens and ids (default "changeline"). */
  secret?: string;
  settings?: Partial<OrgSettings>;
  /**
   * Which orgs keep Salesforce source tracking (the Tooling `SourceMember` object, one row per
   * changed component with an org-wide `RevisionCounter`), as developer sandboxes and scratch
   * orgs do: `true` (the default) = every sandbox, an array = those sandboxes by name, `false` =
   * none. Production never has it: there a Tooling query on SourceMember fails with INVALID_TYPE.
   * Seeding records no rows; every later commitMetadata (deploys, test mutations) does.
   */
  sourceTracking?: boolean | string[];
}

/** Resolves `EmulatorOptions.sourceTracking` to one flag per org; a bad array is a clear error. */
export function sourceTrackingFor(names: string[], option: boolean | string[] | undefined): boolean[] {
  if (option === undefined || typeof option === 'boolean') return names.map((n) => (option ?? true) && !isProductionName(n));
  for (const n of option) {
    if (!names.includes(n)) throw new Error(`sourceTracking names '${n}', which is not one of the orgs (${names.join(', ')})`);
    if (isProductionName(n)) throw new Error(`sourceTracking names '${n}', a production org; production orgs never have source tracking`);
  }
  return names.map((n) => option.includes(n));
}

export class Emulator {
  private constructor(readonly orgs: EmulatedOrg[], private readonly opts: EmulatorOptions) {}

  static async start(opts: EmulatorOptions): Promise<Emulator> {
    const names = opts.orgs.map((n) => n.trim()).filter(Boolean);
    if (names.length === 0) throw new Error('At least one org name is required');
    if (new Set(names).size !== names.length) throw new Error('Org names must be unique');
    const tracking = sourceTrackingFor(names, opts.sourceTracking);
    const orgs = names.map(
      (name, index) =>
        new EmulatedOrg({
          name,
          index,
          port: opts.portBase ? opts.portBase + index : 0,
          dataDir: opts.dataDir,
          secret: opts.secret,
          settings: opts.settings,
          sourceTracking: tracking[index],
        }),
    );
    const emu = new Emulator(orgs, opts);
    const loaded = orgs.map((o) => o.store.load());
    if (opts.seed !== undefined && !loaded.some(Boolean)) emu.seed();
    try {
      for (const o of orgs) await o.start();
    } catch (e) {
      await emu.stop();
      throw e;
    }
    return emu;
  }

  org(name: string): EmulatedOrg {
    const o = this.orgs.find((x) => x.name === name);
    if (!o) throw new Error(`No emulated org named ${name}`);
    return o;
  }

  info(): { orgs: OrgInfo[] } {
    return { orgs: this.orgs.map((o) => o.info()) };
  }

  /** Empties every org (and reseeds if seeded), clears faults. */
  reset(): void {
    for (const o of this.orgs) {
      o.metadata.dispose();
      o.rest.dispose();
      o.store.reset();
      o.faults.clear();
    }
    if (this.opts.seed !== undefined) this.seed();
    for (const o of this.orgs) o.store.persistAll();
  }

  private seed(): void {
    seedOrgs(this.orgs, { seed: this.opts.seed ?? 1, components: this.opts.components ?? 200 });
  }

  async stop(): Promise<void> {
    await Promise.all(this.orgs.map((o) => o.stop()));
  }
}

export function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  return Emulator.start(opts);
}
