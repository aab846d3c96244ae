/**
 * Three-way comparison of change requests (base = the copy both sides started from, mine = the
 * local edit, theirs = what the org has now): fields changed on one side merge by themselves;
 * fields changed differently on both sides are conflicts the user resolves field by field.
 */
import { canonicalJson } from './history';
import { TRACKED_FIELDS, type ChangeRequest, type TrackedField } from './model';

export interface FieldConflict {
  field: TrackedField;
  label: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface MergeResult {
  /** Theirs with every one-sided change applied (conflicting fields keep their value). */
  merged: ChangeRequest;
  /** Fields taken from mine because only mine changed them. */
  fromMine: TrackedField[];
  /** Fields taken from theirs because only theirs changed them. */
  fromTheirs: TrackedField[];
  conflicts: FieldConflict[];
}

export type Choice = 'mine' | 'theirs';

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

export function threeWay(base: ChangeRequest, mine: ChangeRequest, theirs: ChangeRequest): MergeResult {
  const merged: ChangeRequest = { ...theirs };
  const fromMine: TrackedField[] = [];
  const fromTheirs: TrackedField[] = [];
  const conflicts: FieldConflict[] = [];
  for (const field of Object.keys(TRACKED_FIELDS) as TrackedField[]) {
    const b = base[field];
    const m = mine[field];
    const t = theirs[field];
    const mineChanged = !same(b, m);
    const theirsChanged = !same(b, t);
    if (mineChanged && theirsChanged && !same(m, t)) {
      conflicts.push({ field, label: TRACKED_FIELDS[field], base: b, mine: m, theirs: t });
    } else if (mineChanged && !theirsChanged) {
      (merged as unknown as Record<string, unknown>)[field] = m;
      fromMine.push(field);
    } else if (theirsChanged) {
      fromTheirs.push(field);
    }
  }
  return { merged, fromMine, fromTheirs, conflicts };
}

/**
 * The CR after the user chose a side for every conflicting field. Refuses (with what to do) when
 * a conflict has no choice.
 */
export function resolve(result: MergeResult, choices: Partial<Record<TrackedField, Choice>>): { ok: true; cr: ChangeRequest } | { ok: false; reason: string } {
  const missing = result.conflicts.filter((c) => choices[c.field] !== 'mine' && choices[c.field] !== 'theirs');
  if (missing.length) {
    return { ok: false, reason: `Choose your version or theirs for: ${missing.map((c) => c.label).join(', ')}.` };
  }
  const cr: ChangeRequest = { ...result.merged };
  for (const c of result.conflicts) {
    (cr as unknown as Record<string, unknown>)[c.field] = choices[c.field] === 'mine' ? c.mine : c.theirs;
  }
  return { ok: true, cr };
}
