/**
 * Deploy and validation results as problems on the package's files, for a Problems panel: each
 * component failure at its file, line and column (0-based ranges, as editors count), each test
 * failure at the deepest frame of its stack that is in the package, with the other frames as
 * related places. The editor layer turns these into diagnostics.
 */
import type { ComponentFailure, TestFailure } from '../metadata-types';
import type { Range } from '../pipeline/types';
import type { ComponentRef } from './model';
import type { PathResolver } from './package-paths';
import { mapInSlices } from '../slices';

export interface RelatedPlace {
  path: string;
  range: Range;
  message: string;
}

export interface DeployProblem {
  /** The package file; undefined when the package has no file for it (show it with the record instead). */
  path?: string;
  range: Range;
  severity: 'error' | 'warning';
  message: string;
  component: ComponentRef;
  /** For test failures: the other frames of the stack that are in the package. */
  related?: RelatedPlace[];
}

/** Reads a package file's text, to widen a range to the word at the column; optional. */
export type TextOf = (path: string) => string | undefined;

const at = (line: number, character: number): Range => ({ start: { line, character }, end: { line, character } });

/** Line and column (1-based) from a problem's own words, e.g. `(line 12, column 5)` or `(12:5)`. */
function positionInMessage(problem: string): { line: number; column?: number } | undefined {
  const m = /line (\d+),? column (\d+)/i.exec(problem) ?? /\((\d+):(\d+)\)/.exec(problem) ?? /\bline (\d+)\b/i.exec(problem);
  return m ? { line: Number(m[1]), column: m[2] !== undefined ? Number(m[2]) : undefined } : undefined;
}

/** Each file's lines, split once however many problems it has. */
function linesCache(textOf: TextOf | undefined): (path: string | undefined) => string[] | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (path) => {
    if (!path || !textOf) return undefined;
    if (!cache.has(path)) cache.set(path, textOf(path)?.split('\n'));
    return cache.get(path);
  };
}

/** A 0-based range at a 1-based line/column, widened to the word there (or the line's text) when the text is known. */
function rangeAt(line1: number, column1: number | undefined, lines: string[] | undefined): Range {
  const line = Math.max(0, line1 - 1);
  const character = Math.max(0, (column1 ?? 1) - 1);
  const lineText = lines?.[line]?.replace(/\r$/, '');
  if (lineText === undefined) return at(line, character);
  if (column1 === undefined) {
    const first = lineText.search(/\S/);
    return first < 0 ? at(line, 0) : { start: { line, character: first }, end: { line, character: lineText.trimEnd().length } };
  }
  const word = /^[\w$.]+/.exec(lineText.slice(character));
  // Not at a word (a brace, a semicolon): that one character, so the mark is visible.
  const width = word ? word[0].length : character < lineText.length ? 1 : 0;
  return { start: { line, character }, end: { line, character: character + width } };
}

/** Custom names a problem mentions (`Invoice__c.Total__c` gives both parts), in the order it names them. */
function customNames(problem: string): string[] {
  return [...new Set(problem.match(/\b[A-Za-z]\w*__(?:c|r|mdt|e)\b/g) ?? [])];
}

/**
 * Without a line from the org: the line of the file naming something the problem names. The most
 * specific name wins (the one on fewest lines: the field rather than its object), at its first line.
 */
function lineNaming(problem: string, lines: string[] | undefined): number | undefined {
  if (!lines) return undefined;
  let best: { line: number; count: number } | undefined;
  for (const n of customNames(problem)) {
    const word = new RegExp(`(?<![\\w])${n}(?![\\w])`);
    let first = -1;
    let count = 0;
    lines.forEach((l, i) => {
      if (word.test(l)) {
        if (first < 0) first = i;
        count++;
      }
    });
    if (first >= 0 && (!best || count < best.count)) best = { line: first + 1, count };
  }
  return best?.line;
}

/** The org's component failures (and warnings) on the package's files. */
export function componentProblems(failures: readonly ComponentFailure[], resolve: PathResolver, textOf?: TextOf): DeployProblem[] {
  const one = componentProblem(resolve, linesCache(textOf));
  return failures.map(one);
}

