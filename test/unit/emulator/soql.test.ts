import * as assert from 'node:assert/strict';
import { caseSafeSuffix } from '../../../test/emulator/ids';
import type { SRecord } from '../../../test/emulator/store';
import type { ObjectDef } from '../../../test/emulator/rest/schema-types';
import { runQuery, type QuerySource } from '../../../test/emulator/rest/soql-eval';
import { parseSoql, SoqlError } from '../../../test/emulator/rest/soql-parser';
import { queryColumns } from '../../../test/emulator/rest/query-columns';
import { standardObjects } from '../../../test/emulator/rest/standard-objects';

const id = (prefix: string, n: number) => {
  const id15 = `${prefix}A00000000${String(n).padStart(3, '0')}`;
  return id15 + caseSafeSuffix(id15);
};

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const day = (offset: number) => new Date(NOW + offset * 86400000).toISOString().replace('Z', '+0000');

const USERS: SRecord[] = [
  { Id: id('005', 1), Name: 'Ada Admin', Username: 'ada@x.test', IsActive: true },
  { Id: id('005', 2), Name: 'Rae Reviewer', Username: 'rae@x.test', IsActive: true },
];
const ACCOUNTS: SRecord[] = [
  { Id: id('001', 1), Name: 'Acme', Industry: 'Retail', NumberOfEmployees: 50, OwnerId: USERS[0].Id, CreatedById: USERS[0].Id, CreatedDate: day(0), IsDeleted: false },
  { Id: id('001', 2), Name: 'beta corp', Industry: 'Banking', NumberOfEmployees: 5, OwnerId: USERS[1].Id, CreatedById: USERS[1].Id, CreatedDate: day(-3), IsDeleted: false },
  { Id: id('001', 3), Name: "O'Brien & Sons", Industry: null, NumberOfEmployees: null, OwnerId: USERS[1].Id, CreatedById: USERS[0].Id, CreatedDate: day(-40), IsDeleted: false, ParentId: id('001', 1) },
  { Id: id('001', 4), Name: '100% Organic', Industry: 'Retail', NumberOfEmployees: 500, OwnerId: USERS[0].Id, CreatedById: USERS[0].Id, CreatedDate: day(-1), IsDeleted: true },
];
const CONTACTS: SRecord[] = [
  { Id: id('003', 1), LastName: 'Lovelace', FirstName: 'Ada', AccountId: ACCOUNTS[2].Id, Birthdate: '1815-12-10', IsDeleted: false },
  { Id: id('003', 2), LastName: 'Hopper', FirstName: 'Grace', AccountId: null, Birthdate: '1906-12-09', IsDeleted: false },
];

function source(): QuerySource {
  const objects = new Map<string, ObjectDef>(standardObjects({ sourceTracking: false }).map((o) => [o.name.toLowerCase(), o]));
  const tables: Record<string, SRecord[]> = { User: USERS, Account: ACCOUNTS, Contact: CONTACTS };
  return {
    object: (n) => objects.get(n.toLowerCase()),
    rows: (o, includeDeleted) => (tables[o.name] ?? []).filter((r) => includeDeleted || r.IsDeleted !== true),
    byId: (rid) => {
      for (const [name, rows] of Object.entries(tables)) {
        const rec = rows.find((r) => r.Id === rid && r.IsDeleted !== true);
        if (rec) return { obj: objects.get(name.toLowerCase()) as ObjectDef, rec };
      }
      return undefined;
    },
  };
}

function q(soql: string, includeDeleted = false) {
  return runQuery(parseSoql(soql), source(), { includeDeleted, urlBase: '/services/data/v62.0', now: NOW });
}
const names = (soql: string) => q(soql).records.map((r) => r.Name ?? r.LastName);

function fails(soql: string, code: string, pattern?: RegExp) {
  assert.throws(
    () => q(soql),
    (e: unknown) => e instanceof SoqlError && e.errorCode === code && (!pattern || pattern.test(e.message)),
    `${soql} should fail with ${code}`,
  );
}

