import * as assert from 'node:assert/strict';
import { freshnessBeforeSend, SEND_RETRIEVE_MARGIN_MS, type FreshnessInput } from '../../../src/core/promotion';

const GREETER = { type: 'ApexClass', fullName: 'Greeter' };
const FIELD = { type: 'CustomField', fullName: 'Account.Tier__c' };
const SENT = '2026-12-07T10:00:00.000Z';
const minutesBefore = (m: number) => new Date(Date.parse(SENT) - m * 60_000).toISOString();

const input = (extra: Partial<FreshnessInput> = {}): FreshnessInput => ({
  from: 'Dev',
  to: 'UAT',
  components: [GREETER, FIELD],
  listed: new Map([
    ['ApexClass:Greeter', minutesBefore(30)],
    ['CustomField:Account.Tier__c', minutesBefore(60)],
  ]),
  last: { number: 'Q-00012', sentAt: SENT, keys: new Set(['ApexClass:Greeter', 'CustomField:Account.Tier__c']) },
  ...extra,
});

describe('promotion: nothing to send, known from the listing before any retrieve', () => {
  it('nothing modified since the last standing send: unchanged, and the reason names the send, the target and when', () => {
    const v = freshnessBeforeSend(input());
    assert.equal(v.unchanged, true);
    assert.equal(
      (v as { reason: string }).reason,
      'Nothing to send: nothing changed in Dev since Q-00012 was sent to UAT (2026-12-07 10:00 UTC); its 2 components are unchanged since. Change something in Dev, or withdraw or reject that send, to send again.',
    );
  });

  it('a component modified after the send (or within the clock margin before it) makes it a change', () => {
    const listed = (at: string) => new Map([...input().listed, ['ApexClass:Greeter', at]]);
    assert.equal(freshnessBeforeSend(input({ listed: listed(new Date(Date.parse(SENT) + 1000).toISOString()) })).unchanged, false);
    assert.equal(freshnessBeforeSend(input({ listed: listed(minutesBefore(SEND_RETRIEVE_MARGIN_MS / 60_000 - 1)) })).unchanged, false, 'within the margin');
    assert.equal(freshnessBeforeSend(input({ listed: listed(minutesBefore(1)), marginMs: 0 })).unchanged, true, 'with no margin, a minute before is before');
  });

  it('anything not certain counts as a change: no standing send, a component it did not carry, a component not listed or without a date', () => {
    assert.equal(freshnessBeforeSend(input({ last: undefined })).unchanged, false);
    assert.equal(freshnessBeforeSend(input({ components: [GREETER, FIELD, { type: 'ApexClass', fullName: 'Other' }] })).unchanged, false);
    assert.equal(freshnessBeforeSend(input({ listed: new Map([['ApexClass:Greeter', minutesBefore(30)]]) })).unchanged, false, 'deleted in Dev');
    assert.equal(freshnessBeforeSend(input({ listed: new Map([...input().listed, ['ApexClass:Greeter', undefined]]) })).unchanged, false);
    assert.equal(freshnessBeforeSend(input({ components: [] })).unchanged, false);
    assert.equal(freshnessBeforeSend(input({ last: { sentAt: 'garbage', keys: new Set(['ApexClass:Greeter']) } })).unchanged, false);
  });

  it('a send carrying fewer components than the last one is still nothing new; without a number it says "the last send"', () => {
    const v = freshnessBeforeSend(input({ components: [GREETER], last: { sentAt: SENT, keys: new Set(['ApexClass:Greeter', 'CustomField:Account.Tier__c']) } }));
    assert.equal(v.unchanged, true);
    assert.match((v as { reason: string }).reason, /since the last send to UAT \(2026-12-07 10:00 UTC\); its component is unchanged since\./);
  });
});
