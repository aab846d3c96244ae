/** Child processes we start (in their own process group, so we can stop all their children), ports, waiting. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';

export interface Started {
  child: ChildProcess;
  /** Output so far (stdout and stderr interleaved), capped to the last 200 kB. */
  output(): string;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startGroup(cmd: string, args: string[], opts: SpawnOptions & { echo?: boolean }): Started {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-200_000);
    if (opts.echo) process.stderr.write(b);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const signalGroup = (sig: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  return {
    child,
    output: () => out,
    async stop(graceMs = 5000) {
      signalGroup('SIGTERM');
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
      if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') signalGroup('SIGKILL');
      // Children of the group may outlive the leader: make sure none is left behind.
      await new Promise((r) => setTimeout(r, 100));
      signalGroup('SIGKILL');
      await exited;
    },
  };
}

/** Resolves when `fn` returns a truthy value; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined> | T | undefined, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message ?? lastError})` : '';
      throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** GET `url`, resolves with the status code (any status counts as "serving"). */
export function httpStatus(url: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free loopback port chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** First of `count` consecutive free loopback ports (the emulator puts org i on base + i). */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = await canListen(base + i);
    if (ok) return base;
  }
  throw new Error(`No ${count} consecutive free ports found on 127.0.0.1`);
}

/** Things to stop, in reverse order of starting; also run on SIGINT/SIGTERM when `onSignals` is called. */
export class Teardown {
  private steps: Array<{ what: string; fn: () => Promise<unknown> | unknown }> = [];
  private running?: Promise<void>;

  add(what: string, fn: () => Promise<unknown> | unknown): void {
    this.steps.push({ what, fn });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const s of this.steps.reverse()) {
        try {
          await s.fn();
        } catch (e) {
          process.stderr.write(`Could not stop ${s.what}: ${(e as Error)?.message ?? e}\n`);
        }
      }
      this.steps = [];
    })();
    return this.running;
  }

  /** Ctrl-C / kill: stop everything, then exit with `code`. */
  onSignals(code = 130): void {
    const handler = (sig: NodeJS.Signals) => {
      process.stderr.write(`\n${sig}: stopping…\n`);
      void this.run().finally(() => process.exit(code));
    };
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
  }
}
