/**
 * A small Apex front end: enough of the compiler's checks to fail bad deploys the way an org
 * does (unbalanced braces, a class/trigger whose name differs from its file), and discovery of
 * `@isTest` classes and methods with their expected outcome (./apex-verdict.ts). Pure functions.
 */
import { testFailure, type TestFailure } from './apex-verdict';

export interface ApexProblem {
  line: number;
  column: number;
  problem: string;
}

/** Source with comments and string literals blanked out (same length, newlines kept). */
export function stripCommentsAndStrings(src: string): string {
  let out = '';
  let i = 0;
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== "'" && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      j = Math.min(j, src.length);
      const closed = src[j] === "'";
      out += "'" + blank(src.slice(i + 1, j)) + (closed ? "'" : '');
      i = closed ? j + 1 : j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

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

/** Brace/parenthesis balance, reported like the Apex compiler. */
function checkBalance(code: string): ApexProblem | undefined {
  const stack: Array<{ ch: string; at: number }> = [];
  const pairs: Record<string, string> = { '}': '{', ')': '(' };
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '{' || ch === '(') stack.push({ ch, at: i });
    else if (ch === '}' || ch === ')') {
      const top = stack.pop();
      if (!top || top.ch !== pairs[ch]) {
        return { ...position(code, i), problem: `Unexpected token '${ch}'.` };
      }
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    const close = open.ch === '{' ? '}' : ')';
    return { ...position(code, code.length), problem: `Expecting '${close}' but was: '<EOF>'` };
  }
  return undefined;
}

const MODIFIERS = /^(?:public|private|global|protected|with|without|inherited|sharing|virtual|abstract|static|final|override|transient|@\w+(?:\([^)]*\))?)$/i;

/** Checks one Apex class or trigger body for the compile errors the emulator knows. */
export function checkApex(kind: 'class' | 'trigger', fullName: string, source: string): ApexProblem | undefined {
  const code = stripCommentsAndStrings(source);
  if (!code.trim()) return { line: 1, column: 1, problem: `Unexpected token '<EOF>'.` };
  const balance = checkBalance(code);
  if (balance) return balance;
  if (kind === 'trigger') {
    const m = /\btrigger\s+([A-Za-z_]\w*)\s+on\s+([A-Za-z_]\w*)/i.exec(code);
    if (!m) return { ...position(code, code.search(/\S/)), problem: `Expecting 'trigger' but was: '${firstToken(code)}'` };
    if (m[1].toLowerCase() !== fullName.toLowerCase()) {
      return { ...position(code, m.index + m[0].indexOf(m[1])), problem: `Trigger name '${m[1]}' does not match the file name '${fullName}'` };
    }
    return undefined;
  }
  const decl = /\b(class|interface|enum)\s+([A-Za-z_]\w*)/i.exec(code);
  if (!decl) return { ...position(code, code.search(/\S/)), problem: `Unexpected token '${firstToken(code)}'.` };
  const prefix = code.slice(0, decl.index).replace(/@\w+(\s*\([^)]*\))?/g, ' ').trim().split(/\s+/).filter(Boolean);
  const bad = prefix.find((t) => !MODIFIERS.test(t));
  if (bad) return { ...position(code, code.indexOf(bad)), problem: `Unexpected token '${bad}'.` };
  if (decl[2].toLowerCase() !== fullName.toLowerCase()) {
    return {
      ...position(code, decl.index + decl[0].lastIndexOf(decl[2])),
      problem: `Class name '${decl[2]}' does not match the file name '${fullName}'`,
    };
  }
  return undefined;
}

function firstToken(code: string): string {
  return /\S+/.exec(code)?.[0] ?? '<EOF>';
}

export interface ApexTestMethod {
  name: string;
  line: number;
  /** Failure message and place when the body says the test fails (see ./apex-verdict.ts), else undefined. */
  failure?: TestFailure;
}

export interface ApexTestClass {
  name: string;
  methods: ApexTestMethod[];
}

/**
 * The test methods of a class — `@isTest` methods and (legacy) `testMethod` ones; `@testSetup`
 * methods are not tests — or undefined when the class is not a test class.
 */
export function findTests(className: string, source: string): ApexTestClass | undefined {
  const code = stripCommentsAndStrings(source);
  const methods: ApexTestMethod[] = [];
  const re = /(@istest\b[^{};]*?|\btestmethod\b[^{};]*?)\bvoid\s+([A-Za-z_]\w*)\s*\([^)]*\)\s*\{/gi;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    if (/@testsetup\b/i.test(m[0])) continue;
    const name = m[2];
    const bodyStart = m.index + m[0].length;
    const bodyEnd = matchingBrace(code, bodyStart - 1);
    const pos = position(code, m.index + m[0].indexOf(name));
    methods.push({ name, line: pos.line, failure: testFailure(source, code, bodyStart, bodyEnd) });
  }
  if (methods.length === 0 && !/@istest\b/i.test(code)) return undefined;
  return { name: className, methods };
}

function matchingBrace(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return i;
  }
  return code.length;
}

/** Lines that hold statements (for code coverage figures). */
export function executableLines(source: string): number {
  const code = stripCommentsAndStrings(source);
  return code.split('\n').filter((l) => /;\s*$|\b(if|for|while|return)\b/.test(l.trim())).length;
}
