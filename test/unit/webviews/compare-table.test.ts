import * as assert from 'node:assert/strict';
import type { CompareRow } from '../../../src/shared/compareProtocol';
import { DEFAULT_QUERY, isMultiFile, queryRows, type TableQuery } from '../../../src/shared/compareTable';

const rows: CompareRow[] = [
  { type: 'ApexClass', fullName: 'AccountService', status: 'different', differingFiles: [{ path: 'classes/AccountService.cls', change: 'modified' }], sourceModified: '2025-03-01T10:00:00.000Z', targetModified: '2025-01-01T10:00:00.000Z' },
  { type: 'ApexClass', fullName: 'Zeta', status: 'identical', sourceModified: '2025-01-05T10:00:00.000Z', targetModified: '2025-01-05T10:00:00.000Z' },
  { type: 'LightningComponentBundle', fullName: 'accountCard', status: 'different', differingFiles: [{ path: 'lwc/accountCard/accountCard.js', change: 'modified' }, { path: 'lwc/accountCard/accountCard.css', change: 'only-in-source' }] },
  { type: 'Flow', fullName: 'Lead_Flow', status: 'only-in-source', sourceModified: '2025-02-01T10:00:00.000Z' },
  { type: 'CustomField', fullName: 'Account.Tier__c', status: 'only-in-target', targetModified: '2025-02-02T10:00:00.000Z' },
];
const q = (over: Partial<TableQuery>): TableQuery => ({ ...DEFAULT_QUERY, statuses: [], ...over });
const names = (r: CompareRow[]) => r.map((x) => x.fullName);

describe('compare table: filter, search and sort', () => {
  it('hides identical components by default and shows what needs attention first', () => {
    assert.deepEqual(names(queryRows(rows, DEFAULT_QUERY)), ['AccountService', 'accountCard', 'Lead_Flow', 'Account.Tier__c']);
  });

  it('filters by status and by type', () => {
    assert.deepEqual(names(queryRows(rows, q({ statuses: ['identical'] }))), ['Zeta']);
    assert.deepEqual(names(queryRows(rows, q({ type: 'ApexClass' }))), ['AccountService', 'Zeta']);
    assert.deepEqual(names(queryRows(rows, q({ type: 'ApexClass', statuses: ['only-in-source'] }))), []);
  });

  it('searches names, types and differing file paths, ignoring case', () => {
    assert.deepEqual(names(queryRows(rows, q({ text: 'ACCOUNT' }))), ['AccountService', 'accountCard', 'Account.Tier__c']);
    assert.deepEqual(names(queryRows(rows, q({ text: 'flow' }))), ['Lead_Flow']);
    assert.deepEqual(names(queryRows(rows, q({ text: '.css' }))), ['accountCard']);
    assert.deepEqual(names(queryRows(rows, q({ text: '  zeta ' }))), ['Zeta']);
  });

  it('sorts by each column, both ways, with missing dates first when ascending', () => {
    assert.deepEqual(names(queryRows(rows, q({ sort: 'name' }))), ['Account.Tier__c', 'accountCard', 'AccountService', 'Lead_Flow', 'Zeta']);
    assert.deepEqual(names(queryRows(rows, q({ sort: 'name', descending: true }))), ['Zeta', 'Lead_Flow', 'AccountService', 'accountCard', 'Account.Tier__c']);
    assert.deepEqual(names(queryRows(rows, q({ sort: 'type' }))), ['AccountService', 'Zeta', 'Account.Tier__c', 'Lead_Flow', 'accountCard']);
    assert.deepEqual(names(queryRows(rows, q({ sort: 'sourceModified', descending: true })).slice(0, 3)), ['AccountService', 'Lead_Flow', 'Zeta']);
    assert.deepEqual(names(queryRows(rows, q({ sort: 'targetModified' })).slice(0, 2)), ['Lead_Flow', 'accountCard'], 'no date first, then by type');
  });

  it('does not reorder the rows it was given', () => {
    const before = names(rows);
    queryRows(rows, q({ sort: 'name', descending: true }));
    assert.deepEqual(names(rows), before);
  });

  it('opens file by file only a different component with several differing files', () => {
    assert.deepEqual(rows.map(isMultiFile), [false, false, true, false, false]);
  });
});