/** As componentProblems and testFailureProblems together, in slices that yield to the event loop. */
export async function problemsInSlices(
  failures: readonly ComponentFailure[],
  testFailures: readonly TestFailure[],
  resolve: PathResolver,
  textOf?: TextOf,
): Promise<DeployProblem[]> {
  const linesOf = linesCache(textOf);
  return [...(await mapInSlices(failures, componentProblem(resolve, linesOf))), ...(await mapInSlices(testFailures, testProblem(resolve, linesOf)))];
}

/** As componentProblems, in slices that yield to the event loop. */
export const componentProblemsInSlices = (failures: readonly ComponentFailure[], resolve: PathResolver, textOf?: TextOf): Promise<DeployProblem[]> =>
  problemsInSlices(failures, [], resolve, textOf);

function componentProblem(resolve: PathResolver, linesOf: (path: string | undefined) => string[] | undefined): (f: ComponentFailure) => DeployProblem {
  return (f) => {
    const path = resolve({ type: f.type, fullName: f.fullName, fileName: f.filePath });
    const text = linesOf(path);
    const pos = f.line !== undefined && f.line > 0 ? { line: f.line, column: f.column } : positionInMessage(f.problem);
    const line = pos?.line ?? lineNaming(f.problem, text);
    const range = line !== undefined ? rangeAt(line, pos?.column, text) : at(0, 0);
    return { ...(path ? { path } : {}), range, severity: f.problemType === 'Warning' ? 'warning' : 'error', message: f.problem, component: { type: f.type, fullName: f.fullName } };
  };
}

export interface StackFrame {
  kind: 'Class' | 'Trigger';
  /** Class or trigger name (without a namespace). */
  name: string;
  /** Method, for classes (`testBar`, `Inner.method`, `<init>` for a constructor). */
  method?: string;
  line: number;
  column?: number;
}

/** Frames of an Apex stack trace: `Class.FooTest.testBar: line 12, column 1`, `Trigger.AccountTrigger: line 3, column 1`. */
export function parseApexStack(stack: string | undefined): StackFrame[] {
  const out: StackFrame[] = [];
  for (const m of (stack ?? '').matchAll(/\b(Class|Trigger)\.([\w.<>]+?):\s*line (\d+)(?:,\s*column (\d+))?/g)) {
    const parts = m[2].split('.');
    const frame: StackFrame = { kind: m[1] as StackFrame['kind'], name: parts[0], line: Number(m[3]), ...(m[4] ? { column: Number(m[4]) } : {}) };
    if (m[1] === 'Class') {
      // Class.ns.Foo.method: a namespace before the class is dropped when there are three or more parts.
      const [name, ...method] = parts.length >= 3 && /^[a-z]/.test(parts[0]) ? parts.slice(1) : parts;
      frame.name = name;
      if (method.length) frame.method = method.join('.');
    }
    out.push(frame);
  }
  return out;
}

/**
 * Failed tests on the package's files: each at the first frame of its stack the package holds
 * (where it broke), else at the test class, with the message; the other frames are related places.
 */
export function testFailureProblems(failures: readonly TestFailure[], resolve: PathResolver, textOf?: TextOf): DeployProblem[] {
  return failures.map(testProblem(resolve, linesCache(textOf)));
}

function testProblem(resolve: PathResolver, linesOf: (path: string | undefined) => string[] | undefined): (t: TestFailure) => DeployProblem {
  return (t) => {
    const test = `${t.className}.${t.methodName}`;
    const message = `${test} failed: ${t.message}`;
    const places = parseApexStack(t.stackTrace).flatMap((f) => {
      const path = resolve({ type: f.kind === 'Class' ? 'ApexClass' : 'ApexTrigger', fullName: f.name });
      return path ? [{ path, range: rangeAt(f.line, f.column, linesOf(path)), frame: f }] : [];
    });
    const first = places[0];
    const component = { type: 'ApexClass', fullName: t.className };
    const related = places.slice(1).map((p) => ({ path: p.path, range: p.range, message: `called from ${p.frame.kind === 'Class' ? '' : 'trigger '}${p.frame.name}${p.frame.method ? `.${p.frame.method}` : ''}` }));
    if (first) return { path: first.path, range: first.range, severity: 'error' as const, message, component, ...(related.length ? { related } : {}) };
    const own = resolve({ type: 'ApexClass', fullName: t.className });
    return { ...(own ? { path: own } : {}), range: at(0, 0), severity: 'error' as const, message, component };
  };
}
