import { DATE_LITERALS, DATE_LITERALS_WITH_N } from './dates';

/** A SOQL subset: tokenizer and recursive-descent parser producing a small AST. Pure. */

export class SoqlError extends Error {
  constructor(readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'INVALID_QUERY_FILTER_OPERATOR' | 'NUMBER_OUTSIDE_VALID_RANGE', message: string) {
    super(message);
  }
}

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number; text: string }
  | { kind: 'dateLiteral'; name: string; n?: number };

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; parts: Condition[] }
  | { kind: 'not'; part: Condition }
  | { kind: 'compare'; path: string[]; op: CompareOp; value: Literal; pos: number }
  | { kind: 'in'; path: string[]; negate: boolean; values: Literal[]; pos: number }
  | { kind: 'like'; path: string[]; pattern: string; pos: number };

export type SelectItem = { kind: 'field'; path: string[]; pos: number } | { kind: 'count'; path?: string[]; alias?: string; pos: number };

export interface OrderItem {
  path: string[];
  desc: boolean;
  nullsLast: boolean;
  pos: number;
}

export interface SoqlQuery {
  select: SelectItem[];
  from: string;
  fromPos: number;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
  /** The original text (for error messages). */
  text: string;
}

type TokKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';
interface Token {
  kind: TokKind;
  text: string;
  value?: string;
  pos: number;
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

/** Salesforce-style message pointing at a position: text, caret line, row/column, explanation. */
export function positioned(text: string, pos: number, message: string): string {
  const before = text.slice(0, pos);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const col = pos - lineStart;
  const line = text.slice(lineStart).split('\n')[0];
  return `\n${line}\n${' '.repeat(col)}^\nERROR at Row:${row}:Column:${col + 1}\n${message}`;
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new SoqlError('MALFORMED_QUERY', positioned(text, i, msg));
  };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) fail('line 1:' + i + ' mismatched character \'<EOF>\' expecting \'\'\'');
        const ch = text[j];
        if (ch === '\\') {
          const nx = text[j + 1];
          if (nx === undefined) fail('Invalid string literal');
          if (nx === '%' || nx === '_') value += '\\' + nx; // kept escaped for LIKE; unescaped for equality
          else if (ESCAPES[nx] !== undefined) value += ESCAPES[nx];
          else if (nx === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
            value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
            j += 4;
          } else fail(`Invalid string literal '${text.slice(i, j + 2)}'. Illegal character sequence '\\${nx}' in string literal.`);
          j += 2;
          continue;
        }
        if (ch === "'") break;
        value += ch;
        j++;
      }
      out.push({ kind: 'string', text: text.slice(i, j + 1), value, pos: i });
      i = j + 1;
    } else if ((m = DATETIME_RE.exec(rest))) {
      out.push({ kind: 'datetime', text: m[0], pos: i });
      i += m[0].length;
    } else if ((m = DATE_RE.exec(rest))) {
      out.push({ kind: 'date', text: m[0], pos: i });
      i += m[0].length;
    } else if ((m = NUMBER_RE.exec(rest)) && (/[\d.]/.test(c) || /^[+-]\d/.test(rest))) {
      out.push({ kind: 'number', text: m[0], pos: i });
      i += m[0].length;
    } else if ((m = IDENT_RE.exec(rest))) {
      out.push({ kind: 'ident', text: m[0], pos: i });
      i += m[0].length;
    } else if ((m = /^(<=|>=|!=|<>|=|<|>)/.exec(rest))) {
      out.push({ kind: 'op', text: m[0] === '<>' ? '!=' : m[0], pos: i });
      i += m[0].length;
    } else if ('(),:'.includes(c)) {
      out.push({ kind: 'punct', text: c, pos: i });
      i++;
    } else {
      fail(`unexpected token: '${c}'`);
    }
  }
  out.push({ kind: 'eof', text: '<EOF>', pos: text.length });
  return out;
}

