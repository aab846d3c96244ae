/**
 * The pure planning behind promotion and back-deploy, once the components are fingerprinted:
 * deployments behind and the net differences over 500 deployments touching 10,000 components,
 * with out-of-band deploys, validations, deletions and work in progress mixed in.
 */
import { netDifferences } from '../src/core/back-deploy';
import { deploymentsBehind, type OrgDeployment } from '../src/core/promotion';
import type { Bench, BenchRow } from './types';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function history(deployments: number, components: number): { history: OrgDeployment[]; upper: Map<string, string>; lower: Map<string, string | undefined> } {
  const upper = new Map<string, string>();
  const lower = new Map<string, string | undefined>();
  for (let i = 0; i < components; i++) {
    const key = `${i % 3 ? 'ApexClass' : 'CustomField'}:C${i}`;
    upper.set(key, `u${i}`);
    lower.set(key, i % 11 === 0 ? undefined : i % 7 === 0 ? `l${i}` : `u${i}`);
  }
  const keys = [...upper.keys()];
  const per = Math.ceil((components * 2) / deployments); // each component deployed about twice
  const list: OrgDeployment[] = [];
  for (let d = 0; d < deployments; d++) {
    const at = new Date(Date.UTC(2024, 0, 1) + d * 3_600_000).toISOString();
    list.push({
      id: `0Af${String(d).padStart(12, '0')}`,
      status: d % 50 === 7 ? 'Failed' : 'Succeeded',
      checkOnly: d % 25 === 3,
      completedDate: at,
      source: d % 5 === 0 ? 'out-of-band' : 'changeline',
      createdByName: 'Ana Ruiz',
      components: d % 97 === 0 ? undefined : Array.from({ length: per }, (_, j) => {
        const [type, fullName] = keys[(d * per + j) % keys.length].split(':');
        return { type, fullName, state: 'Changed' as const };
      }),
    });
  }
  return { history: list, upper, lower };
}

export const bench: Bench = {
  name: 'promotion-planning',
  description: 'deployments behind and back-deploy net differences over 500 deployments and 10,000 fingerprinted components (pure core)',
  async run({ quick, log }): Promise<BenchRow[]> {
    const { history: h, upper, lower } = history(500, 10_000);
    const runs = quick ? 3 : 9;
    const behindMs: number[] = [];
    const netMs: number[] = [];
    let count = 0;
    let items = 0;
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      const behind = deploymentsBehind({ lower: 'Dev', upper: 'UAT', history: h, upperDigests: upper, lowerDigests: lower });
      behindMs.push(performance.now() - t);
      t = performance.now();
      const net = netDifferences({ lower: 'Dev', upper: 'UAT', deployments: behind.deployments.map((e) => e.deployment), upperDigests: upper, lowerDigests: lower, lastSync: { at: '2024-01-01T00:00:00Z', digests: upper } });
      netMs.push(performance.now() - t);
      count = behind.count;
      items = net.items.length;
    }
    log(`behind: ${count} deployments; net differences: ${items} components; runs ${runs}`);
    return [
      { case: '500 deployments × 10,000 components: deployments behind (median)', wallMs: median(behindMs), notes: { behind: count, runs, goalMs: 1000 } },
      { case: '500 deployments × 10,000 components: back-deploy net differences (median)', wallMs: median(netMs), notes: { components: items, runs } },
    ];
  },
};
