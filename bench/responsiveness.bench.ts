/**
 * How quickly the Salesforce layer answers when work is cancelled or an org fails, against the
 * in-process emulator (the integration tests check what happens; the time it takes is measured
 * here). Cases:
 *   - a running deploy cancelled through its AbortSignal, until deploy() returns "canceled"
 *     (goal < 20 s; the emulator takes 400 ms per job step);
 *   - a retrieve aborted 100 ms after it started, until it rejects as cancelled (goal < 5 s);
 *   - a connection test of an org that is down, until it reports "unreachable" (goal < 5 s: no
 *     long retrying);
 *   - a connection test with 150 ms of added latency per request (it still answers; at least 150 ms).
 */
import { Emulator } from '../test/emulator';
import { tempProject, writeClass } from '../test/integration/helpers/project';
import { authorizeWithToken, connect, deploy, removeAuthorization, retrieve, testConnection, type OrgConnection } from '../src/salesforce';
import type { Bench, BenchRow } from './types';

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T | Error; ms: number }> {
  const t0 = performance.now();
  try {
    return { value: await fn(), ms: performance.now() - t0 };
  } catch (e) {
    return { value: e as Error, ms: performance.now() - t0 };
  }
}

export const bench: Bench = {
  name: 'responsiveness',
  description: 'time to answer a cancelled deploy or retrieve, an org that is down, an org with latency',
  async run({ log }): Promise<BenchRow[]> {
    const emu = await Emulator.start({ orgs: ['dev', 'uat'], seed: 1, components: 80, settings: { jobStepMs: 20 } });
    const proj = tempProject('changeline-bench-resp-');
    const conns: OrgConnection[] = [];
    const rows: BenchRow[] = [];
    const row = (c: string, ms: number, goalMs: number, outcome: string): void => {
      rows.push({ case: c, wallMs: ms, notes: { outcome, goal: `<${goalMs}`, met: ms < goalMs } });
      log(`${c}: ${Math.round(ms)} ms (${outcome}; goal < ${goalMs} ms)`);
    };
    try {
      for (const o of emu.info().orgs) conns.push(await authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: `bench-resp-${o.name}` }));
      const [dev] = conns;

      emu.org('dev').settings.jobStepMs = 400;
      writeClass(proj, 'Slow', 'public class Slow {\n}\n');
      const ac = new AbortController();
      const d = await timed(() =>
        deploy(dev, { sourcePaths: [proj.dir], pollMs: 20, signal: ac.signal, onProgress: (p) => p.status === 'InProgress' && ac.abort() }),
      );
      row('deploy cancelled by its signal', d.ms, 20_000, d.value instanceof Error ? `error: ${d.value.message}` : d.value.canceled ? 'canceled' : String(d.value.status));

      const cls = emu.org('dev').store.listComponents('ApexClass')[0]!.fullName;
      const rc = new AbortController();
      setTimeout(() => rc.abort(), 100);
      const r = await timed(() => retrieve(dev, [{ type: 'ApexClass', fullName: cls }], `${proj.root}/force-app`, { pollMs: 20, signal: rc.signal }));
      row('retrieve aborted after 100 ms', r.ms, 5_000, r.value instanceof Error ? String((r.value as Error & { kind?: string }).kind) : 'finished');
      emu.org('dev').settings.jobStepMs = 20;

      const uat = await connect('bench-resp-uat');
      await emu.org('uat').setDown(true);
      const u = await timed(() => testConnection(uat));
      row('connection test of an org that is down', u.ms, 5_000, u.value instanceof Error ? String((u.value as Error & { kind?: string }).kind) : 'answered');
      await emu.org('uat').setDown(false);

      emu.org('dev').faults.latencyMs = 150;
      const l = await timed(async () => testConnection(await connect('bench-resp-dev')));
      rows.push({ case: 'connection test with 150 ms latency per request', wallMs: l.ms, notes: { outcome: l.value instanceof Error ? l.value.message : 'answered', latencyApplied: l.ms >= 150 } });
      log(`connection test with 150 ms latency: ${Math.round(l.ms)} ms`);
      emu.org('dev').faults.clear();
      return rows;
    } finally {
      proj.remove();
      for (const c of conns) await removeAuthorization(c.username).catch(() => undefined);
      await emu.stop();
    }
  },
};
