/**
 * `query?q=…&columns=true` (data and Tooling): the column metadata of a query instead of its
 * rows, as an org answers it — `{columnMetadata, entityName, groupBy, idSelected, keyPrefix}`.
 * A relationship path is one column named after the relationship whose `joinColumns` hold the
 * fields read through it (`CreatedBy` → `Name`, displayed `CreatedBy.Name`); `COUNT(…)` is an
 * aggregate column named by its alias or `exprN`. The sf CLI reads this before it prints a
 * query's rows (`sf data query`).
 */
import type { FieldDef } from './schema-types';
import { NOT_SUPPORTED_TYPE, resolvePath, type QuerySource } from './soql-eval';
import { positioned, SoqlError, type SoqlQuery } from './soql-parser';

export interface QueryColumn {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: QueryColumn[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface QueryColumns {
  columnMetadata: QueryColumn[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string | null;
}

const TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'encryptedstring']);
const NUMBER = new Set(['int', 'double', 'currency', 'percent']);

function apexType(f: FieldDef): string {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'Id';
    case 'boolean':
      return 'Boolean';
    case 'int':
      return 'Integer';
    case 'double':
    case 'currency':
    case 'percent':
      return 'Decimal';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'Datetime';
    case 'time':
      return 'Time';
    default:
      return 'String';
  }
}

function leaf(f: FieldDef, displayName: string): QueryColumn {
  return {
    aggregate: false,
    apexType: apexType(f),
    booleanType: f.type === 'boolean',
    columnName: f.name,
    custom: f.custom,
    displayName,
    foreignKeyName: null,
    insertable: f.createable,
    joinColumns: [],
    numberType: NUMBER.has(f.type),
    textType: TEXT.has(f.type),
    updatable: f.updateable,
  };
}

function relationshipColumn(ref: FieldDef, displayName: string): QueryColumn {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: ref.relationshipName as string,
    custom: ref.custom,
    displayName,
    foreignKeyName: ref.name,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
  };
}

/** The columns of a parsed query; throws SoqlError for unknown objects or fields, as running it would. */
export function queryColumns(q: SoqlQuery, src: QuerySource): QueryColumns {
  const root = src.object(q.from);
  if (!root) {
    throw new SoqlError('INVALID_TYPE', positioned(q.text, q.fromPos, NOT_SUPPORTED_TYPE(q.from)));
  }
  const columns: QueryColumn[] = [];
  let idSelected = false;
  q.select.forEach((item, i) => {
    if (item.kind === 'count') {
      if (item.path) resolvePath(q, root, item.path, item.pos, src);
      if (!item.path && q.select.length === 1) return; // COUNT() alone: only totalSize, no column
      columns.push({
        aggregate: true,
        apexType: 'Integer',
        booleanType: false,
        columnName: item.alias ?? `expr${i}`,
        custom: false,
        displayName: item.path ? `COUNT(${item.path.join('.')})` : 'COUNT()',
        foreignKeyName: null,
        insertable: false,
        joinColumns: [],
        numberType: true,
        textType: false,
        updatable: false,
      });
      return;
    }
    const r = resolvePath(q, root, item.path, item.pos, src);
    if (r.hops.length === 0) {
      if (r.field.type === 'id') idSelected = true;
      columns.push(leaf(r.field, r.field.name));
      return;
    }
    // Walk (and share) one relationship column per hop: CreatedBy → Profile → Name.
    let level = columns;
    r.hops.forEach((hop, h) => {
      const display = r.names.slice(0, h + 1).join('.');
      let col = level.find((c) => c.joinColumns.length > 0 && c.columnName === hop.relationshipName && c.foreignKeyName === hop.name);
      if (!col) {
        col = relationshipColumn(hop, display);
        level.push(col);
      }
      level = col.joinColumns;
    });
    level.push(leaf(r.field, r.names.join('.')));
  });
  return { columnMetadata: columns, entityName: root.name, groupBy: false, idSelected, keyPrefix: root.keyPrefix || null };
}
