/**
 * Reads the pipeline file text into environments and connections, keeping the source range of
 * every value so that each problem can point at the right place. Structural checks only; the
 * semantic checks live in validate.ts.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex } from './text';
import {
  PIPELINE_FILE_VERSION,
  ROLES,
  TEST_LEVELS,
  type ConnectionSpec,
  type DiagnosticCode,
  type DiagnosticSeverity,
  type Environment,
  type PipelineDiagnostic,
  type Range,
  type Role,
  type TestLevel,
} from './types';

/** An environment as read, with the range of each field (the whole entry when absent). */
export interface EnvironmentEntry {
  env: Environment;
  /** False when a required field is missing or has the wrong type: kept out of the pipeline. */
  complete: boolean;
  ranges: { entry: Range; name: Range; org: Range; role: Range; next?: Range };
}

export interface ConnectionEntry {
  spec: ConnectionSpec;
  ranges: { entry: Range; from: Range; to: Range };
}

export interface ReadResult {
  environments: EnvironmentEntry[];
  /** Undefined when the file has no `connections` property. */
  connections?: ConnectionEntry[];
  diagnostics: PipelineDiagnostic[];
  /** Range to report file-level problems on (the root value, or the start of the file). */
  rootRange: Range;
  lines: LineIndex;
}

const ENV_KEYS = ['name', 'org', 'role', 'next', 'testLevel', 'allowSelfApproval'];
const ROOT_KEYS = ['$schema', 'version', 'environments', 'connections'];

function quote(list: readonly string[]): string {
  return list.map((x) => `"${x}"`).join(', ');
}

export function readPipelineText(text: string): ReadResult {
  const lines = new LineIndex(text);
  const diagnostics: PipelineDiagnostic[] = [];
  const add = (code: DiagnosticCode, range: Range, message: string, severity: DiagnosticSeverity = 'error') =>
    diagnostics.push({ code, severity, range, message });
  const rangeOf = (n: Node): Range => lines.range(n.offset, n.length);

  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const start = lines.range(0, 0);
  const result: ReadResult = { environments: [], diagnostics, rootRange: root ? rangeOf(root) : start, lines };

  for (const e of errors) {
    add('syntax', lines.range(e.offset, e.length), `JSON syntax error: ${describeParseError(printParseErrorCode(e.error))}. Fix the JSON so the pipeline can be read.`);
  }
  if (errors.length > 0) return result;
  if (!root || root.type !== 'object') {
    add('not-an-object', result.rootRange, 'The pipeline file must contain a JSON object like {"version": 1, "environments": [...]}.');
    return result;
  }

  const props = properties(root);
  for (const [key, p] of props) {
    if (!ROOT_KEYS.includes(key)) {
      add('unknown-property', rangeOf(p.keyNode), `Unknown property "${key}". Allowed here: ${quote(ROOT_KEYS)}.`, 'warning');
    }
  }

  const version = props.get('version');
  if (!version) add('missing-field', result.rootRange, `Missing "version". Add "version": ${PIPELINE_FILE_VERSION}.`);
  else if (version.value.value !== PIPELINE_FILE_VERSION) {
    add('version', rangeOf(version.value), `Unsupported version ${JSON.stringify(version.value.value)}. This version of Changeline reads "version": ${PIPELINE_FILE_VERSION}.`);
  }

  const envs = props.get('environments');
  if (!envs) {
    add('missing-field', result.rootRange, 'Missing "environments". Add "environments": [{"name": "Dev", "org": "dev-alias", "role": "development"}, ...].');
  } else if (envs.value.type !== 'array') {
    add('wrong-type', rangeOf(envs.value), '"environments" must be an array of environments.');
  } else {
    for (const item of envs.value.children ?? []) {
      const entry = readEnvironment(item, rangeOf, add);
      if (entry) result.environments.push(entry);
    }
  }

  const conns = props.get('connections');
  if (conns) {
    if (conns.value.type !== 'array') add('wrong-type', rangeOf(conns.value), '"connections" must be an array of {"from": "...", "to": "..."}.');
    else {
      result.connections = [];
      for (const item of conns.value.children ?? []) {
        const entry = readConnection(item, rangeOf, add);
        if (entry) result.connections.push(entry);
      }
    }
  }
  return result;
}

type Adder = (code: DiagnosticCode, range: Range, message: string, severity?: DiagnosticSeverity) => void;

interface Prop {
  keyNode: Node;
  value: Node;
}

function properties(obj: Node): Map<string, Prop> {
  const out = new Map<string, Prop>();
  for (const p of obj.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k && v && typeof k.value === 'string' && !out.has(k.value)) out.set(k.value, { keyNode: k, value: v });
  }
  return out;
}

