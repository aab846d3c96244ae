/** The pipeline file (`.changeline/pipeline.json`) as data. No `vscode` here. */

export const ROLES = ['development', 'integration', 'staging', 'production'] as const;
export type Role = (typeof ROLES)[number];

export const TEST_LEVELS = ['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'] as const;
export type TestLevel = (typeof TEST_LEVELS)[number];

/** Lower rank = earlier in the pipeline. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { development: 0, integration: 1, staging: 2, production: 3 };

export const PIPELINE_FILE_VERSION = 1;

export interface Environment {
  name: string;
  /** sf alias or username. */
  org: string;
  role: Role;
  next?: string;
  testLevel?: TestLevel;
  /** May the submitter of a change request approve (or reject) it here? Default: only in development. */
  allowSelfApproval?: boolean;
}

/** Whether submitters may decide their own change requests in `env`: the file's choice, else only in development. */
export function selfApprovalAllowed(env: Pick<Environment, 'role' | 'allowSelfApproval'>): boolean {
  return env.allowSelfApproval ?? env.role === 'development';
}

export interface ConnectionSpec {
  from: string;
  to: string;
}

export interface PipelineFile {
  version: 1;
  environments: Environment[];
  connections?: ConnectionSpec[];
}

export interface Connection {
  from: string;
  to: string;
  /** `promotion` goes up the pipeline; `back-promotion` goes from production to a lower environment. */
  kind: 'promotion' | 'back-promotion';
  /** True when listed in `connections`, false when derived from `next` or back-promotion defaults. */
  explicit: boolean;
}

/** The validated pipeline, ready for the views. */
export interface Pipeline {
  /** Environments in pipeline order: lowest stages first, production last. */
  environments: Environment[];
  /** Stages from lowest to highest; parallel environments share a stage. Names only. */
  stages: string[][];
  connections: Connection[];
}

/** Zero-based line and character, like VS Code positions. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type DiagnosticSeverity = 'error' | 'warning';

export type DiagnosticCode =
  | 'syntax'
  | 'not-an-object'
  | 'version'
  | 'missing-field'
  | 'wrong-type'
  | 'unknown-property'
  | 'invalid-role'
  | 'invalid-test-level'
  | 'duplicate-name'
  | 'unknown-next'
  | 'cycle'
  | 'two-productions'
  | 'production-next'
  | 'unknown-connection-target'
  | 'self-connection'
  | 'skipped-stage'
  | 'backward-connection'
  | 'unknown-org'
  | 'no-environments';

export interface PipelineDiagnostic {
  code: DiagnosticCode;
  severity: DiagnosticSeverity;
  range: Range;
  /** Says what is wrong and what to do about it. */
  message: string;
}

export interface PipelineResult {
  /** Present when there is no error (warnings allowed). */
  pipeline?: Pipeline;
  /** The environments as read, even when the file has errors (empty when unreadable). */
  environments: Environment[];
  diagnostics: PipelineDiagnostic[];
}
