/**
 * The emulator's verdict on one Apex test method. It cannot run Apex, so the rule is conservative
 * and predictable: a test passes unless its source says it fails in a way no real project does by
 * accident —
 *
 *  1. a marker comment anywhere in the method body: `// emulator: fail "message"` (the message is
 *     optional; one that names an exception, `System.NullPointerException: …`, is used as it is;
 *     the failure is placed at the statement on the marker's line, or the next one);
 *  2. or an assertion that cannot hold, as a statement at the top level of the method body (not
 *     inside try/catch, if/else, loops, runAs or any other block, nor the branch of an if without
 *     braces) and with no `return` or `throw` anywhere before it:
 *       `Assert.fail(…)`, `System.assert(false…)`, `Assert.isTrue(false…)`, `Assert.isFalse(true…)`,
 *       `System.assertEquals(a, b…)` / `Assert.areEqual(a, b…)` with two literals that differ,
 *       `System.assertNotEquals(a, b…)` / `Assert.areNotEqual(a, b…)` with two equal literals,
 *       `Assert.isNull(literal)` / `Assert.isNotNull(null)`.
 *
 * So `try { …; Assert.fail('Expected an exception'); } catch (X e) { … }` passes. Pure.
 */

export interface TestFailure {
  message: string;
  line: number;
  column: number;
}

const MARKER = /\/\/[ \t]*emulator:[ \t]*fail\b[ \t]*(?:"((?:[^"\\\n]|\\.)*)")?/gi;
const ASSERT_CALL =
  /^(System\s*\.\s*assert|System\s*\.\s*assertEquals|System\s*\.\s*assertNotEquals|Assert\s*\.\s*(?:fail|isTrue|isFalse|areEqual|areNotEqual|isNull|isNotNull))\s*\(/i;
const EXCEPTION_PREFIX = /^[A-Za-z_][\w.]*Exception:/;

function position(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src[i] === '\n') {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

function assertion(text: string): string {
  return `System.AssertException: Assertion Failed${text ? `: ${text}` : ''}`;
}

type Lit = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' };

/** An Apex literal (`'a\'b'`, `42`, `-1.5`, `true`, `null`), or undefined for anything else. */
function literal(text: string): Lit | undefined {
  const t = text.trim();
  const s = /^'((?:[^'\\]|\\.)*)'$/s.exec(t);
  if (s) return { kind: 'string', value: s[1].replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c) };
  if (/^-?\d+(?:\.\d+)?[lLdD]?$/.test(t)) return { kind: 'number', value: Number(t.replace(/[lLdD]$/, '')) };
  if (/^(true|false)$/i.test(t)) return { kind: 'boolean', value: t.toLowerCase() === 'true' };
  if (/^null$/i.test(t)) return { kind: 'null' };
  return undefined;
}

function same(a: Lit, b: Lit): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'null' || (a as { value: unknown }).value === (b as { value: unknown }).value;
}

function show(l: Lit): string {
  return l.kind === 'null' ? 'null' : String(l.value);
}

/** Splits the argument list between `open` (a `(`) and its match, at top-level commas. Offsets into `code`. */
function callArgs(code: string, open: number, end: number): { args: Array<[number, number]>; close: number } | undefined {
  let depth = 0;
  let start = open + 1;
  const args: Array<[number, number]> = [];
  for (let i = open; i < end; i++) {
    const c = code[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        if (code.slice(start, i).trim() || args.length) args.push([start, i]);
        return { args, close: i };
      }
    } else if (c === ',' && depth === 1) {
      args.push([start, i]);
      start = i + 1;
    }
  }
  return undefined;
}