const MAX_DEPTH = 100;
const MAX_LENGTH = 100000;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Token[], private readonly text: string) {}

  private get t(): Token {
    return this.toks[this.i];
  }
  private isKw(...kws: string[]): boolean {
    return this.t.kind === 'ident' && kws.includes(this.t.text.toUpperCase());
  }
  private fail(tok: Token = this.t, msg = `unexpected token: '${tok.text}'`): never {
    throw new SoqlError('MALFORMED_QUERY', positioned(this.text, tok.pos, msg));
  }
  private kw(k: string): Token {
    if (!this.isKw(k)) this.fail();
    return this.toks[this.i++];
  }
  private punct(p: string): void {
    if (this.t.kind !== 'punct' || this.t.text !== p) this.fail();
    this.i++;
  }
  private ident(): Token {
    if (this.t.kind !== 'ident') this.fail();
    return this.toks[this.i++];
  }
  private integer(): number {
    const tok = this.t;
    if (tok.kind !== 'number' || !/^\d+$/.test(tok.text)) this.fail();
    this.i++;
    return Number(tok.text);
  }

  parse(): SoqlQuery {
    this.kw('SELECT');
    const select = this.selectList();
    this.kw('FROM');
    const fromTok = this.ident();
    if (fromTok.text.includes('.')) this.fail(fromTok);
    const q: SoqlQuery = { select, from: fromTok.text, fromPos: fromTok.pos, orderBy: [], text: this.text };
    if (this.isKw('WHERE')) {
      this.i++;
      q.where = this.condition();
    }
    if (this.isKw('ORDER')) {
      this.i++;
      this.kw('BY');
      q.orderBy = this.orderList();
    }
    if (this.isKw('LIMIT')) {
      this.i++;
      q.limit = this.integer();
    }
    if (this.isKw('OFFSET')) {
      this.i++;
      q.offset = this.integer();
    }
    if (this.t.kind !== 'eof') this.fail();
    return q;
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [];
    for (;;) {
      const tok = this.t;
      if (this.isKw('COUNT') && this.toks[this.i + 1]?.text === '(') {
        this.i += 2;
        const path = this.t.kind === 'ident' ? this.ident().text.split('.') : undefined;
        this.punct(')');
        const alias = this.t.kind === 'ident' && !this.isKw('FROM') ? this.ident().text : undefined;
        items.push({ kind: 'count', path, alias, pos: tok.pos });
      } else if (tok.kind === 'punct' && tok.text === '(') {
        this.fail(tok, 'Child relationship subqueries are not supported by the emulator');
      } else {
        const id = this.ident();
        if (this.t.kind === 'punct' && this.t.text === '(') this.fail(id, `Unsupported function: ${id.text}`);
        items.push({ kind: 'field', path: id.text.split('.'), pos: id.pos });
      }
      if (this.t.kind === 'punct' && this.t.text === ',') {
        this.i++;
        continue;
      }
      return items;
    }
  }

  /** SOQL requires parentheses when AND and OR are mixed at one level. */
  private condition(): Condition {
    const first = this.unary();
    if (!this.isKw('AND', 'OR')) return first;
    const kind = this.t.text.toUpperCase() === 'AND' ? 'and' : 'or';
    const parts = [first];
    while (this.isKw('AND', 'OR')) {
      if (this.t.text.toUpperCase() !== kind.toUpperCase()) this.fail();
      this.i++;
      parts.push(this.unary());
    }
    return { kind, parts };
  }

  private unary(): Condition {
    if (this.isKw('NOT')) {
      if (++this.depth > MAX_DEPTH) this.fail(this.t, `Conditions are nested more than ${MAX_DEPTH} levels deep`);
      this.i++;
      const part = this.unary();
      this.depth--;
      return { kind: 'not', part };
    }
    if (this.t.kind === 'punct' && this.t.text === '(') {
      if (++this.depth > MAX_DEPTH) this.fail(this.t, `Conditions are nested more than ${MAX_DEPTH} levels deep`);
      this.i++;
      const c = this.condition();
      this.punct(')');
      this.depth--;
      return c;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const id = this.ident();
    const path = id.text.split('.');
    if (this.t.kind === 'op') {
      const op = this.toks[this.i++].text as CompareOp;
      return { kind: 'compare', path, op, value: this.literal(), pos: id.pos };
    }
    if (this.isKw('LIKE')) {
      this.i++;
      const tok = this.t;
      if (tok.kind !== 'string') this.fail();
      this.i++;
      return { kind: 'like', path, pattern: tok.value ?? '', pos: id.pos };
    }
    let negate = false;
    if (this.isKw('NOT')) {
      this.i++;
      negate = true;
      if (!this.isKw('IN')) this.fail();
    }
    if (this.isKw('IN')) {
      this.i++;
      this.punct('(');
      if (this.isKw('SELECT')) this.fail(this.t, 'Semi-join subqueries are not supported by the emulator');
      const values = [this.literal()];
      while (this.t.kind === 'punct' && this.t.text === ',') {
        this.i++;
        values.push(this.literal());
      }
      this.punct(')');
      return { kind: 'in', path, negate, values, pos: id.pos };
    }
    return this.fail();
  }

  private literal(): Literal {
    const tok = this.t;
    this.i++;
    switch (tok.kind) {
      case 'string':
        return { kind: 'string', value: tok.value ?? '' };
      case 'number':
        return { kind: 'number', value: Number(tok.text), text: tok.text };
      case 'date':
        return { kind: 'date', value: tok.text };
      case 'datetime': {
        const ms = Date.parse(tok.text);
        if (Number.isNaN(ms)) this.fail(tok, `line 1:${tok.pos} no viable alternative at character '${tok.text}'`);
        return { kind: 'datetime', value: ms, text: tok.text };
      }
      case 'ident': {
        const up = tok.text.toUpperCase();
        if (up === 'TRUE' || up === 'FALSE') return { kind: 'boolean', value: up === 'TRUE' };
        if (up === 'NULL') return { kind: 'null' };
        if (DATE_LITERALS_WITH_N.has(up)) {
          this.punct(':');
          return { kind: 'dateLiteral', name: up, n: this.integer() };
        }
        if (DATE_LITERALS.has(up)) return { kind: 'dateLiteral', name: up };
        return this.fail(tok);
      }
      default:
        return this.fail(tok);
    }
  }

  private orderList(): OrderItem[] {
    const items: OrderItem[] = [];
    for (;;) {
      const id = this.ident();
      let desc = false;
      if (this.isKw('ASC', 'DESC')) desc = this.toks[this.i++].text.toUpperCase() === 'DESC';
      let nullsLast = desc;
      if (this.isKw('NULLS')) {
        this.i++;
        if (!this.isKw('FIRST', 'LAST')) this.fail();
        nullsLast = this.toks[this.i++].text.toUpperCase() === 'LAST';
      }
      items.push({ path: id.text.split('.'), desc, nullsLast, pos: id.pos });
      if (this.t.kind === 'punct' && this.t.text === ',') {
        this.i++;
        continue;
      }
      return items;
    }
  }
}

/** Parses a SOQL query; throws SoqlError (MALFORMED_QUERY) with a Salesforce-like message. */
export function parseSoql(text: string): SoqlQuery {
  if (typeof text !== 'string' || text.trim() === '') throw new SoqlError('MALFORMED_QUERY', 'The query string is empty');
  if (text.length > MAX_LENGTH) throw new SoqlError('MALFORMED_QUERY', `Query is too long: ${text.length} characters (at most ${MAX_LENGTH})`);
  return new Parser(tokenize(text), text).parse();
}
