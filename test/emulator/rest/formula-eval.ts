/**
 * Evaluates a parsed formula (formula-parser.ts) against a record being saved. Pure: field values
 * come from the context. Blank fields are blanks (not zeroes), as in validation rules:
 * - arithmetic with a blank gives a blank; `&` treats a blank as "";
 * - `=` holds when both sides are blank, `<>` when exactly one is; `<`, `>`… with a blank are false;
 *   an empty text counts as blank;
 * - AND, OR, NOT, IF and `&&` `||` `!` treat anything but TRUE as false;
 * - on insert, ISNEW() is true, ISCHANGED() false and PRIORVALUE() the value being inserted.
 */
import { FormulaError, type Expr } from './formula-parser';

export type Value = number | string | boolean | null;

export interface FormulaContext {
  isNew: boolean;
  /** The value a field path has in the record as it would be saved. */
  value(path: string[]): Value;
  /** The value the field had before this save (the stored record); on insert, the new value. */
  prior(path: string[]): Value;
}

const blank = (v: Value): boolean => v === null || v === '';
const truthy = (v: Value): boolean => v === true;

function num(v: Value, what: string): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  throw new FormulaError(`${what} expects a number, got ${JSON.stringify(v)}`);
}

function text(v: Value): string {
  return v === null ? '' : typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? 'true' : 'false') : v;
}

export function equal(a: Value, b: Value): boolean {
  if (blank(a) || blank(b)) return blank(a) && blank(b);
  if (typeof a === typeof b) return a === b;
  return text(a) === text(b);
}

function order(a: Value, b: Value): number | null {
  if (blank(a) || blank(b)) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = text(a);
  const y = text(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function arithmetic(op: string, a: Value, b: Value): Value {
  const x = num(a, op);
  const y = num(b, op);
  if (x === null || y === null) return null;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0) throw new FormulaError('division by zero');
      return x / y;
    default:
      return x ** y;
  }
}

export function evaluate(e: Expr, ctx: FormulaContext): Value {
  switch (e.k) {
    case 'num':
    case 'str':
    case 'bool':
      return e.v;
    case 'null':
      return null;
    case 'field':
      return ctx.value(e.path);
    case 'unary': {
      const v = evaluate(e.arg, ctx);
      if (e.op === '!') return !truthy(v);
      const n = num(v, e.op);
      return n === null ? null : e.op === '-' ? -n : n;
    }
    case 'binary':
      return binary(e.op, e.left, e.right, ctx);
    case 'call':
      return call(e.name, e.args, ctx);
  }
}

function binary(op: string, l: Expr, r: Expr, ctx: FormulaContext): Value {
  if (op === '&&') return truthy(evaluate(l, ctx)) && truthy(evaluate(r, ctx));
  if (op === '||') return truthy(evaluate(l, ctx)) || truthy(evaluate(r, ctx));
  const a = evaluate(l, ctx);
  const b = evaluate(r, ctx);
  switch (op) {
    case '=':
      return equal(a, b);
    case '<>':
      return !equal(a, b);
    case '&':
      return text(a) + text(b);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const c = order(a, b);
      if (c === null) return false;
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    default:
      return arithmetic(op, a, b);
  }
}

function call(name: string, args: Expr[], ctx: FormulaContext): Value {
  const arg = (i: number) => evaluate(args[i], ctx);
  const path = () => (args[0] as { path: string[] }).path;
  switch (name) {
    case 'AND':
      return args.every((_, i) => truthy(arg(i)));
    case 'OR':
      return args.some((_, i) => truthy(arg(i)));
    case 'NOT':
      return !truthy(arg(0));
    case 'IF':
      return truthy(arg(0)) ? arg(1) : arg(2);
    case 'CASE': {
      const subject = arg(0);
      for (let i = 1; i + 1 < args.length; i += 2) if (equal(subject, arg(i))) return arg(i + 1);
      return args.length % 2 === 0 ? arg(args.length - 1) : null;
    }
    case 'ISNEW':
      return ctx.isNew;
    case 'ISCHANGED':
      return !ctx.isNew && !equal(ctx.prior(path()), ctx.value(path()));
    case 'PRIORVALUE':
      return ctx.isNew ? ctx.value(path()) : ctx.prior(path());
    case 'ISBLANK':
    case 'ISNULL':
      return blank(arg(0));
    case 'BLANKVALUE':
    case 'NULLVALUE': {
      const v = arg(0);
      return blank(v) ? arg(1) : v;
    }
    case 'ISPICKVAL':
      return equal(arg(0), arg(1));
    case 'TEXT':
      return text(arg(0));
    case 'VALUE': {
      const s = text(arg(0)).trim();
      const n = s === '' ? NaN : Number(s);
      if (Number.isNaN(n)) throw new FormulaError(`VALUE of ${JSON.stringify(s)}`);
      return n;
    }
    case 'LEN':
      return text(arg(0)).length;
    case 'CONTAINS':
      return text(arg(0)).includes(text(arg(1)));
    case 'BEGINS':
      return text(arg(0)).startsWith(text(arg(1)));
    case 'UPPER':
      return text(arg(0)).toUpperCase();
    case 'LOWER':
      return text(arg(0)).toLowerCase();
    case 'TRIM':
      return text(arg(0)).trim();
    case 'ABS': {
      const n = num(arg(0), name);
      return n === null ? null : Math.abs(n);
    }
    case 'ROUND': {
      const n = num(arg(0), name);
      const d = num(arg(1), name) ?? 0;
      return n === null ? null : Math.round(n * 10 ** d) / 10 ** d;
    }
    case 'MIN':
    case 'MAX': {
      const ns = args.map((_, i) => num(arg(i), name));
      if (ns.some((n) => n === null)) return null;
      return name === 'MIN' ? Math.min(...(ns as number[])) : Math.max(...(ns as number[]));
    }
    default:
      throw new FormulaError(`function ${name} is not supported`);
  }
}