function readEnvironment(item: Node, rangeOf: (n: Node) => Range, add: Adder): EnvironmentEntry | undefined {
  const entry = rangeOf(item);
  if (item.type !== 'object') {
    add('wrong-type', entry, 'Each environment must be an object like {"name": "UAT", "org": "uat-alias", "role": "staging"}.');
    return undefined;
  }
  const props = properties(item);
  for (const [key, p] of props) {
    if (!ENV_KEYS.includes(key)) add('unknown-property', rangeOf(p.keyNode), `Unknown environment property "${key}". Allowed: ${quote(ENV_KEYS)}.`, 'warning');
  }
  let complete = true;
  const label = typeof props.get('name')?.value.value === 'string' ? `Environment "${props.get('name')!.value.value}"` : 'This environment';
  const str = (key: string, what: string, required: boolean): { value?: string; range: Range } => {
    const p = props.get(key);
    if (!p) {
      if (required) {
        add('missing-field', entry, `${label} is missing "${key}": add ${what}.`);
        complete = false;
      }
      return { range: entry };
    }
    if (p.value.type !== 'string' || (p.value.value as string).trim() === '') {
      add('wrong-type', rangeOf(p.value), `"${key}" must be a non-empty string: ${what}.`);
      if (required) complete = false;
      return { range: rangeOf(p.value) };
    }
    return { value: p.value.value as string, range: rangeOf(p.value) };
  };

  const name = str('name', 'the environment name shown in the pipeline, e.g. "UAT"', true);
  const org = str('org', 'the sf alias or username of the org', true);
  const role = str('role', `one of ${quote(ROLES)}`, true);
  const next = str('next', 'the name of the environment changes go to next', false);
  const testLevel = str('testLevel', `one of ${quote(TEST_LEVELS)}`, false);

  if (role.value !== undefined && !(ROLES as readonly string[]).includes(role.value)) {
    add('invalid-role', role.range, `Invalid role "${role.value}". Use one of ${quote(ROLES)}.`);
    complete = false;
  }
  if (testLevel.value !== undefined && !(TEST_LEVELS as readonly string[]).includes(testLevel.value)) {
    add('invalid-test-level', testLevel.range, `Invalid testLevel "${testLevel.value}". Use one of ${quote(TEST_LEVELS)}.`);
  }
  const env: Environment = { name: name.value ?? '', org: org.value ?? '', role: (role.value ?? 'development') as Role };
  if (next.value !== undefined) env.next = next.value;
  if (testLevel.value !== undefined && (TEST_LEVELS as readonly string[]).includes(testLevel.value)) env.testLevel = testLevel.value as TestLevel;
  const selfApproval = props.get('allowSelfApproval');
  if (selfApproval) {
    if (selfApproval.value.type !== 'boolean') {
      add('wrong-type', rangeOf(selfApproval.value), '"allowSelfApproval" must be true or false: whether the submitter of a change request may approve it in this environment.');
    } else env.allowSelfApproval = selfApproval.value.value as boolean;
  }
  return {
    env,
    complete,
    ranges: { entry, name: name.range, org: org.range, role: role.range, next: next.value !== undefined ? next.range : undefined },
  };
}

function readConnection(item: Node, rangeOf: (n: Node) => Range, add: Adder): ConnectionEntry | undefined {
  const entry = rangeOf(item);
  if (item.type !== 'object') {
    add('wrong-type', entry, 'Each connection must be an object like {"from": "Dev", "to": "UAT"}.');
    return undefined;
  }
  const props = properties(item);
  for (const [key, p] of props) {
    if (key !== 'from' && key !== 'to') add('unknown-property', rangeOf(p.keyNode), `Unknown connection property "${key}". Allowed: "from", "to".`, 'warning');
  }
  const field = (key: 'from' | 'to'): { value?: string; range: Range } => {
    const p = props.get(key);
    if (!p) {
      add('missing-field', entry, `This connection is missing "${key}": add the name of an environment.`);
      return { range: entry };
    }
    if (p.value.type !== 'string') {
      add('wrong-type', rangeOf(p.value), `"${key}" must be the name of an environment (a string).`);
      return { range: rangeOf(p.value) };
    }
    return { value: p.value.value as string, range: rangeOf(p.value) };
  };
  const from = field('from');
  const to = field('to');
  if (from.value === undefined || to.value === undefined) return undefined;
  return { spec: { from: from.value, to: to.value }, ranges: { entry, from: from.range, to: to.range } };
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name in double quotes is expected',
    ValueExpected: 'a value is expected',
    ColonExpected: 'a colon is expected',
    CommaExpected: 'a comma is expected',
    CloseBraceExpected: 'a closing brace } is expected',
    CloseBracketExpected: 'a closing bracket ] is expected',
    EndOfFileExpected: 'end of file expected (extra content after the object)',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return words[code] ?? code;
}
