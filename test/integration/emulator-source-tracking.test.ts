/**
 * The emulator's source tracking (Tooling `SourceMember`) read through the real @salesforce/core
 * Connection: the query `sf`'s source tracking makes (`WHERE RevisionCounter > N ORDER BY
 * RevisionCounter`) after real SDR deploys, and the INVALID_TYPE a production org (or a sandbox
 * without tracking) answers.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from '@salesforce/core';
import { Emulator } from '../emulator';
import { rawConnection } from './helpers/raw-connection';
import { apexClass, deploySource, deployZip, packageXml } from './helpers/metadata-deploy';

interface Member {
  Id: string;
  MemberType: string;
  MemberName: string;
  MemberIdOrName: string;
  IsNameObsolete: boolean;
  IsNewMember: boolean;
  RevisionCounter: number;
  ChangedBy: string;
  LastModifiedDate: string;
}

const FIELDS = 'Id, MemberType, MemberName, MemberIdOrName, IsNameObsolete, IsNewMember, RevisionCounter, ChangedBy, LastModifiedDate';

async function members(conn: Connection, where = ''): Promise<Member[]> {
  const res = await conn.tooling.query<Member>(`SELECT ${FIELDS} FROM SourceMember ${where} ORDER BY RevisionCounter`);
  return res.records;
}

async function maxRevision(conn: Connection): Promise<number> {
  const res = await conn.tooling.query<{ RevisionCounter: number }>('SELECT RevisionCounter FROM SourceMember ORDER BY RevisionCounter DESC LIMIT 1');
  return res.records[0]?.RevisionCounter ?? 0;
}

async function rejectsInvalidType(p: PromiseLike<unknown>): Promise<void> {
  await assert.rejects(Promise.resolve(p), (e: any) => {
    assert.equal(e.errorCode, 'INVALID_TYPE', `${e.errorCode}: ${e.message}`);
    assert.match(e.message, /sObject type 'SourceMember' is not supported/);
    return true;
  });
}

describe('emulator source tracking (Tooling SourceMember)', function () {
  this.timeout(60000);
  let emu: Emulator;
  let dev: Connection;

  before(async () => {
    emu = await Emulator.start({ orgs: ['prod', 'uat', 'dev'], seed: 3, components: 60, sourceTracking: ['dev'], settings: { jobStepMs: 20 } });
    dev = await rawConnection(emu.org('dev'));
  });
  after(async () => emu?.stop());

  it('starts empty in a seeded sandbox: seeded components are not changes', async () => {
    assert.ok(emu.org('dev').store.listComponents('ApexClass').length > 0, 'the seed gave dev some classes');
    assert.deepEqual(await members(dev), []);
    assert.equal(await maxRevision(dev), 0);
    assert.deepEqual(
      emu.info().orgs.map((o) => [o.name, o.sourceTracking]),
      [['prod', false], ['uat', false], ['dev', true]],
    );
  });

  it('records a deployed new class and an edited one, then a delete and a re-creation, with an increasing RevisionCounter', async () => {
    const org = emu.org('dev');
    const existing = org.store.listComponents('ApexClass')[0];
    const first = await deploySource(dev, apexClass('TrackedNew', 'public class TrackedNew {}\n'));
    assert.equal(first.response.status, 'Succeeded');
    const second = await deploySource(dev, apexClass(existing.fullName, `public class ${existing.fullName} { /* edited */ }\n`));
    assert.equal(second.response.status, 'Succeeded');

    const rows = await members(dev);
    assert.deepEqual(
      rows.map((r) => [r.MemberType, r.MemberName, r.IsNewMember, r.IsNameObsolete]),
      [['ApexClass', 'TrackedNew', true, false], ['ApexClass', existing.fullName, false, false]],
    );
    assert.ok(rows[0].RevisionCounter >= 1 && rows[1].RevisionCounter > rows[0].RevisionCounter, JSON.stringify(rows.map((r) => r.RevisionCounter)));
    assert.equal(rows[0].MemberIdOrName, org.store.getComponent('ApexClass', 'TrackedNew')?.id);
    assert.equal(rows[1].MemberIdOrName, existing.id);
    assert.equal(rows[0].ChangedBy, org.admin.id);
    assert.match(rows[0].Id, /^0MZ/);

    // Deleting through destructive changes: the same row, now obsolete, with a new revision.
    const del = await deployZip(dev, { 'package.xml': packageXml({}), 'destructiveChanges.xml': packageXml({ ApexClass: ['TrackedNew'] }) });
    assert.equal(del.response.status, 'Succeeded');
    const afterDelete = await members(dev);
    const gone = afterDelete.find((r) => r.MemberName === 'TrackedNew')!;
    assert.equal(afterDelete.length, 2, 'one row per component, updated in place');
    assert.equal(gone.Id, rows[0].Id);
    assert.equal(gone.IsNameObsolete, true);
    assert.equal(gone.RevisionCounter, await maxRevision(dev));

    // Re-created: no longer obsolete, new again.
    await deploySource(dev, apexClass('TrackedNew', 'public class TrackedNew { Integer back; }\n'));
    const back = (await members(dev)).find((r) => r.MemberName === 'TrackedNew')!;
    assert.deepEqual([back.Id, back.IsNameObsolete, back.IsNewMember], [rows[0].Id, false, true]);
    assert.ok(back.RevisionCounter > gone.RevisionCounter);
  });

  it('answers WHERE RevisionCounter > N with only the later changes, numerically ordered', async () => {
    const org = emu.org('dev');
    const before = await maxRevision(dev);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    // Eleven changes in one commit: revisions cross a power of ten (text order would put 10 before 9).
    const upserts = Array.from({ length: 11 }, (_, i) => ({ type: 'ApexClass', fullName: `Bulk${i}`, files: { [`classes/Bulk${i}.cls`]: b64(`public class Bulk${i} {}`) } }));
    org.store.commitMetadata(upserts, [], org.users[1].id);
    const later = await members(dev, `WHERE RevisionCounter > ${before}`);
    assert.deepEqual(later.map((r) => r.MemberName), upserts.map((u) => u.fullName));
    assert.deepEqual(later.map((r) => r.RevisionCounter), upserts.map((_, i) => before + 1 + i));
    assert.ok(later.every((r) => r.ChangedBy === org.users[1].id));
    assert.equal(await maxRevision(dev), before + 11);
    assert.deepEqual(await members(dev, `WHERE RevisionCounter > ${before + 11}`), []);
  });

  it('does not exist in production, nor in a sandbox the option leaves out, nor in the data API', async () => {
    const prod = await rawConnection(emu.org('prod'));
    await rejectsInvalidType(prod.tooling.query('SELECT MemberType, MemberName, RevisionCounter FROM SourceMember WHERE RevisionCounter > 0'));
    const uat = await rawConnection(emu.org('uat'));
    emu.org('uat').store.commitMetadata([{ type: 'ApexClass', fullName: 'Quiet', files: {} }], [], emu.org('uat').admin.id);
    await rejectsInvalidType(uat.tooling.query('SELECT MemberType FROM SourceMember'));
    assert.equal(emu.org('uat').store.table('SourceMember').size, 0);
    await rejectsInvalidType(dev.query('SELECT MemberType FROM SourceMember'));
  });
});

describe('emulator source tracking across restarts', function () {
  this.timeout(60000);

  it('keeps the rows and the revision across a restart with a data dir, and empties them on reset', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-st-'));
    const opts = { orgs: ['prod', 'dev'], dataDir, settings: { jobStepMs: 20 } };
    let emu = await Emulator.start(opts);
    try {
      assert.equal((await deploySource(await rawConnection(emu.org('dev')), apexClass('Kept', 'public class Kept {}\n'))).response.status, 'Succeeded');
      await emu.stop();
      emu = await Emulator.start(opts);
      const dev = await rawConnection(emu.org('dev'));
      assert.deepEqual((await members(dev)).map((r) => [r.MemberName, r.RevisionCounter]), [['Kept', 1]]);
      assert.equal((await deploySource(dev, apexClass('Next', 'public class Next {}\n'))).response.status, 'Succeeded');
      assert.deepEqual((await members(dev)).map((r) => [r.MemberName, r.RevisionCounter]), [['Kept', 1], ['Next', 2]]);

      emu.reset();
      assert.deepEqual(await members(dev), []);
      assert.equal(await maxRevision(dev), 0);
      emu.org('dev').store.commitMetadata([{ type: 'ApexClass', fullName: 'Fresh', files: {} }], [], emu.org('dev').admin.id);
      assert.deepEqual((await members(dev)).map((r) => [r.MemberName, r.RevisionCounter]), [['Fresh', 1]]);
    } finally {
      await emu.stop();
    }
  });

  it('rejects an option that names an unknown org or a production org', async () => {
    await assert.rejects(Emulator.start({ orgs: ['prod', 'dev'], sourceTracking: ['qa'] }), /'qa', which is not one of the orgs \(prod, dev\)/);
    await assert.rejects(Emulator.start({ orgs: ['prod', 'dev'], sourceTracking: ['prod'] }), /production orgs never have source tracking/);
  });
});
