/**
 * Long text fields whose value does not fit (a deployment record's component list past ~2,500
 * components, its facts with the package's file digests): the value is kept as a file linked to
 * the record (ContentVersion, as the package is), and the field holds a pointer to that exact
 * version with its SHA-256, so a reader gets the text back transparently and a changed or missing
 * file is an error, never a different list. A changed value is a new file linked to the record
 * (created by whoever saves, so it needs no edit right on a teammate's file), and the previous one
 * stays: a reader holding the previous pointer still reads what it pointed to.
 */
import { createHash } from 'node:crypto';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { readFileVersion, storeFile } from '../metadata/package-store';
import { text, type Row } from './rows';

/** The length of the long text fields (131,072 characters): a longer value goes to a file. */
export const LONG_TEXT_LIMIT = 131_072;

/** What a spilled field holds. */
interface Pointer {
  changelineFile: { document: string; version: string; sha256: string; chars: number };
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * Values this process wrote or read, by their SHA-256 (a pointer names the digest of its value, so
 * a value held under that digest is the pointed-to value): the record read right after a save, or
 * saved again unchanged, does not download its files again. A few entries, the latest kept.
 */
const known = new Map<string, string>();
const KNOWN_MAX = 6;
function remember(digest: string, value: string): void {
  known.delete(digest);
  known.set(digest, value);
  while (known.size > KNOWN_MAX) known.delete(known.keys().next().value!);
}

/** Forgets the values held (as a new process starts): the next reads download their files. */
export function forgetHeldValues(): void {
  known.clear();
}

/** The pointed-to value: held from an earlier read or write of the same digest, else downloaded and checked. */
async function readPointed(handle: OrgConnection, p: Pointer['changelineFile'], field: string, what: string): Promise<string> {
  const held = known.get(p.sha256);
  if (held !== undefined) return held;
  const value = Buffer.from(await readFileVersion(handle, p.version, `the ${field} of ${what}`)).toString('utf8');
  if (sha256(value) !== p.sha256) {
    throw new SalesforceError('server-error', `The file holding the ${field} of ${what} is not the version the record points to (its content changed); reload, or save the record again.`, undefined, handle.label);
  }
  remember(p.sha256, value);
  return value;
}

/**
 * Stores `value` as a JSON file linked to the record (unless `before` already points to the same
 * value); resolves with the pointer to keep in a field.
 */
export async function storePointed(handle: OrgConnection, recordId: string, value: string, before: Pointer['changelineFile'] | undefined, title: string, what: string): Promise<Pointer['changelineFile']> {
  const digest = sha256(value);
  if (before?.sha256 === digest) {
    remember(digest, value);
    return before;
  }
  const stored = await storeFile(handle, recordId, Buffer.from(value, 'utf8'), `${title}.json`, { contentType: 'application/json', what });
  remember(digest, value);
  return { document: stored.contentDocumentId, version: stored.contentVersionId, sha256: digest, chars: value.length };
}

/** The value a pointer (as storePointed gave it) names, checked against its digest. */
export async function readPointedValue(handle: OrgConnection, p: Pointer['changelineFile'], field: string, what: string): Promise<string> {
  return readPointed(handle, p, field, what);
}

export type FilePointer = Pointer['changelineFile'];

/** The pointer a field holds, if it holds one (a component list or facts are arrays or other objects). */
export function pointerOf(value: unknown): Pointer['changelineFile'] | undefined {
  const raw = text(value);
  if (!raw.startsWith('{"changelineFile"')) return undefined;
  try {
    const p = (JSON.parse(raw) as Pointer).changelineFile;
    if (p && typeof p.document === 'string' && typeof p.version === 'string' && typeof p.sha256 === 'string') return p;
  } catch {
    // not a pointer: read as the field's own value (and refused there if unreadable)
  }
  return undefined;
}

/**
 * `row` with each spilled field's text read back from its file (the row itself when none is).
 * `what` names the record in errors ("deployment record DEP-00001").
 */
export async function readSpilled(handle: OrgConnection, row: Row, fields: readonly string[], what: string): Promise<Row> {
  const spilled = fields.map((f) => [f, pointerOf(row[f])] as const).filter((e): e is readonly [string, Pointer['changelineFile']] => !!e[1]);
  if (spilled.length === 0) return row;
  const out: Row = { ...row };
  await Promise.all(
    spilled.map(async ([field, p]) => {
      out[field] = await readPointed(handle, p, field, what);
    }),
  );
  return out;
}

/**
 * The fields of `fields` to write for the record `recordId`, each value longer than a long text
 * field holds stored as a file linked to the record and replaced by a pointer. `current` is the
 * record's row as stored (its pointers: an unchanged value is not stored again). `name` titles the
 * files ("DEP-00001").
 */
export async function spillFields(handle: OrgConnection, recordId: string, fields: Row, spillable: readonly string[], current: Row | undefined, name: string): Promise<Row> {
  const out: Row = { ...fields };
  for (const field of spillable) {
    const value = fields[field];
    if (typeof value !== 'string' || value.length <= LONG_TEXT_LIMIT) continue;
    const before = current ? pointerOf(current[field]) : undefined;
    const pointer: Pointer = { changelineFile: await storePointed(handle, recordId, value, before, `${name} ${field.replace(/__c$/, '')}`, `the ${field} of ${name}`) };
    out[field] = JSON.stringify(pointer);
  }
  return out;
}

/** Whether any of `spillable` in `fields` is too long for its field. */
export const needsSpill = (fields: Row, spillable: readonly string[]): boolean => spillable.some((f) => typeof fields[f] === 'string' && (fields[f] as string).length > LONG_TEXT_LIMIT);