describe('emulator SOQL', () => {
  describe('parsing', () => {
    it('parses fields, filters, order, limit and offset', () => {
      const p = parseSoql("select Id, Owner.Name from Account where (Name like 'A%' or Industry = null) and not NumberOfEmployees > 10 order by Name desc nulls first, Id limit 5 offset 2");
      assert.equal(p.from, 'Account');
      assert.deepEqual(p.select.map((s) => (s.kind === 'field' ? s.path.join('.') : 'count')), ['Id', 'Owner.Name']);
      assert.equal(p.where?.kind, 'and');
      assert.deepEqual(p.orderBy.map((o) => [o.path.join('.'), o.desc, o.nullsLast]), [['Name', true, false], ['Id', false, false]]);
      assert.equal(p.limit, 5);
      assert.equal(p.offset, 2);
    });

    it('reads string escapes', () => {
      const p = parseSoql("SELECT Id FROM Account WHERE Name = 'O\\'Brien \\\\ \\n'");
      assert.ok(p.where?.kind === 'compare' && p.where.value.kind === 'string');
      assert.equal(p.where.value.kind === 'string' && p.where.value.value, "O'Brien \\ \n");
    });

    for (const bad of [
      'SELECT FROM Account',
      'SELECT Id Account',
      'SELECT Id FROM Account WHERE',
      "SELECT Id FROM Account WHERE Name = 'unterminated",
      "SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'",
      'SELECT Id FROM Account LIMIT -1',
      'SELECT Id FROM Account ORDER Name',
      'SELECT Id FROM Account WHERE Name ~ 1',
      '',
    ]) {
      it(`rejects malformed: ${JSON.stringify(bad)}`, () => {
        assert.throws(() => parseSoql(bad), (e: unknown) => e instanceof SoqlError && e.errorCode === 'MALFORMED_QUERY');
      });
    }

    it('answers arbitrary input with MALFORMED_QUERY, never another error', () => {
      const atoms = ['SELECT', 'FROM', 'WHERE', 'Id', 'Name', 'Owner.Name', 'Account', '(', ')', ',', "'x'", "'", '=', '!=', 'LIKE', 'IN', 'NOT', 'AND', 'OR', '5', '-1.5', 'TODAY', 'LAST_N_DAYS', ':', 'ORDER', 'BY', 'LIMIT', 'NULLS', 'COUNT()', '2025-01-01', '\\', '%', '@'];
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      for (let n = 0; n < 2000; n++) {
        const len = 1 + Math.floor(rnd() * 14);
        const text = (rnd() < 0.5 ? 'SELECT Id FROM Account WHERE ' : '') + Array.from({ length: len }, () => atoms[Math.floor(rnd() * atoms.length)]).join(' ');
        try {
          q(text);
        } catch (e) {
          assert.ok(e instanceof SoqlError, `${text} threw ${String(e)}`);
        }
      }
    });

    it('refuses absurdly nested or long queries cleanly', () => {
      fails(`SELECT Id FROM Account WHERE ${'('.repeat(5000)}Name = 'x'${')'.repeat(5000)}`, 'MALFORMED_QUERY', /nested/);
      fails(`SELECT Id FROM Account WHERE ${'NOT '.repeat(5000)}Name = 'x'`, 'MALFORMED_QUERY', /nested/);
      fails(`SELECT Id FROM Account WHERE Name = '${'x'.repeat(100001)}'`, 'MALFORMED_QUERY', /too long/);
    });

    it('points at the offending token like Salesforce does', () => {
      assert.throws(
        () => parseSoql('SELECT Id FROM Account WHERE Name = = 1'),
        (e: unknown) => e instanceof SoqlError && /ERROR at Row:1:Column:37\nunexpected token: '='/.test(e.message),
      );
    });
  });

  describe('evaluation', () => {
    it('filters text case-insensitively and skips deleted rows', () => {
      assert.deepEqual(names("SELECT Name FROM Account WHERE Name = 'ACME'"), ['Acme']);
      assert.deepEqual(names("SELECT Name FROM Account WHERE Industry = 'Retail'"), ['Acme']);
      assert.deepEqual(q("SELECT Name FROM Account WHERE Industry = 'Retail'", true).records.map((r) => r.Name), ['Acme', '100% Organic']);
    });

    it('handles null comparisons and != including nulls', () => {
      assert.deepEqual(names('SELECT Name FROM Account WHERE Industry = null'), ["O'Brien & Sons"]);
      assert.deepEqual(names("SELECT Name FROM Account WHERE Industry != 'Retail' ORDER BY Name"), ['beta corp', "O'Brien & Sons"]);
    });

    it('supports LIKE with wildcards and escapes', () => {
      assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE 'b%'"), ['beta corp']);
      assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE '_cme'"), ['Acme']);
      assert.deepEqual(q("SELECT Name FROM Account WHERE Name LIKE '100\\%%'", true).records.map((r) => r.Name), ['100% Organic']);
      assert.deepEqual(q("SELECT Name FROM Account WHERE Name LIKE '1000%'", true).records, []);
    });

    it('supports IN, NOT IN, numbers, AND/OR/NOT with parentheses', () => {
      assert.deepEqual(names("SELECT Name FROM Account WHERE Industry IN ('Banking', 'Retail') ORDER BY Name"), ['Acme', 'beta corp']);
      assert.deepEqual(names("SELECT Name FROM Account WHERE Industry NOT IN ('Banking') ORDER BY Name"), ['Acme', "O'Brien & Sons"]);
      assert.deepEqual(names('SELECT Name FROM Account WHERE NumberOfEmployees >= 5 AND NumberOfEmployees < 50'), ['beta corp']);
      assert.deepEqual(names('SELECT Name FROM Account WHERE NumberOfEmployees > 50'), []);
      assert.deepEqual(names('SELECT Name FROM Account WHERE NumberOfEmployees <= 5'), ['beta corp']);
      assert.deepEqual(names("SELECT Name FROM Account WHERE (Industry = 'Banking' OR NumberOfEmployees > 10) AND NOT Name = 'beta corp'"), ['Acme']);
    });

    it('follows parent relationships in SELECT and WHERE', () => {
      const recs = q("SELECT Name, Owner.Name, Parent.Name FROM Account WHERE Owner.Username = 'rae@x.test' ORDER BY Name").records;
      assert.equal(recs.length, 2);
      assert.deepEqual(recs[0].Owner, { attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${USERS[1].Id}` }, Name: 'Rae Reviewer' });
      assert.equal(recs[0].Parent, null);
      assert.equal((recs[1].Parent as Record<string, unknown>).Name, 'Acme');
      const contacts = q('SELECT LastName, Account.Parent.Name, Account.Owner.Name FROM Contact ORDER BY LastName').records;
      assert.equal(contacts[0].Account, null);
      assert.deepEqual(
        { parent: ((contacts[1].Account as any).Parent as any).Name, owner: (contacts[1].Account as any).Owner.Name },
        { parent: 'Acme', owner: 'Rae Reviewer' },
      );
    });

    it('orders with NULLS FIRST/LAST and multiple keys', () => {
      assert.deepEqual(names('SELECT Name FROM Account ORDER BY NumberOfEmployees'), ["O'Brien & Sons", 'beta corp', 'Acme']);
      assert.deepEqual(names('SELECT Name FROM Account ORDER BY NumberOfEmployees DESC'), ['Acme', 'beta corp', "O'Brien & Sons"]);
      assert.deepEqual(names('SELECT Name FROM Account ORDER BY NumberOfEmployees ASC NULLS LAST'), ['beta corp', 'Acme', "O'Brien & Sons"]);
      assert.deepEqual(names('SELECT Name FROM Account ORDER BY OwnerId, Name DESC'), ['Acme', "O'Brien & Sons", 'beta corp']);
    });

    it('applies LIMIT and OFFSET after ordering', () => {
      assert.deepEqual(names('SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1'), ['beta corp']);
      fails('SELECT Name FROM Account OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE');
    });

    it('counts with COUNT() and COUNT(field)', () => {
      const c = q("SELECT COUNT() FROM Account WHERE Industry = 'Retail'");
      assert.deepEqual(c, { totalSize: 1, records: [] });
      assert.equal(q('SELECT COUNT() FROM Account').totalSize, 3);
      const agg = q('SELECT COUNT(Industry) FROM Account');
      assert.deepEqual(agg.records, [{ attributes: { type: 'AggregateResult' }, expr0: 2 }]);
      fails('SELECT COUNT(), Name FROM Account', 'MALFORMED_QUERY', /grouped or aggregated/);
    });

    it('filters dates with literals, date strings and datetimes', () => {
      assert.deepEqual(names('SELECT Name FROM Account WHERE CreatedDate = TODAY'), ['Acme']);
      assert.deepEqual(names('SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:7 ORDER BY Name'), ['Acme', 'beta corp']);
      assert.deepEqual(names('SELECT Name FROM Account WHERE CreatedDate < LAST_N_DAYS:30'), ["O'Brien & Sons"]);
      assert.deepEqual(names('SELECT Name FROM Account WHERE CreatedDate > 2025-06-14T00:00:00Z'), ['Acme']);
      assert.deepEqual(names('SELECT Name FROM Account WHERE CreatedDate >= 2025-06-12T11:00:00.000-01:00 ORDER BY Name'), ['Acme', 'beta corp']);
      assert.deepEqual(names('SELECT LastName FROM Contact WHERE Birthdate < 1900-01-01'), ['Lovelace']);
    });

    it('rejects filter values of the wrong type', () => {
      fails("SELECT Id FROM Account WHERE CreatedDate > '2025-01-01'", 'INVALID_QUERY_FILTER_OPERATOR', /must be of type dateTime/);
      fails('SELECT Id FROM Account WHERE CreatedDate > 2025-01-01', 'INVALID_QUERY_FILTER_OPERATOR');
      fails("SELECT Id FROM Account WHERE NumberOfEmployees = '5'", 'INVALID_QUERY_FILTER_OPERATOR');
      fails('SELECT Id FROM Account WHERE Name = 5', 'INVALID_QUERY_FILTER_OPERATOR');
      fails("SELECT Id FROM Account WHERE OwnerId = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR', /invalid ID field: nope/);
      fails('SELECT Id FROM Account WHERE NumberOfEmployees LIKE 5', 'MALFORMED_QUERY');
    });

    it('accepts 15-character ids in filters', () => {
      assert.deepEqual(names(`SELECT Name FROM Account WHERE Id = '${ACCOUNTS[1].Id.slice(0, 15)}'`), ['beta corp']);
    });

    it('reports unknown objects, fields and relationships', () => {
      fails('SELECT Id FROM ScratchOrgInfo limit 1', 'INVALID_TYPE', /sObject type 'ScratchOrgInfo' is not supported/);
      fails('SELECT Nme FROM Account', 'INVALID_FIELD', /No such column 'Nme' on entity 'Account'/);
      fails('SELECT Id FROM Account WHERE Bogus__c = 1', 'INVALID_FIELD');
      fails('SELECT Owner.Nope FROM Account', 'INVALID_FIELD', /No such column 'Nope' on entity 'User'/);
      fails('SELECT Own.Name FROM Account', 'INVALID_FIELD', /Didn't understand relationship 'Own'/);
      fails('SELECT Id FROM Account ORDER BY Nope', 'INVALID_FIELD');
    });

    it('returns records with attributes and canonical field names', () => {
      const [rec] = q("select id, NAME from account where name = 'acme'").records;
      assert.deepEqual(rec, { attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ACCOUNTS[0].Id}` }, Id: ACCOUNTS[0].Id, Name: 'Acme' });
    });
  });

  describe('column metadata (columns=true)', () => {
    const cols = (soql: string) => queryColumns(parseSoql(soql), source());

    it('describes plain fields with their Apex type, kind and writability', () => {
      const c = cols('SELECT Id, Name, NumberOfEmployees FROM Account');
      assert.equal(c.entityName, 'Account');
      assert.equal(c.keyPrefix, '001');
      assert.equal(c.idSelected, true);
      assert.equal(c.groupBy, false);
      assert.deepEqual(c.columnMetadata[0], {
        aggregate: false, apexType: 'Id', booleanType: false, columnName: 'Id', custom: false, displayName: 'Id', foreignKeyName: null,
        insertable: false, joinColumns: [], numberType: false, textType: false, updatable: false,
      });
      assert.equal(c.columnMetadata[1].textType, true);
      assert.equal(c.columnMetadata[1].insertable, true);
      assert.equal(c.columnMetadata[2].apexType, 'Integer');
      assert.equal(c.columnMetadata[2].numberType, true);
    });

    it('groups relationship paths under one column and names aggregates', () => {
      const c = cols('select name, owner.name, owner.username, createdby.name from account');
      assert.equal(c.idSelected, false);
      assert.deepEqual(c.columnMetadata.map((x) => x.columnName), ['Name', 'Owner', 'CreatedBy']);
      const owner = c.columnMetadata[1];
      assert.equal(owner.foreignKeyName, 'OwnerId');
      assert.deepEqual(owner.joinColumns.map((x) => [x.columnName, x.displayName]), [['Name', 'Owner.Name'], ['Username', 'Owner.Username']]);
      const agg = cols('SELECT COUNT(Id) n, COUNT(Name) FROM Account').columnMetadata;
      assert.deepEqual(agg.map((x) => [x.columnName, x.displayName, x.aggregate]), [['n', 'COUNT(Id)', true], ['expr1', 'COUNT(Name)', true]]);
      assert.deepEqual(cols('SELECT COUNT() FROM Account').columnMetadata, []);
    });

    it('fails like the query itself on unknown objects and fields', () => {
      assert.throws(() => cols('SELECT Id FROM Nope__c'), (e: unknown) => e instanceof SoqlError && e.errorCode === 'INVALID_TYPE');
      assert.throws(() => cols('SELECT Bogus FROM Account'), (e: unknown) => e instanceof SoqlError && e.errorCode === 'INVALID_FIELD');
    });
  });
});
