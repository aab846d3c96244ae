/**
 * Pipeline order and effective connections, computed from validated environments.
 * Pure functions over names; validate.ts decides what is valid first.
 */
import { ROLE_RANK, type Connection, type ConnectionSpec, type Environment } from './types';

/** Finds the environments on cycles of `next` (each cycle once, in walking order). */
export function findNextCycles(envs: Environment[]): string[][] {
  const next = new Map(envs.map((e) => [e.name, e.next] as const));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  for (const start of next.keys()) {
    const path: string[] = [];
    let cur: string | undefined = start;
    while (cur !== undefined && next.has(cur) && state.get(cur) === undefined) {
      state.set(cur, 'visiting');
      path.push(cur);
      cur = next.get(cur);
    }
    if (cur !== undefined && state.get(cur) === 'visiting') cycles.push(path.slice(path.indexOf(cur)));
    for (const p of path) state.set(p, 'done');
  }
  return cycles;
}

/**
 * Stage of each environment: the longest chain of promotions leading to it (sources at 0),
 * with production always alone in the last stage. Edges from production are ignored (they
 * are back-promotions). Assumes the promotion graph has no cycle.
 */
export function computeLevels(envs: Environment[], extra: ConnectionSpec[] = []): Map<string, number> {
  const production = new Set(envs.filter((e) => e.role === 'production').map((e) => e.name));
  const incoming = new Map<string, string[]>(envs.map((e) => [e.name, []]));
  const addEdge = (from: string, to: string) => {
    if (production.has(from) || from === to || !incoming.has(to) || !incoming.has(from)) return;
    const list = incoming.get(to)!;
    if (!list.includes(from)) list.push(from);
  };
  for (const e of envs) if (e.next !== undefined) addEdge(e.name, e.next);
  for (const c of extra) addEdge(c.from, c.to);

  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // cycle: reported elsewhere; keep going
    visiting.add(name);
    let d = 0;
    for (const p of incoming.get(name) ?? []) d = Math.max(d, depth(p) + 1);
    visiting.delete(name);
    level.set(name, d);
    return d;
  };
  let top = 0;
  for (const e of envs) if (!production.has(e.name)) top = Math.max(top, depth(e.name));
  for (const e of envs) {
    if (production.has(e.name)) level.set(e.name, Math.max(top + 1, depth(e.name)));
  }
  return level;
}

/** Environments sorted by stage, then role, then file order; and grouped into stages. */
export function orderEnvironments(envs: Environment[], levels: Map<string, number>): { ordered: Environment[]; stages: string[][] } {
  const ordered = envs
    .map((env, index) => ({ env, index, level: levels.get(env.name) ?? 0 }))
    .sort((a, b) => a.level - b.level || ROLE_RANK[a.env.role] - ROLE_RANK[b.env.role] || a.index - b.index);
  const stages: string[][] = [];
  let last: number | undefined;
  for (const x of ordered) {
    if (x.level !== last) stages.push([]);
    stages[stages.length - 1].push(x.env.name);
    last = x.level;
  }
  return { ordered: ordered.map((x) => x.env), stages };
}

/**
 * Effective connections: each environment → its `next`, production → every lower environment
 * (back-promotion), plus any explicit `connections` not already covered.
 */
export function effectiveConnections(ordered: Environment[], explicit: ConnectionSpec[] = []): Connection[] {
  const out: Connection[] = [];
  const seen = new Set<string>();
  const roles = new Map(ordered.map((e) => [e.name, e.role] as const));
  const push = (from: string, to: string, isExplicit: boolean) => {
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) {
      if (isExplicit) out.find((c) => c.from === from && c.to === to)!.explicit = true;
      return;
    }
    seen.add(key);
    out.push({ from, to, kind: roles.get(from) === 'production' ? 'back-promotion' : 'promotion', explicit: isExplicit });
  };
  for (const e of ordered) if (e.next !== undefined && e.role !== 'production') push(e.name, e.next, false);
  for (const c of explicit) push(c.from, c.to, true);
  for (const prod of ordered.filter((e) => e.role === 'production')) {
    for (const e of ordered) if (e.role !== 'production') push(prod.name, e.name, false);
  }
  return out;
}
