/**
 * Runs the official Salesforce CLI (installed by scripts/install-sf-cli.sh into .cache/sf-cli)
 * as a user would, in a private HOME so it never reads or writes the user's own sf config:
 * no telemetry, no update checks, no proxies, the generic keychain.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The project root (this file runs from out/test/sfcli). */
export const ROOT = path.resolve(__dirname, '../../..');
export const SF = path.join(ROOT, '.cache/sf-cli/bin/sf');

export function sfInstalled(): boolean {
  try {
    fs.accessSync(SF, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** What `sf … --json` printed, with its exit code and stderr. */
export interface SfJson<T> {
  exitCode: number;
  status: number;
  result: T;
  /** Error name and message when the command failed. */
  name?: string;
  message?: string;
  warnings?: unknown[];
  stderr: string;
  /** The command as typed, for messages. */
  command: string;
}

/** A private home for the CLI: its config, auth files and logs stay in here. */
export class SfHome {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-sfcli-home-'));

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      // Nothing of the user's own sf/sfdx settings, and no proxies (the emulator is on 127.0.0.1).
      if (/^(SF|SFDX)_/i.test(k) || /^(https?|all|no)_proxy$/i.test(k)) continue;
      env[k] = v;
    }
    return {
      ...env,
      HOME: this.dir,
      USERPROFILE: this.dir,
      XDG_CONFIG_HOME: path.join(this.dir, '.config'),
      XDG_DATA_HOME: path.join(this.dir, '.local/share'),
      XDG_CACHE_HOME: path.join(this.dir, '.cache'),
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_DISABLE_TELEMETRY: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_DISABLE_LOG_FILE: 'true',
      SF_HIDE_RELEASE_NOTES: 'true',
      SF_HIDE_RELEASE_NOTES_FOOTER: 'true',
      SF_NPM_REGISTRY: 'http://127.0.0.1:9',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      ...extra,
    };
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Runs `sf <args> --json` in `cwd` and parses what it printed. Asynchronous, so an emulator in this
 * process keeps answering while the CLI runs.
 */
export function sf<T = Record<string, any>>(home: SfHome, cwd: string, args: string[], env: Record<string, string> = {}): Promise<SfJson<T>> {
  const command = `sf ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    execFile(SF, [...args, '--json'], { cwd, env: home.env(env), maxBuffer: 64 * 1024 * 1024, timeout: 180_000 }, (err, stdout, stderr) => {
      const exitCode = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      const text = stdout.trim();
      const start = text.indexOf('{');
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(start >= 0 ? text.slice(start) : text) as Record<string, unknown>;
      } catch {
        reject(new Error(`${command} printed no JSON (exit ${exitCode}):\n${stdout}\n${stderr}`));
        return;
      }
      resolve({ ...(parsed as object), exitCode, stderr, command } as SfJson<T>);
    });
  });
}

/** The result of a command that must succeed; otherwise an error that shows what the CLI said. */
export async function sfOk<T = Record<string, any>>(home: SfHome, cwd: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const r = await sf<T>(home, cwd, args, env);
  if (r.exitCode !== 0 || r.status !== 0) {
    throw new Error(`${r.command} failed (exit ${r.exitCode}): ${r.name ?? ''} ${r.message ?? ''}\n${JSON.stringify(r.result ?? {}, null, 1).slice(0, 4000)}\n${r.stderr.slice(0, 2000)}`);
  }
  return r.result;
}
