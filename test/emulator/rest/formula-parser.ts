/**
 * The Salesforce formula language, as validation rules use it: a tokenizer and a precedence
 * parser into a small tree. Pure. Supported: number, string (single or double quotes, backslash
 * escapes), TRUE/FALSE/NULL, field references (`Amount__c`, `Account__r.Name`), `/* comments *\/`,
 * the operators `^ * / + - &` (concatenation) `= == <> != < <= > >= && || !`, and the functions
 * in FUNCTIONS. Anything else is refused with a FormulaError, so a rule the emulator cannot
 * evaluate is known (and skipped) rather than evaluated wrongly.
 */

export class FormulaError extends Error {}

export type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'field'; path: string[] }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'unary'; op: '-' | '+' | '!'; arg: Expr }
  | { k: 'binary'; op: string; left: Expr; right: Expr };

/** Function name → [least, most] arguments (most -1: any), and whether the first must be a field. */
const FUNCTIONS: Record<string, { min: number; max: number; field?: boolean }> = {
  AND: { min: 1, max: -1 },
  OR: { min: 1, max: -1 },
  NOT: { min: 1, max: 1 },
  IF: { min: 3, max: 3 },
  CASE: { min: 4, max: -1 },
  ISNEW: { min: 0, max: 0 },
  ISCHANGED: { min: 1, max: 1, field: true },
  PRIORVALUE: { min: 1, max: 1, field: true },
  ISBLANK: { min: 1, max: 1 },
  ISNULL: { min: 1, max: 1 },
  BLANKVALUE: { min: 2, max: 2 },
  NULLVALUE: { min: 2, max: 2 },
  ISPICKVAL: { min: 2, max: 2 },
  TEXT: { min: 1, max: 1 },
  VALUE: { min: 1, max: 1 },
  LEN: { min: 1, max: 1 },
  CONTAINS: { min: 2, max: 2 },
  BEGINS: { min: 2, max: 2 },
  UPPER: { min: 1, max: 1 },
  LOWER: { min: 1, max: 1 },
  TRIM: { min: 1, max: 1 },
  ABS: { min: 1, max: 1 },
  ROUND: { min: 2, max: 2 },
  MIN: { min: 1, max: -1 },
  MAX: { min: 1, max: -1 },
};

type Token = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string } | { t: 'end' };

const OPERATORS = ['&&', '||', '<>', '!=', '==', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '^', '&', '!', '(', ')', ','];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new FormulaError('unterminated comment');
      i = end + 2;
    } else if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(src.slice(i));
      if (!m) throw new FormulaError(`unexpected "${c}" at ${i}`);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let s = '';
      let j = i + 1;
      for (; j < src.length && src[j] !== c; j++) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[++j];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        } else s += src[j];
      }
      if (j >= src.length) throw new FormulaError('unterminated string');
      out.push({ t: 'str', v: s });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_]*(?:\.[A-Za-z_$][A-Za-z0-9_]*)*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) throw new FormulaError(`unexpected "${c}" at ${i}`);
      out.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  out.push({ t: 'end' });
  return out;
}

/** Binary operators by precedence level, lowest first. */
const LEVELS: string[][] = [['||'], ['&&'], ['=', '==', '<>', '!='], ['<', '<=', '>', '>='], ['+', '-', '&'], ['*', '/']];

export function parseFormula(src: string): Expr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t.t === 'op' && t.v === v;
  };
  const expect = (v: string) => {
    if (!isOp(v)) throw new FormulaError(`expected "${v}"`);
    pos++;
  };

  const level = (n: number): Expr => {
    if (n === LEVELS.length) return power();
    let left = level(n + 1);
    for (let t = peek(); t.t === 'op' && LEVELS[n].includes(t.v); t = peek()) {
      pos++;
      left = { k: 'binary', op: t.v === '==' ? '=' : t.v === '!=' ? '<>' : t.v, left, right: level(n + 1) };
    }
    return left;
  };
  const power = (): Expr => {
    const base = unary();
    if (!isOp('^')) return base;
    pos++;
    return { k: 'binary', op: '^', left: base, right: power() };
  };
  const unary = (): Expr => {
    const t = peek();
    if (t.t === 'op' && (t.v === '-' || t.v === '+' || t.v === '!')) {
      pos++;
      return { k: 'unary', op: t.v, arg: unary() };
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = tokens[pos++];
    if (t.t === 'num') return { k: 'num', v: t.v };
    if (t.t === 'str') return { k: 'str', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const e = level(0);
      expect(')');
      return e;
    }
    if (t.t !== 'id') throw new FormulaError(t.t === 'end' ? 'unexpected end of formula' : `unexpected "${t.v}"`);
    const upper = t.v.toUpperCase();
    if (isOp('(')) return call(upper);
    if (upper === 'TRUE' || upper === 'FALSE') return { k: 'bool', v: upper === 'TRUE' };
    if (upper === 'NULL') return { k: 'null' };
    if (t.v.startsWith('$')) throw new FormulaError(`global variable ${t.v} is not supported`);
    return { k: 'field', path: t.v.split('.') };
  };
  const call = (name: string): Expr => {
    const spec = FUNCTIONS[name];
    if (!spec) throw new FormulaError(`function ${name} is not supported`);
    expect('(');
    const args: Expr[] = [];
    if (!isOp(')')) {
      args.push(level(0));
      while (isOp(',')) {
        pos++;
        args.push(level(0));
      }
    }
    expect(')');
    if (args.length < spec.min || (spec.max >= 0 && args.length > spec.max)) throw new FormulaError(`${name} takes ${spec.min === spec.max ? spec.min : `${spec.min} or more`} argument(s), got ${args.length}`);
    if (spec.field && args[0].k !== 'field') throw new FormulaError(`${name} takes a field`);
    return { k: 'call', name, args };
  };

  const e = level(0);
  if (peek().t !== 'end') throw new FormulaError('unexpected text after the formula');
  return e;
}