/** The failure an assertion statement at `at` certainly produces, or undefined. */
function failingAssertion(source: string, code: string, at: number, end: number): string | undefined {
  const m = ASSERT_CALL.exec(code.slice(at, Math.min(end, at + 80)));
  if (!m) return undefined;
  const call = m[1].replace(/\s+/g, '').toLowerCase();
  const parsed = callArgs(code, at + m[0].length - 1, end);
  if (!parsed) return undefined;
  // Only a whole statement counts: the call, then `;`.
  if (!/^\s*;/.test(code.slice(parsed.close + 1, end))) return undefined;
  const args = parsed.args.map(([a, b]) => source.slice(a, b));
  const lits = args.map(literal);
  const msgAt = (i: number) => (lits[i]?.kind === 'string' ? (lits[i] as { value: string }).value : '');
  switch (call) {
    case 'assert.fail':
      return assertion(msgAt(0));
    case 'system.assert':
    case 'assert.istrue':
      return lits[0]?.kind === 'boolean' && !lits[0].value ? assertion(msgAt(1)) : undefined;
    case 'assert.isfalse':
      return lits[0]?.kind === 'boolean' && lits[0].value ? assertion(msgAt(1)) : undefined;
    case 'assert.isnull':
      return lits[0] && lits[0].kind !== 'null' ? assertion(msgAt(1)) : undefined;
    case 'assert.isnotnull':
      return lits[0]?.kind === 'null' ? assertion(msgAt(1)) : undefined;
    case 'system.assertequals':
    case 'assert.areequal': {
      const [a, b] = lits;
      if (!a || !b || same(a, b)) return undefined;
      const msg = msgAt(2);
      return assertion(`${msg ? `${msg}: ` : ''}Expected: ${show(a)}, Actual: ${show(b)}`);
    }
    case 'system.assertnotequals':
    case 'assert.arenotequal': {
      const [a, b] = lits;
      if (!a || !b || !same(a, b)) return undefined;
      const msg = msgAt(2);
      return assertion(`${msg ? `${msg}: ` : ''}Same value: ${show(a)}`);
    }
    default:
      return undefined;
  }
}

/**
 * The verdict on a test method whose body is `[bodyStart, bodyEnd)` (just inside its braces).
 * `code` is `source` with comments and string literals blanked (same length).
 */
export function testFailure(source: string, code: string, bodyStart: number, bodyEnd: number): TestFailure | undefined {
  // 1. The marker comment.
  const body = source.slice(bodyStart, bodyEnd);
  for (const m of body.matchAll(MARKER)) {
    const at = bodyStart + (m.index ?? 0);
    // A comment, not a string: blanked in `code`, after an even number of quotes on its line.
    const lineStart = code.lastIndexOf('\n', at) + 1;
    const linePrefix = code.slice(lineStart, at);
    if (code[at] !== ' ' || (linePrefix.split("'").length - 1) % 2 === 1) continue;
    const text = (m[1] ?? '').replace(/\\(.)/g, '$1');
    // Reported at the statement it marks: the one on its line, or (a comment on a line of its own) the next one.
    let place = lineStart + (/^\s*/.exec(linePrefix)?.[0].length ?? 0);
    if (!linePrefix.trim()) {
      place = at;
      while (place < bodyEnd && /\s/.test(code[place])) place++;
      if (place >= bodyEnd) place = at;
    }
    return { message: EXCEPTION_PREFIX.test(text) ? text : assertion(text), ...position(source, place) };
  }
  // 2. Top-level statements, in order, until a return or throw (past which nothing is certain).
  let depth = 0;
  let statementStart = true;
  for (let i = bodyStart; i < bodyEnd; i++) {
    const c = code[i];
    if (/\s/.test(c)) continue;
    if ((c === 'r' || c === 't') && !/\w/.test(code[i - 1] ?? '') && /^(return|throw)\b/.test(code.slice(i, i + 7))) return undefined;
    if (depth === 0 && statementStart) {
      const message = failingAssertion(source, code, i, bodyEnd);
      if (message) return { message, ...position(source, i) };
    }
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    statementStart = depth === 0 && (c === ';' || c === '}' || c === '{');
  }
  return undefined;
}
