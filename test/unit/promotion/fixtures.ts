/** Pipelines and histories shared by the promotion and back-deploy unit tests. */
import { parsePipeline, type Pipeline } from '../../../src/core/pipeline';
import type { DeployedComponent, OrgDeployment } from '../../../src/core/promotion';

type Env = { name: string; role: string; next?: string };

export function pipeline(envs: Env[], connections?: Array<{ from: string; to: string }>): Pipeline {
  const text = JSON.stringify({ version: 1, environments: envs.map((e) => ({ org: e.name.toLowerCase(), ...e })), connections });
  const r = parsePipeline(text);
  if (!r.pipeline) throw new Error(`test pipeline is invalid: ${JSON.stringify(r.diagnostics)}`);
  return r.pipeline;
}

/** Dev → UAT → Production. */
export const THREE = (): Pipeline =>
  pipeline([
    { name: 'Dev', role: 'development', next: 'UAT' },
    { name: 'UAT', role: 'staging', next: 'Production' },
    { name: 'Production', role: 'production' },
  ]);

/** Dev1, Dev2 → UAT → Production. */
export const PARALLEL = (): Pipeline =>
  pipeline([
    { name: 'Dev1', role: 'development', next: 'UAT' },
    { name: 'Dev2', role: 'development', next: 'UAT' },
    { name: 'UAT', role: 'staging', next: 'Production' },
    { name: 'Production', role: 'production' },
  ]);

export const c = (type: string, fullName: string, extra: Partial<DeployedComponent> = {}): DeployedComponent => ({ type, fullName, ...extra });

let n = 0;
/** A succeeded deployment completed at `at` (ISO) with the given components. */
export function deploy(at: string, components: DeployedComponent[] | undefined, extra: Partial<OrgDeployment> = {}): OrgDeployment {
  n++;
  return {
    id: `0Af00000000${String(n).padStart(4, '0')}AAA`,
    status: 'Succeeded',
    checkOnly: false,
    startDate: at,
    completedDate: at,
    createdByName: 'Ana Ruiz',
    components,
    source: 'changeline',
    ...extra,
  };
}

/** A DigestMap from `{ 'ApexClass:Greeter': 'v1', … }`; `undefined` values mean absent. */
export function digests(entries: Record<string, string | undefined>): Map<string, string | undefined> {
  return new Map(Object.entries(entries));
}

export function refused(v: { ok: boolean; reason?: string }, pattern: RegExp): string {
  if (v.ok) throw new Error(`expected a refusal matching ${pattern}`);
  const reason = (v as { reason: string }).reason;
  if (!pattern.test(reason)) throw new Error(`refusal "${reason}" does not match ${pattern}`);
  return reason;
}
