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
 * Stage index of each environment (0 = lowest). Stages follow the roles (development,
 * integration, staging, production); inside one role, an environment promoted to from another
 * of the same role sits one stage higher (e.g. UAT → Pre-prod, both staging). Environments of
 * the same role with no such link share a stage: parallel environments side by side.
 */
export function computeLevels(envs: Environment[], extra: ConnectionSpec[] = []): Map<string, number> {
  const role = new Map(envs.map((e) => [e.name, e.role] as const));
  const sameRoleIncoming = new Map<string, string[]>(envs.map((e) => [e.name, []]));
  const addEdge = (from: string, to: string) => {
    if (from === to || !role.has(from) || role.get(from) !== role.get(to)) return;
    const list = sameRoleIncoming.get(to)!;
    if (!list.includes(from)) list.push(from);
  };
  for (const e of envs) if (e.next !== undefined) addEdge(e.name, e.next);
  for (const c of extra) addEdge(c.from, c.to);

  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // cycle: reported by validation
    visiting.add(name);
    let d = 0;
    for (const p of sameRoleIncoming.get(name) ?? []) d = Math.max(d, depthOf(p) + 1);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  const key = (e: Environment) => ROLE_RANK[e.role] * 1000 + depthOf(e.name);
  const keys = [...new Set(envs.map(key))].sort((a, b) => a - b);
  return new Map(envs.map((e) => [e.name, keys.indexOf(key(e))]));
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

/** The environments `from` promotes to (its `promotion` connections), in connection order. */
export function promotionTargets(connections: readonly Connection[], from: string): string[] {
  return connections.filter((c) => c.kind === 'promotion' && c.from === from).map((c) => c.to);
}
