import * as assert from 'node:assert/strict';
import { listingSummary } from '../../../src/shared/compareListing';

const date = (iso: string) => iso.slice(0, 10);

describe('compare panel: how the environments were listed', () => {
  it('says nothing when both were listed in full, or for a result saved before listings were kept', () => {
    assert.equal(listingSummary('Dev', 'UAT', { source: { mode: 'full' }, target: { mode: 'full' } }, date), undefined);
    assert.equal(listingSummary('Dev', 'UAT', undefined, date), undefined);
  });

  it('names each side, the date of the reused listing and the changes source tracking reported', () => {
    assert.equal(
      listingSummary('Dev', 'UAT', { source: { mode: 'tracked', changes: 0, relistedTypes: 0, listedAt: '2026-11-20T10:00:00.000Z' }, target: { mode: 'full' } }, date),
      'Dev: unchanged since its listing of 2026-11-20 (source tracking) · UAT: listed in full. Full refresh lists everything again.',
    );
    assert.equal(
      listingSummary('Dev', 'UAT', { source: { mode: 'full' }, target: { mode: 'tracked', changes: 3, relistedTypes: 1, listedAt: '2026-11-21T00:00:00.000Z' } }, date),
      'Dev: listed in full · UAT: 3 changes since its listing of 2026-11-21 (source tracking), 1 type listed again. Full refresh lists everything again.',
    );
    assert.match(listingSummary('A', 'B', { source: { mode: 'tracked', changes: 1, relistedTypes: 2 }, target: { mode: 'full' } }, date)!, /^A: 1 change since its last listing \(source tracking\), 2 types listed again · B: listed in full/);
  });
});

describe('compare panel: source tracking that could not be read', () => {
  it('says why the org was listed in full', () => {
    assert.equal(
      listingSummary('Dev', 'UAT', { source: { mode: 'full', problem: 'no access' }, target: { mode: 'full' } }, (d) => d),
      'Dev: listed in full (its source tracking could not be read: no access) · UAT: listed in full. Full refresh lists everything again.',
    );
  });
});
