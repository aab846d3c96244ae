import * as assert from 'node:assert/strict';
import { compareResultToCsv, csvCell } from '../../../src/core/compare/csv';
import type { CompareItem } from '../../../src/core/compare/types';

/** A small RFC 4180 reader, to check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  assert.equal(cell, '', 'ends with CRLF');
  return rows;
}

describe('compare: CSV export', () => {
  it('writes a header and one row per item, with differing files and dates', () => {
    const items: CompareItem[] = [
      {
        type: 'LightningComponentBundle',
        fullName: 'orderTable',
        status: 'different',
        differingFiles: [
          { path: 'lwc/orderTable/orderTable.html', change: 'modified' },
          { path: 'lwc/orderTable/utils.js', change: 'only-in-source' },
        ],
        sourceModified: '2024-01-01T00:00:00.000Z',
        targetModified: '2024-02-01T00:00:00.000Z',
      },
      { type: 'ApexClass', fullName: 'Only', status: 'only-in-source', sourceModified: '2024-01-01T00:00:00.000Z' },
    ];
    const csv = compareResultToCsv({ items });
    assert.ok(csv.endsWith('\r\n'));
    assert.deepEqual(parseCsv(csv), [
      ['status', 'type', 'fullName', 'differingFiles', 'sourceModified', 'targetModified'],
      [
        'different',
        'LightningComponentBundle',
        'orderTable',
        'lwc/orderTable/orderTable.html; lwc/orderTable/utils.js (only in source)',
        '2024-01-01T00:00:00.000Z',
        '2024-02-01T00:00:00.000Z',
      ],
      ['only-in-source', 'ApexClass', 'Only', '', '2024-01-01T00:00:00.000Z', ''],
    ]);
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
    const item: CompareItem = { type: 'Layout', fullName: 'Account-Account Layout, "Sales"\r\nv2', status: 'identical' };
    assert.equal(parseCsv(compareResultToCsv({ items: [item] }))[1][2], item.fullName);
  });

  it('neutralizes cells a spreadsheet would run as formulas', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\r=1']) {
      const cell = csvCell(evil);
      const value = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      assert.equal(value, `'${evil}`, JSON.stringify(evil));
    }
    const item: CompareItem = { type: 'CustomLabels', fullName: '=1+2,x', status: 'only-in-target' };
    assert.equal(parseCsv(compareResultToCsv({ items: [item] }))[1][2], "'=1+2,x");
    assert.equal(csvCell('a=b'), 'a=b', 'only a leading sign is dangerous');
  });
});
