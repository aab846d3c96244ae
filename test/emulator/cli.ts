#!/usr/bin/env node
/**
 * Starts emulated orgs and prints one JSON line describing them:
 *   node out/test/emulator/cli.js --orgs prod,uat,dev [--data DIR] [--seed N] [--components N] [--port-base P] [--job-step-ms MS]
 *     [--source-tracking all|none|uat,dev]
 * `--source-tracking`: which sandboxes keep Tooling `SourceMember` rows (default all; production never).
 * Runs until SIGINT/SIGTERM.
 */
import { Emulator } from './index';

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`Unexpected argument: ${a}`);
    const [k, inline] = a.slice(2).split('=', 2);
    const v = inline ?? argv[++i];
    if (v === undefined) throw new Error(`Missing value for --${k}`);
    out[k] = v;
  }
  return out;
}

function intArg(args: Record<string, string>, name: string): number | undefined {
  if (args[name] === undefined) return undefined;
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

function trackingArg(value: string | undefined): boolean | string[] | undefined {
  if (value === undefined) return undefined;
  if (value === 'all') return true;
  if (value === 'none') return false;
  return value.split(',').map((n) => n.trim()).filter(Boolean);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const known = ['orgs', 'data', 'seed', 'components', 'port-base', 'job-step-ms', 'source-tracking'];
  for (const k of Object.keys(args)) if (!known.includes(k)) throw new Error(`Unknown option --${k}`);
  const emu = await Emulator.start({
    orgs: (args.orgs ?? 'prod,uat,dev').split(','),
    dataDir: args.data,
    seed: intArg(args, 'seed'),
    components: intArg(args, 'components'),
    portBase: intArg(args, 'port-base'),
    sourceTracking: trackingArg(args['source-tracking']),
    settings: args['job-step-ms'] !== undefined ? { jobStepMs: intArg(args, 'job-step-ms') } : undefined,
  });
  const { orgs } = emu.info();
  process.stdout.write(
    JSON.stringify({
      orgs: orgs.map((o) => ({
        name: o.name,
        instanceUrl: o.instanceUrl,
        username: o.username,
        accessToken: o.accessToken,
        orgId: o.orgId,
        isSandbox: o.isSandbox,
        sourceTracking: o.sourceTracking,
        users: o.users,
      })),
    }) + '\n',
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await emu.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${(e as Error).message ?? e}\n`);
  process.exit(2);
});
