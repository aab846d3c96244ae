/**
 * Plain types for metadata components, retrieves and deployments, produced by the Salesforce layer
 * and consumed by core and the views. No Salesforce library types here.
 */

/** One metadata component, e.g. `{type: 'ApexClass', fullName: 'Greeter'}`. */
export interface ComponentRef {
  type: string;
  fullName: string;
}

/**
 * The one key of a component in maps and sets: `ApexClass:Greeter`, `CustomField:Account.Tier__c`.
 * Unambiguous: metadata type names never contain a colon, so the key splits at the first one.
 */
export const componentKey = (c: ComponentRef): string => `${c.type}:${c.fullName}`;

/** The component a `componentKey` names. */
export function componentOfKey(key: string): ComponentRef {
  const i = key.indexOf(':');
  return { type: key.slice(0, i), fullName: key.slice(i + 1) };
}

/** What the org says about a component (listMetadata FileProperties). */
export interface ComponentInfo extends ComponentRef {
  id?: string;
  fileName: string;
  createdByName?: string;
  createdDate?: string;
  lastModifiedByName?: string;
  lastModifiedDate?: string;
  manageableState?: string;
  namespacePrefix?: string;
}

/** A metadata type the org supports (describeMetadata). */
export interface MetadataTypeInfo {
  name: string;
  directoryName: string;
  inFolder: boolean;
  metaFile: boolean;
  suffix?: string;
  childXmlNames: string[];
}

export interface RetrieveResult {
  /** Files written, absolute paths. */
  files: Array<ComponentRef & { filePath: string }>;
  /** Requested members the org does not have, and other warnings. */
  warnings: string[];
  id: string;
  /** The API version used (SDR may lower it to the org's maximum). */
  apiVersion?: string;
}

export type DeployStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

export type TestLevel = 'NoTestRun' | 'RunSpecifiedTests' | 'RunLocalTests' | 'RunAllTestsInOrg';

export interface DeployProgress {
  status: DeployStatus;
  componentsDone: number;
  componentsTotal: number;
  componentErrors: number;
  testsDone: number;
  testsTotal: number;
  testErrors: number;
}

export interface ComponentOutcome extends ComponentRef {
  /** Path in the project when known (else the path inside the package). */
  filePath?: string;
  state: 'Created' | 'Changed' | 'Unchanged' | 'Deleted' | 'Failed';
}

export interface ComponentFailure extends ComponentRef {
  filePath?: string;
  problem: string;
  problemType: 'Error' | 'Warning';
  line?: number;
  column?: number;
}

export interface TestFailure {
  className: string;
  methodName: string;
  message: string;
  stackTrace?: string;
}

export interface CodeCoverage {
  name: string;
  type: string;
  linesTotal: number;
  linesNotCovered: number;
  /** 0..100 */
  percent: number;
}

export interface DeployResult extends DeployProgress {
  id: string;
  success: boolean;
  checkOnly: boolean;
  /** True when the deploy was cancelled (by the user or in the org). */
  canceled: boolean;
  successes: ComponentOutcome[];
  failures: ComponentFailure[];
  tests: { run: number; failures: TestFailure[]; totalTimeMs?: number };
  coverage: CodeCoverage[];
  coverageWarnings: string[];
  errorMessage?: string;
  createdDate?: string;
  completedDate?: string;
}

/**
 * Every metadata type name an org describes, child types included (CustomField, ValidationRule,
 * RecordType, ListView, WebLink…: `childXmlNames` of describeMetadata are types too), sorted and
 * without duplicates. What a type check or a type picker should accept.
 */
export function metadataTypeNames(types: readonly Pick<MetadataTypeInfo, 'name' | 'childXmlNames'>[]): string[] {
  const names = new Set<string>();
  for (const t of types) {
    names.add(t.name);
    for (const c of t.childXmlNames) names.add(c);
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}
