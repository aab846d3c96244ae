/** Per-file set-up for the e2e tests: emulated orgs + private sf HOME + code-server + Chromium. */
import * as path from 'node:path';
import { launchVsCode, type LaunchOptions, type Launched } from '../../../scripts/host/launch';
import { ROOT } from '../../../scripts/host/paths';
import { writeDemoWorkspace } from '../../../scripts/demo/workspace';
import { Workbench } from './workbench';

export interface E2ESession {
  launched: Launched;
  wb: Workbench;
  /** The admin username of the emulated org authorized under `alias`. */
  username(alias: string): string;
}

export async function startE2E(extra: Partial<LaunchOptions> = {}): Promise<E2ESession> {
  const launched = await launchVsCode({
    emulator: { seed: 1, components: 60, jobStepMs: 20 },
    prepareWorkspace: (dir) => writeDemoWorkspace(dir),
    ...extra,
  });
  const page = launched.page!;
  page.on('pageerror', (e) => process.stderr.write(`[workbench page error] ${e.message}\n`));
  return {
    launched,
    wb: new Workbench(page),
    username(alias) {
      const o = launched.handoff.orgs.find((x) => x.alias === alias);
      if (!o) throw new Error(`No emulated org ${alias}`);
      return o.username;
    },
  };
}

/** mocha `afterEach`: a screenshot of the screen as it was when a test failed. */
export async function screenshotOnFailure(ctx: Mocha.Context, s: E2ESession | undefined): Promise<void> {
  const t = ctx.currentTest;
  if (!s || !t || t.state !== 'failed') return;
  const name = `failed-${path.basename(t.file ?? 'test', '.js')}-${t.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
  await s.wb.screenshot(name).catch(() => undefined);
}

/**
 * The hooks of a suite that works in one workbench (call inside `describe`): VS Code with this
 * project's extension started before the tests, a screenshot of any failed test (and, unless
 * `keepNotifications`, notifications cleared) after each, everything stopped at the end.
 * `suite.session` is set once the `before` hook ran. `launch` overrides the launch (e.g. the workspace).
 */
export function e2eSuite(
  opts: { keepNotifications?: boolean; /** Changes to the demo workspace before VS Code opens it. */ workspace?: (dir: string) => void; launch?: Partial<LaunchOptions> } = {},
): {
  readonly session: E2ESession;
} {
  let s: E2ESession | undefined;
  before(async function () {
    const extra = opts.workspace;
    s = await startE2E({
      extensionDevelopmentPath: ROOT,
      ...(extra
        ? {
            prepareWorkspace: (dir: string) => {
              writeDemoWorkspace(dir);
              extra(dir);
            },
          }
        : {}),
      ...opts.launch,
    });
  });
  afterEach(async function () {
    await screenshotOnFailure(this, s);
    if (!opts.keepNotifications) await s?.wb.clearNotifications();
  });
  after(async () => {
    await s?.launched.stop();
  });
  return {
    get session(): E2ESession {
      if (!s) throw new Error('The workbench has not started');
      return s;
    },
  };
}
