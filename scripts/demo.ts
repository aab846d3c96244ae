#!/usr/bin/env node
/**
 * `npm run demo`: Changeline in a real VS Code (code-server) against three emulated orgs.
 *
 *   node out/scripts/demo.js [--port 8080] [--dir ~/.cache/changeline-demo] [--fresh] [--host floor|latest]
 *
 * - emulated orgs prod, uat, dev seeded with realistic metadata that differs between them
 *   (seed 1), persisted under <dir>/orgs so changes survive a restart (--fresh starts over);
 * - the orgs authorized under aliases prod/uat/dev in a private sf state folder (<dir>/home, the
 *   HOME of code-server): your own ~/.sfdx is never read or written;
 * - a demo sfdx project with a pipeline file in <dir>/workspace (by default outside this project's
 *   git repository, so VS Code does not offer to open the parent repository: demo/dir.ts);
 * - code-server on 127.0.0.1:PORT with this project's extension (a link to this folder in
 *   <dir>/code-server/extensions: rebuild with `npm run build` and reload the window to see changes).
 * Ctrl-C stops all of it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import './host/select-host-arg';
import { launchVsCode, type Launched } from './host/launch';
import { ROOT, requireBuilt } from './host/paths';
import { defaultDemoDir, keepOutOfParentRepository } from './demo/dir';
import { writeDemoWorkspace } from './demo/workspace';
import { linkExtension } from './host/link-extension';

export interface DemoOptions {
  port?: number;
  /** Where the demo keeps its orgs, HOME, workspace and VS Code state (default ~/.cache/changeline-demo). */
  dir?: string;
  /** Forget the orgs' data and the VS Code state first. */
  fresh?: boolean;
}

export interface Demo {
  /** The URL to open. */
  url: string;
  launched: Launched;
  stop(): Promise<void>;
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  requireBuilt();
  const dir = path.resolve(opts.dir ?? defaultDemoDir());
  if (opts.fresh) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const extensionsDir = path.join(dir, 'code-server', 'extensions');
  linkExtension(extensionsDir, ROOT);
  const launched = await launchVsCode({
    baseDir: dir,
    emulator: { seed: 1, dataDir: path.join(dir, 'orgs'), jobStepMs: 400 },
    prepareWorkspace: (ws) => {
      writeDemoWorkspace(ws);
      keepOutOfParentRepository(ws);
    },
    extensionsDir,
    port: opts.port ?? 8080,
    browser: false,
  });
  await seedOrgs(launched);
  const url = `${launched.server.origin}/?folder=${encodeURIComponent(launched.workspace)}`;
  return { url, launched, stop: () => launched.stop() };
}

/**
 * First start: change tracking in Dev and UAT, a few change requests, and the demo project deployed
 * to Dev and (an older version) to UAT (demo/seed-orgs.ts).
 * Asynchronous: the emulated orgs answer from this process.
 */
async function seedOrgs(launched: Launched): Promise<void> {
  const script = path.join(ROOT, 'out', 'scripts', 'demo', 'seed-orgs.js');
  const child = spawn(process.execPath, [script, launched.workspace], { env: launched.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const timer = setTimeout(() => child.kill(), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  // The demo still runs without them: say so, and how to get them.
  if (code !== 0) process.stderr.write(`Could not set up the demo's change requests and source (${err.trim().split('\n').pop() || `exit ${code}`}); start with --fresh to try again.\n`);
}

function parseArgs(argv: string[]): DemoOptions {
  const o: DemoOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') {
      o.port = Number(argv[++i]);
      if (!Number.isInteger(o.port) || o.port <= 0 || o.port > 65535) throw new Error('--port needs a port number (1-65535)');
    } else if (a === '--dir') o.dir = argv[++i];
    else if (a === '--fresh') o.fresh = true;
    else if (a === '--host') i++; // the VS Code host, applied by ./host/select-host-arg
    else throw new Error(`Unknown option ${a} (expected --port N, --dir FOLDER, --fresh, --host floor|latest)`);
  }
  return o;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  let demo: Demo | undefined;
  let stopping = false;
  const stop = (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${sig}: stopping the demo…\n`);
    // During start-up there is nothing to stop yet: stop right after it completes.
    if (demo) void demo.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.stdout.write('Starting the emulated orgs and VS Code…\n');
  demo = await startDemo(opts);
  if (stopping) {
    await demo.stop();
    process.exit(0);
  }
  const orgs = demo.launched.handoff.orgs.map((o) => `  ${o.alias.padEnd(5)} ${o.username.padEnd(28)} ${o.instanceUrl}`).join('\n');
  process.stdout.write(
    [
      '',
      'Changeline demo is running.',
      '',
      `  Open ${demo.url}`,
      '',
      "Emulated orgs (authorized only in the demo's private sf state folder):",
      orgs,
      '',
      `Demo data: ${path.dirname(demo.launched.workspace)} (workspace, orgs, home). Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`demo: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  });
}
