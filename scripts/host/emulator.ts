/**
 * Starts the org emulator for the VS Code tiers and describes it for the processes that need it
 * (the sf-state authorizer, the extension host, the e2e tests).
 */
import { Emulator } from '../../test/emulator/index';
import { freePortRange } from './processes';

/** One emulated org as the tests see it; `alias` is the sf alias the runner authorizes it under. */
export interface TestOrg {
  alias: string;
  instanceUrl: string;
  username: string;
  accessToken: string;
  orgId: string;
  isSandbox: boolean;
}

/**
 * Everything needed to start an identical emulator elsewhere (same ports, same tokens), e.g. inside
 * the extension host. Passed as JSON in CHANGELINE_TEST_EMULATOR (see test/extension/index.ts).
 */
export interface EmulatorHandoff {
  portBase: number;
  orgNames: string[];
  seed?: number;
  components?: number;
  jobStepMs?: number;
  orgs: TestOrg[];
}

export const ORG_NAMES = ['prod', 'uat', 'dev'];

export interface TestEmulatorOptions {
  orgNames?: string[];
  seed?: number;
  components?: number;
  dataDir?: string;
  portBase?: number;
  jobStepMs?: number;
}

export async function startTestEmulator(opts: TestEmulatorOptions = {}): Promise<{ emu: Emulator; handoff: EmulatorHandoff }> {
  const orgNames = opts.orgNames ?? ORG_NAMES;
  let lastError: unknown;
  // A fixed base keeps ports stable (tokens are stable anyway); retry another range if one was taken meanwhile.
  for (let attempt = 0; attempt < (opts.portBase ? 1 : 5); attempt++) {
    const portBase = opts.portBase ?? (await freePortRange(orgNames.length));
    try {
      const emu = await Emulator.start({
        orgs: orgNames,
        portBase,
        seed: opts.seed,
        components: opts.components,
        dataDir: opts.dataDir,
        settings: opts.jobStepMs !== undefined ? { jobStepMs: opts.jobStepMs } : undefined,
      });
      return { emu, handoff: describe(emu, portBase, opts) };
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`Cannot start the org emulator: ${(lastError as Error)?.message ?? lastError}`);
}

function describe(emu: Emulator, portBase: number, opts: TestEmulatorOptions): EmulatorHandoff {
  return {
    portBase,
    orgNames: emu.orgs.map((o) => o.name),
    seed: opts.seed,
    components: opts.components,
    jobStepMs: opts.jobStepMs,
    orgs: emu.info().orgs.map((o) => ({
      alias: o.name,
      instanceUrl: o.instanceUrl,
      username: o.username,
      accessToken: o.accessToken,
      orgId: o.orgId,
      isSandbox: o.isSandbox,
    })),
  };
}
