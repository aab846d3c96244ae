/**
 * A private HOME whose sf state (~/.sfdx, ~/.sf) holds the emulated orgs under their aliases.
 * code-server and its extension host run with this HOME, so the user's own sf state is untouched.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AUTHORIZE_SCRIPT, requireFile } from './paths';
import type { TestOrg } from './emulator';

/** Environment for every process that must see the private sf state (and never a proxy: jsforce ignores NO_PROXY). */
export function sfEnv(home: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, HOME: home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_LOG_FILE: 'true' };
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) delete env[k];
  // Tell the sf libraries nothing about the caller's own sf settings.
  for (const k of Object.keys(env)) if (/^(SF|SFDX)_(TARGET|DEFAULT|ACCESS_TOKEN|ORG)/.test(k)) delete env[k];
  return env;
}

export interface SfHome {
  home: string;
  authorized: Array<{ alias: string; username: string }>;
}

/** Authorizes `orgs` in `home` (created when missing) through a child process with HOME=home. */
export async function authorizeInHome(home: string, orgs: TestOrg[]): Promise<SfHome> {
  requireFile(AUTHORIZE_SCRIPT, 'run `npm run compile` first');
  fs.mkdirSync(home, { recursive: true });
  const child = spawn(process.execPath, [AUTHORIZE_SCRIPT], { env: sfEnv(home), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  child.stdin.end(JSON.stringify({ orgs: orgs.map((o) => ({ alias: o.alias, instanceUrl: o.instanceUrl, accessToken: o.accessToken })) }));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  // Warnings about the insecure http:// instance URL are expected; only the exit code decides.
  if (code !== 0) throw new Error(`Authorizing the emulated orgs failed (exit ${code}): ${err.trim().split('\n').slice(-5).join(' | ')}`);
  const line = out.trim().split('\n').pop() ?? '{}';
  const result = JSON.parse(line) as Omit<SfHome, 'home'>;
  return { home, ...result };
}

/** A new throwaway HOME under the OS temp folder with the orgs authorized in it. */
export async function createSfHome(orgs: TestOrg[], prefix = 'changeline-home-'): Promise<SfHome> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return authorizeInHome(home, orgs);
}
