/**
 * Semantic checks of the pipeline file, each problem a diagnostic with a range and a message
 * saying what to fix; and, when there is no error, the ordered pipeline.
 */
import type { OrgAuthorization } from '../orgs';
import { computeLevels, effectiveConnections, findNextCycles, orderEnvironments } from './graph';
import { readPipelineText, type ConnectionEntry, type EnvironmentEntry } from './read';
import type { ConnectionSpec, DiagnosticCode, DiagnosticSeverity, PipelineDiagnostic, PipelineResult, Range } from './types';

export interface ValidateOptions {
  /**
   * Orgs the user has authorized. When given, an `org` that is neither an alias nor a username
   * of one of them is reported. Omit to skip that check (e.g. before authorizations are known).
   */
  authorizations?: readonly OrgAuthorization[];
}

export function findAuthorization(org: string, auths: readonly OrgAuthorization[]): OrgAuthorization | undefined {
  const lower = org.toLowerCase();
  return (
    auths.find((a) => a.aliases.includes(org)) ??
    auths.find((a) => a.username.toLowerCase() === lower)
  );
}

export function parsePipeline(text: string, options: ValidateOptions = {}): PipelineResult {
  const read = readPipelineText(text);
  const diagnostics: PipelineDiagnostic[] = [...read.diagnostics];
  const add = (code: DiagnosticCode, range: Range, message: string, severity: DiagnosticSeverity = 'error') =>
    diagnostics.push({ code, severity, range, message });

  // Names: unique; keep the first of each.
  const byName = new Map<string, EnvironmentEntry>();
  for (const e of read.environments) {
    if (!e.env.name) continue;
    if (byName.has(e.env.name)) {
      add('duplicate-name', e.ranges.name, `The name "${e.env.name}" is used by another environment. Give each environment its own name.`);
      e.complete = false;
    } else byName.set(e.env.name, e);
  }
  const known = [...byName.keys()];
  const suggestion = known.length ? ` Known environments: ${known.map((n) => `"${n}"`).join(', ')}.` : '';

  for (const e of byName.values()) {
    const next = e.env.next;
    if (next !== undefined && !byName.has(next)) {
      add('unknown-next', e.ranges.next!, `"next" names "${next}", which is not an environment in this file.${suggestion}`);
    }
  }

  const productions = [...byName.values()].filter((e) => e.env.role === 'production' && e.complete);
  for (const extra of productions.slice(1)) {
    add('two-productions', extra.ranges.role, `Only one environment can have the role "production"; "${productions[0].env.name}" already has it. Use "staging" for "${extra.env.name}".`);
  }
  for (const p of productions) {
    if (p.env.next !== undefined) {
      add('production-next', p.ranges.next!, `Production is the last stage: remove "next" from "${p.env.name}" (back-promotion to lower environments is automatic).`, 'warning');
    }
  }

  const usable = [...byName.values()].filter((e) => e.complete);
  const envs = usable.map((e) => e.env);
  for (const cycle of findNextCycles(envs)) {
    const loop = [...cycle, cycle[0]].map((n) => `"${n}"`).join(' → ');
    for (const name of cycle) {
      add('cycle', byName.get(name)!.ranges.next!, `"next" forms a cycle (${loop}). Changes must flow up to production; break the cycle.`);
    }
  }

  const connections = checkConnections(read.connections ?? [], byName, add, suggestion);

  if (options.authorizations) {
    for (const e of usable) {
      if (!findAuthorization(e.env.org, options.authorizations)) {
        add(
          'unknown-org',
          e.ranges.org,
          `No authorized org has the alias or username "${e.env.org}". Authorize it (Changeline: Add Environment…, or \`sf org login web --alias ${e.env.org}\`) or fix "org".`,
          'warning',
        );
      }
    }
  }

  if (read.environments.length === 0 && !diagnostics.some((d) => d.severity === 'error')) {
    add('no-environments', read.rootRange, 'The pipeline has no environments yet. Add one with "Changeline: Add Environment…".', 'warning');
  }

  const hasError = diagnostics.some((d) => d.severity === 'error');
  if (!hasError) {
    const levels = computeLevels(envs, connections.map((c) => c.spec));
    checkStages(connections, byName, levels, add);
  }
  sortDiagnostics(diagnostics);
  const environments = read.environments.map((e) => e.env);
  if (diagnostics.some((d) => d.severity === 'error')) return { environments, diagnostics };

  const levels = computeLevels(envs, connections.map((c) => c.spec));
  const { ordered, stages } = orderEnvironments(envs, levels);
  return {
    environments,
    diagnostics,
    pipeline: { environments: ordered, stages, connections: effectiveConnections(ordered, connections.map((c) => c.spec)) },
  };
}

type Adder = (code: DiagnosticCode, range: Range, message: string, severity?: DiagnosticSeverity) => void;

function checkConnections(entries: ConnectionEntry[], byName: Map<string, EnvironmentEntry>, add: Adder, suggestion: string): ConnectionEntry[] {
  const valid: ConnectionEntry[] = [];
  for (const c of entries) {
    let ok = true;
    for (const side of ['from', 'to'] as const) {
      if (!byName.has(c.spec[side])) {
        add('unknown-connection-target', c.ranges[side], `Connection "${side}" names "${c.spec[side]}", which is not an environment in this file.${suggestion}`);
        ok = false;
      }
    }
    if (ok && c.spec.from === c.spec.to) {
      add('self-connection', c.ranges.entry, `A connection from "${c.spec.from}" to itself does nothing. Remove it.`);
      ok = false;
    }
    if (ok) valid.push(c);
  }
  return valid;
}

/** Connections must go up one stage at a time; only production may go down (back-promotion). */
function checkStages(connections: ConnectionEntry[], byName: Map<string, EnvironmentEntry>, levels: Map<string, number>, add: Adder): void {
  const stageNames = (lvl: number) =>
    [...levels].filter(([, l]) => l === lvl).map(([n]) => `"${n}"`).join(' or ');
  const check = (spec: ConnectionSpec, range: Range, what: string) => {
    const from = byName.get(spec.from)!.env;
    if (from.role === 'production') return;
    const a = levels.get(spec.from) ?? 0;
    const b = levels.get(spec.to) ?? 0;
    if (b - a > 1) {
      add('skipped-stage', range, `${what} "${spec.from}" → "${spec.to}" skips a stage (${stageNames(a + 1)}). Promote to the next stage instead, one step at a time.`);
    } else if (b <= a) {
      add('backward-connection', range, `${what} "${spec.from}" → "${spec.to}" does not go up the pipeline. Only production sends changes back down; remove it or point it to a higher stage.`);
    }
  };
  for (const e of byName.values()) {
    if (e.complete && e.env.next !== undefined && e.env.role !== 'production' && byName.get(e.env.next)?.complete) {
      check({ from: e.env.name, to: e.env.next }, e.ranges.next!, '"next"');
    }
  }
  for (const c of connections) check(c.spec, c.ranges.entry, 'Connection');
}

function sortDiagnostics(list: PipelineDiagnostic[]): void {
  list.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}
