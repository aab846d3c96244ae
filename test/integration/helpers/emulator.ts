/**
 * Starts the org emulator in-process for integration tests and authorizes its orgs through the
 * Salesforce layer itself (authorizeWithToken), with the org names as aliases.
 */
import { Emulator, type EmulatedOrg } from '../../emulator';
import type { OrgSettings } from '../../emulator/context';
import { authorizeWithToken, removeAuthorization, type OrgConnection } from '../../../src/salesforce';

export interface StartedEmulator {
  emu: Emulator;
  org(name: string): EmulatedOrg;
  /** Connections opened by authorizeWithToken, by org name (alias). */
  conns: Record<string, OrgConnection>;
  stop(): Promise<void>;
}

export interface StartOptions {
  orgs?: string[];
  settings?: Partial<OrgSettings>;
  seed?: number;
  components?: number;
  /** Authorize each org with this alias prefix (default: the org name itself). */
  aliasPrefix?: string;
  authorize?: boolean;
  /** Orgs that keep source tracking (SourceMember): all sandboxes with true, or these names. */
  sourceTracking?: boolean | string[];
}

export async function startEmulator(opts: StartOptions = {}): Promise<StartedEmulator> {
  const emu = await Emulator.start({
    orgs: opts.orgs ?? ['prod', 'dev'],
    seed: opts.seed,
    components: opts.components,
    ...(opts.sourceTracking !== undefined ? { sourceTracking: opts.sourceTracking } : {}),
    settings: { jobStepMs: 20, ...opts.settings },
  });
  const conns: Record<string, OrgConnection> = {};
  try {
    if (opts.authorize !== false) {
      for (const info of emu.info().orgs) {
        conns[info.name] = await authorizeWithToken({
          accessToken: info.accessToken,
          instanceUrl: info.instanceUrl,
          alias: `${opts.aliasPrefix ?? ''}${info.name}`,
        });
      }
    }
  } catch (e) {
    await emu.stop();
    throw e;
  }
  // Emulated usernames repeat across emulators (admin@dev.changeline.test): forget this run's
  // authorizations on stop so the next test file starts from a clean sf state.
  const stop = async (): Promise<void> => {
    for (const c of Object.values(conns)) await removeAuthorization(c.username).catch(() => undefined);
    await emu.stop();
  };
  return { emu, org: (n) => emu.org(n), conns, stop };
}

/** Awaits a promise expected to reject; returns the error for assertions. */
export async function rejection(p: Promise<unknown>): Promise<Error & { kind?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { kind?: string };
  }
  throw new Error('expected the call to fail, it succeeded');
}
