/**
 * The delta's rules, given where each changed path's component is at each side:
 * - an added or modified path deploys its component as it is at TO (a bundle member deploys the
 *   bundle, a field file the field, a static resource file the resource);
 * - a deleted path deletes its component (as it was at FROM) unless the component is still there
 *   at TO (a bundle that lost one file, a resource folder that lost a file): then it is deployed;
 * - a rename is a deletion and an addition, so a renamed class deletes the old one;
 * - a component both deployed and deleted is deployed (nothing is deleted that TO still has);
 * - a path that holds no metadata (README, sfdx-project.json, scripts) is left out and listed.
 */
import { componentKey, type ComponentRef } from '../metadata-types';
import type { PathChange } from './name-status';

export interface ResolvedComponent extends ComponentRef {
  /** Repository-relative files of the component at that side (metadata XML and content). */
  files: string[];
}

/** Where paths resolve to components at each side (SDR's resolver over each commit's tree). */
export interface DeltaSides {
  atTo(path: string): ResolvedComponent[];
  atFrom(path: string): ResolvedComponent[];
  existsAtTo(path: string): boolean;
}

export type ChangeEffect = 'deploy' | 'delete' | 'none';

export interface PlannedChange extends PathChange {
  effect: ChangeEffect;
  components: ComponentRef[];
}

export interface DeltaPlan {
  /** Components to deploy, each with its files at TO. */
  deploy: ResolvedComponent[];
  /** Components to delete after the deploy (destructiveChanges post). */
  destroy: ComponentRef[];
  /** Every changed path with what it does. */
  changes: PlannedChange[];
  /** Changed paths that hold no metadata. */
  ignored: string[];
  /** Files written with only some of their entries (a labels file: the labels deployed). */
  partial?: Record<string, string[]>;
}

const ref = (c: ComponentRef): ComponentRef => ({ type: c.type, fullName: c.fullName });

export function planDelta(changes: readonly PathChange[], sides: DeltaSides): DeltaPlan {
  const deploy = new Map<string, ResolvedComponent>();
  const destroy = new Map<string, ComponentRef>();
  const planned: PlannedChange[] = [];
  const ignored: string[] = [];
  const addDeploy = (c: ResolvedComponent): void => {
    const key = componentKey(c);
    const had = deploy.get(key);
    if (!had) deploy.set(key, { ...ref(c), files: [...c.files] });
    else for (const f of c.files) if (!had.files.includes(f)) had.files.push(f);
  };
  for (const change of changes) {
    if (change.kind !== 'deleted') {
      const found = sides.atTo(change.path);
      found.forEach(addDeploy);
      planned.push({ ...change, effect: found.length ? 'deploy' : 'none', components: found.map(ref) });
      if (!found.length) ignored.push(change.path);
      continue;
    }
    const before = sides.atFrom(change.path);
    if (!before.length) {
      planned.push({ ...change, effect: 'none', components: [] });
      ignored.push(change.path);
      continue;
    }
    let effect: ChangeEffect = 'delete';
    for (const c of before) {
      const remaining = c.files.filter((f) => f !== change.path && sides.existsAtTo(f));
      const still = remaining.flatMap((f) => sides.atTo(f)).filter((t) => componentKey(t) === componentKey(c));
      if (still.length) {
        still.forEach(addDeploy);
        effect = 'deploy';
      } else destroy.set(componentKey(c), ref(c));
    }
    planned.push({ ...change, effect, components: before.map(ref) });
  }
  for (const key of deploy.keys()) destroy.delete(key);
  const byKey = (a: ComponentRef, b: ComponentRef): number => (componentKey(a) < componentKey(b) ? -1 : componentKey(a) > componentKey(b) ? 1 : 0);
  return {
    deploy: [...deploy.values()].map((c) => ({ ...c, files: c.files.sort() })).sort(byKey),
    destroy: [...destroy.values()].sort(byKey),
    changes: planned,
    ignored,
  };
}
