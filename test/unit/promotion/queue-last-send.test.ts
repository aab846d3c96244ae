import * as assert from 'node:assert/strict';
import { changedSinceLastSend, lastSendFrom, newQueueEntry, waiting, type QueueEntry } from '../../../src/core/promotion';
import { releaseManagerFields, senderFields, toQueueEntry, withdrawFields } from '../../../src/salesforce/tracking/queue-rows';

function entry(n: number, extra: Partial<QueueEntry> = {}): QueueEntry {
  const r = newQueueEntry({
    target: 'UAT',
    source: 'Dev',
    message: `send ${n}`,
    sender: { name: 'Ana Ruiz', userId: '005A' },
    sentAt: `2024-05-0${n}T10:00:00Z`,
    components: [{ type: 'ApexClass', fullName: 'Greeter' }],
    digests: { 'ApexClass:Greeter': `v${n}` },
  });
  assert.ok(r.ok);
  return { ...r.entry, number: `Q-0000${n}`, id: `a0X00000000000${n}AAA`, ...extra };
}

describe('promotion: the last send and the queue entry in the org', () => {
  it('the last send from an environment is its newest entry not rejected or withdrawn', () => {
    const list = [entry(3, { status: 'Rejected' }), entry(1, { status: 'Deployed' }), entry(2)];
    assert.equal(lastSendFrom(list, 'Dev')?.entry.number, 'Q-00002');
    assert.equal(lastSendFrom(list, 'Dev')?.digests.get('ApexClass:Greeter'), 'v2');
    assert.equal(lastSendFrom(list, 'Dev2'), undefined, 'another source has sent nothing');
    assert.equal(lastSendFrom([entry(1, { status: 'Cancelled', withdrawn: { by: 'Ana', at: 'x' } })], 'Dev'), undefined);
  });

  it('a send equal to the last one is refused; a rejected one does not count', () => {
    const current = new Map([['ApexClass:Greeter', 'v2']]);
    const same = changedSinceLastSend('Dev', 'UAT', current, lastSendFrom([entry(2)], 'Dev'));
    assert.equal(same.ok, false);
    assert.ok(changedSinceLastSend('Dev', 'UAT', current, lastSendFrom([entry(2, { status: 'Rejected' })], 'Dev')).ok);
  });

  it('waiting: queued, failed and deploy-cancelled entries, in order', () => {
    const list = [entry(4, { status: 'Failed' }), entry(1, { status: 'Deployed' }), entry(2), entry(3, { status: 'Rejected' }), entry(5, { status: 'Cancelled', withdrawn: { by: 'Ana', at: 'x' } })];
    assert.deepEqual(waiting(list).map((e) => e.number), ['Q-00002', 'Q-00004']);
  });

  it('maps an entry to its row and back; a blank status reads Queued; the release managers\' fields are apart', () => {
    const e = entry(1, { crs: [{ number: 'CR-00001', id: 'a0100000000000AAA' }], packageFileId: '069000000000001AAA' });
    const sender = senderFields(e);
    assert.equal('Status__c' in sender, false, 'the sender never writes the status');
    const row = { ...sender, Id: e.id, Name: e.number, Version__c: 1, CreatedById: '005A', LastModifiedDate: '2024-05-01T10:00:00.000+0000', Sent_At__c: '2024-05-01T10:00:00.000+0000' };
    const back = toQueueEntry(row);
    assert.equal(back.status, 'Queued');
    assert.deepEqual(back.crs, e.crs);
    assert.deepEqual(back.components, e.components);
    assert.deepEqual(back.digests, e.digests);
    assert.equal(back.sentAt, '2024-05-01T10:00:00.000Z');
    assert.equal(back.sender.userId, '005A');
    const rejected: QueueEntry = { ...back, status: 'Rejected', rejection: { reason: 'No', by: 'Bob', at: '2024-05-02T10:00:00Z' } };
    const rm = releaseManagerFields(rejected);
    assert.deepEqual(Object.keys(rm).sort(), ['Deploy_Id__c', 'Outcome__c', 'Status__c']);
    const again = toQueueEntry({ ...row, ...rm });
    assert.equal(again.status, 'Rejected');
    assert.deepEqual(again.rejection, rejected.rejection);
  });

  it("a withdrawal is the sender's own field: the waiting entry reads Cancelled, withdrawn; a deployed one stays Deployed", () => {
    const e = entry(1);
    const row = { ...senderFields(e), Id: e.id, Name: e.number, Version__c: 1, CreatedById: '005A', Sent_At__c: '2024-05-01T10:00:00.000+0000' };
    const w = withdrawFields({ withdrawn: { by: 'Ana', at: '2024-05-02T10:00:00Z' } });
    assert.deepEqual(Object.keys(w), ['Withdrawn__c'], 'no release-manager field is written');
    const back = toQueueEntry({ ...row, ...w });
    assert.equal(back.status, 'Cancelled');
    assert.deepEqual(back.withdrawn, { by: 'Ana', at: '2024-05-02T10:00:00Z' });
    assert.equal(lastSendFrom([back], 'Dev'), undefined, 'withdrawn changes may be sent again');
    assert.equal(toQueueEntry({ ...row, ...w, Status__c: 'Deployed' }).status, 'Deployed');
  });

  it('an outcome edited into garbage in the org gives a clear error', () => {
    assert.throws(() => toQueueEntry({ Id: 'a0X000000000001AAA', Name: 'Q-00009', Outcome__c: '[1' }), /Outcome__c of queue entry Q-00009 is not a JSON object Changeline can read .* fix or clear it in the org/);
  });
});
