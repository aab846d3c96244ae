import type { EmulatedOrg } from './org';

export interface SeedOptions {
  seed: number;
  /** Components in the base org. */
  components: number;
}

/** PLACEHOLDER: generates realistic metadata in each org (replaced by the seeding implementation). */
export function seedOrgs(_orgs: EmulatedOrg[], _opts: SeedOptions): void {}
