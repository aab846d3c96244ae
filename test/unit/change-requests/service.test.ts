import * as assert from 'node:assert/strict';
import {
  append,
  changeStatus,
  createRequest,
  editRequest,
  recordTransfer,
  resolve,
  saveResolution,
  verifyChain,
  type ChangeRequest,
  type ChangeRequestStore,
  type HistoryEntry,
  type OpContext,
} from '../../../src/core/change-requests';

const ALICE = { userId: '005000000000001AAA' };
const BOB = { userId: '005000000000002AAA' };

class Conflict extends Error {}

/** A store in memory with the port's contract: versions by lastModified, conflict when stale. */
class MemoryStore implements ChangeRequestStore {
  crs = new Map<string, ChangeRequest>();
  history = new Map<string, HistoryEntry[]>();
  private n = 0;
  private clock = 0;
  async create(cr: ChangeRequest): Promise<ChangeRequest> {
    this.n++;
    const id = `a0${String(this.n).padStart(16, '0')}`;
    const saved = { ...cr, id, number: `CR-${String(this.n).padStart(5, '0')}`, lastModified: String(++this.clock) };
    this.crs.set(id, saved);
    return { ...saved };
  }
  async get(id: string): Promise<ChangeRequest> {
    return { ...this.crs.get(id)! };
  }
  async update(cr: ChangeRequest): Promise<ChangeRequest> {
    const cur = this.crs.get(cr.id!)!;
    if (cur.lastModified !== cr.lastModified) throw new Conflict('stale');
    const saved = { ...cr, lastModified: String(++this.clock) };
    this.crs.set(cr.id!, saved);
    return { ...saved };
  }
  async readHistory(id: string): Promise<HistoryEntry[]> {
    return [...(this.history.get(id) ?? [])];
  }
  async appendHistory(id: string, drafts: Parameters<ChangeRequestStore['appendHistory']>[1]): Promise<HistoryEntry[]> {
    const chain = this.history.get(id) ?? [];
    const added = append(chain, drafts);
    this.history.set(id, [...chain, ...added]);
    return added;
  }
  isConflict(e: unknown): boolean {
    return e instanceof Conflict;
  }
}

const ctx = (store: MemoryStore, actor = ALICE): OpContext => ({ store, actor, now: () => new Date('2026-02-01T10:00:00Z'), knownTypes: ['ApexClass', 'Flow'] });

async function created(store: MemoryStore): Promise<ChangeRequest> {
  const r = await createRequest(ctx(store), { name: 'Greeting', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] });
  assert.ok(r.ok);
  return r.cr;
}

describe('change requests: operations over a store', () => {
  it('create, submit, approve and push leave a verified history with who, when and the comment', async () => {
    const store = new MemoryStore();
    const cr = await created(store);
    const sub = await changeStatus(ctx(store), cr, 'Pending approval');
    assert.ok(sub.ok);
    const appr = await changeStatus(ctx(store, BOB), sub.cr, 'Approved', 'fine');
    assert.ok(appr.ok);
    await recordTransfer(ctx(store), appr.cr, 'pushed', 'uat');
    const h = await store.readHistory(cr.id!);
    assert.deepEqual(h.map((e) => [e.action, e.actorId]), [['created', ALICE.userId], ['status', ALICE.userId], ['approved', BOB.userId], ['pushed', ALICE.userId]]);
    assert.equal(h[2]!.details.comment, 'fine');
    assert.deepEqual(h[2]!.details.changes, [{ field: 'status', label: 'Status', old: 'Pending approval', new: 'Approved' }]);
    assert.equal(h[1]!.at, '2026-02-01T10:00:00.000Z');
    assert.equal(verifyChain(h), undefined);
    assert.equal((await store.get(cr.id!)).status, 'Approved');
  });

  it('refuses what the rules refuse and writes nothing', async () => {
    const store = new MemoryStore();
    const bad = await createRequest(ctx(store), { name: 'x', customizations: [{ type: 'Nope', fullName: 'A' }] });
    assert.equal(bad.ok, false);
    assert.match((bad as { reason: string }).reason, /"Nope" \(for A\) is not a metadata type/);
    assert.equal(store.crs.size, 0);
    const cr = await created(store);
    const sub = await changeStatus(ctx(store), cr, 'Pending approval');
    assert.ok(sub.ok);
    const self = await changeStatus(ctx(store), sub.cr, 'Approved', 'me');
    assert.equal(self.ok, false);
    assert.match((self as { reason: string }).reason, /someone other than its submitter/);
    assert.equal((await store.readHistory(cr.id!)).length, 2, 'no entry for the refused approval');
  });

  it('editing the components of an approved CR sends it back for approval, in the store and the history', async () => {
    const store = new MemoryStore();
    let cr = await created(store);
    cr = ((await changeStatus(ctx(store), cr, 'Pending approval')) as { cr: ChangeRequest }).cr;
    cr = ((await changeStatus(ctx(store, BOB), cr, 'Approved', 'ok')) as { cr: ChangeRequest }).cr;
    const r = await editRequest(ctx(store), cr, { customizations: [{ type: 'Flow', fullName: 'Onboard' }] });
    assert.ok(r.ok);
    assert.equal((await store.get(cr.id!)).status, 'Pending approval');
    assert.deepEqual(r.history.map((e) => e.action), ['edited', 'status']);
  });

  it('a stale edit is not written: it returns the conflict, and the resolution is saved over theirs', async () => {
    const store = new MemoryStore();
    const base = await created(store);
    const theirsWrite = await editRequest(ctx(store, BOB), base, { name: 'Theirs', overview: 'their text' });
    assert.ok(theirsWrite.ok);
    const mine = await editRequest(ctx(store), base, { name: 'Mine' });
    assert.equal(mine.ok, false);
    assert.ok('conflict' in mine);
    assert.match(mine.reason, /changed by someone else meanwhile; choose your version or theirs for: Name/);
    assert.equal((await store.get(base.id!)).name, 'Theirs', 'their edit kept');
    const res = resolve(mine.conflict, { name: 'mine' });
    assert.ok(res.ok);
    const saved = await saveResolution(ctx(store), mine.theirs, res.cr);
    assert.ok(saved.ok);
    const now = await store.get(base.id!);
    assert.equal(now.name, 'Mine');
    assert.equal(now.overview, 'their text');
    assert.equal(verifyChain(await store.readHistory(base.id!)), undefined);
  });

  it('a resolution that picks a status the rules forbid is refused', async () => {
    const store = new MemoryStore();
    const base = await created(store);
    const cancelled = await changeStatus(ctx(store, BOB), base, 'Cancelled');
    assert.ok(cancelled.ok);
    const r = await saveResolution(ctx(store), cancelled.cr, { ...base, status: 'Draft' });
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /Cancelled and can no longer be edited/);
  });
});
