/**
 * One deploy job: Pending (queued behind the org's running deployment) → InProgress (components,
 * then tests, completing over a few steps) → FinalizingDeploy (a deployment that will commit) →
 * Succeeded | SucceededPartial | Failed; or Canceled (a queued one at once; a running one through
 * Canceling). Nothing reaches the store before the last step, and then only through one
 * commitMetadata call. From API 65.0 a deploy in FinalizingDeploy cannot be cancelled; before,
 * the cancel is accepted but the deploy still commits and ends Canceled (as Salesforce documents:
 * "the cancellation will succeed, but data from the deployment is also committed").
 */
import { SoapFault, type OrgContext } from '../context';
import { planDeploy, type DeployMessage, type DeployPlan } from './deploy-plan';
import { effectiveTestLevel, runTests, selectTests, type PlannedTests, type RunTestResult, type TestLevel, type TestRun } from './test-runner';
import { BadZipError, readDeployZip, type DeployPackage } from './zip-package';

export interface DeployOptions {
  checkOnly: boolean;
  ignoreWarnings: boolean;
  rollbackOnError: boolean;
  testLevel?: string;
  runTests: string[];
  purgeOnDelete: boolean;
  singlePackage: boolean;
}

export type DeployStatus = 'Pending' | 'InProgress' | 'FinalizingDeploy' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';
export const DONE_STATUSES: readonly DeployStatus[] = ['Succeeded', 'SucceededPartial', 'Failed', 'Canceled'];

/** The first API version in which a deploy in FinalizingDeploy cannot be cancelled. */
const NO_CANCEL_WHILE_FINALIZING = 65;

/** The JSON shape of a DeployResult (checkDeployStatus), shared with the REST side. */
export interface DeployResultJson {
  id: string;
  canceledBy?: string;
  canceledByName?: string;
  checkOnly: boolean;
  completedDate?: string;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  details?: {
    componentSuccesses: DeployMessage[];
    componentFailures: DeployMessage[];
    runTestResult?: RunTestResult;
  };
  done: boolean;
  errorMessage?: string;
  errorStatusCode?: string;
  ignoreWarnings: boolean;
  lastModifiedDate: string;
  numberComponentErrors: number;
  numberComponentsDeployed: number;
  numberComponentsTotal: number;
  numberTestErrors: number;
  numberTestsCompleted: number;
  numberTestsTotal: number;
  rollbackOnError: boolean;
  runTestsEnabled: boolean;
  startDate?: string;
  stateDetail?: string;
  status: DeployStatus;
  success: boolean;
}

export class DeployJob {
  status: DeployStatus = 'Pending';
  readonly createdDate = new Date();
  startDate?: Date;
  completedDate?: Date;
  lastModifiedDate = new Date();
  errorMessage?: string;
  errorStatusCode?: string;
  canceledById?: string;
  /** What the org is doing now (`Processing Type: ApexClass`, `Running Test: FooTest.bar`). */
  stateDetail?: string;
  pkg?: DeployPackage;
  plan?: DeployPlan;
  testLevel?: TestLevel;
  private tests?: PlannedTests;
  private run?: TestRun;
  /** The outcome decided before FinalizingDeploy (Succeeded or SucceededPartial). */
  private outcome?: DeployStatus;
  /** A cancel accepted during FinalizingDeploy (API < 65.0): the deploy commits, then ends Canceled. */
  private lateCancel = false;
  /** How far the progress display has come: components and tests shown as done. */
  private shownComponents = 0;
  private shownTests = 0;
  private phase: 'pending' | 'components' | 'tests' | 'finishing' | 'finalizing' | 'done' = 'pending';
  /** True once the job committed its changes to the org (a real deployment reached it). */
  committed = false;

  constructor(
    readonly id: string,
    readonly org: OrgContext,
    readonly userId: string,
    readonly options: DeployOptions,
    private readonly zipBase64: string | undefined,
    /** For a quick deploy: the validation being deployed (its package; no tests rerun). */
    readonly fromValidation?: DeployJob,
  ) {}

  get done(): boolean {
    return DONE_STATUSES.includes(this.status);
  }

  /** Left the queue and not finished: holds the org's one deployment slot. */
  get running(): boolean {
    return this.startDate !== undefined && !this.done;
  }

  /**
   * cancelDeploy: true when the deploy is cancelled at once (it was still queued), false when the
   * cancellation is in progress (Canceling until the next step). Throws the org's faults.
   */
  cancel(userId: string, apiVersion: number): boolean {
    if (this.done) throw new SoapFault('INVALID_ID_FIELD', 'Deployment already completed');
    if (this.status === 'Canceling') return false;
    if (this.status === 'FinalizingDeploy') {
      if (apiVersion >= NO_CANCEL_WHILE_FINALIZING) {
        throw new SoapFault('INVALID_ID_FIELD', "Deployment is finalizing (FinalizingDeploy) and can't be canceled");
      }
      this.lateCancel = true;
    }
    this.canceledById = userId;
    if (this.status === 'Pending') {
      this.finish('Canceled');
      return true;
    }
    this.status = 'Canceling';
    this.touch();
    return false;
  }

  private touch(): void {
    this.lastModifiedDate = new Date();
  }

  /** Advances one step. Returns true while more steps remain. */
  async step(): Promise<boolean> {
    if (this.done) return false;
    if (this.status === 'Canceling') {
      if (this.lateCancel) this.commit();
      this.finish('Canceled');
      return false;
    }
    switch (this.phase) {
      case 'pending':
        await this.begin();
        return !this.done;
      case 'components': {
        const messages = this.componentMessages();
        const total = messages.length;
        this.shownComponents = Math.min(total, this.shownComponents + Math.max(1, Math.ceil(total / 2)));
        this.stateDetail = messages[this.shownComponents - 1] ? `Processing Type: ${messages[this.shownComponents - 1].componentType || 'Package'}` : undefined;
        if (this.shownComponents >= total) this.phase = this.tests && this.tests.total > 0 ? 'tests' : 'finishing';
        this.touch();
        return true;
      }
      case 'tests': {
        const total = this.tests?.total ?? 0;
        this.shownTests = Math.min(total, this.shownTests + Math.max(1, Math.ceil(total / 3)));
        const names = (this.tests?.classes ?? []).flatMap((c) => c.methods.map((m) => `${c.name}.${m.name}`));
        this.stateDetail = names[this.shownTests - 1] ? `Running Test: ${names[this.shownTests - 1]}` : undefined;
        if (this.shownTests >= total) this.phase = 'finishing';
        this.touch();
        return true;
      }
      case 'finishing':
        this.decide();
        return !this.done;
      case 'finalizing':
        this.commit();
        this.finish(this.outcome ?? 'Succeeded');
        return false;
      default:
        return false;
    }
  }

  private async begin(): Promise<void> {
    this.status = 'InProgress';
    this.startDate = new Date();
    this.touch();
    try {
      this.pkg = this.fromValidation?.pkg ?? (await readDeployZip(this.zipBase64 ?? ''));
    } catch (e) {
      if (!(e instanceof BadZipError)) throw e;
      this.errorStatusCode = 'UNKNOWN_EXCEPTION';
      this.errorMessage = e.message;
      this.finish('Failed');
      return;
    }
    if ((this.status as DeployStatus) === 'Canceling') return;
    this.plan = planDeploy(this.pkg, this.org.store, new Date().toISOString());
    if (this.plan.packageError) {
      this.phase = 'finishing';
      return;
    }
    const isSandbox = this.org.store.identity.isSandbox;
    this.testLevel = this.fromValidation ? 'NoTestRun' : effectiveTestLevel(this.options.testLevel, isSandbox, this.plan.apexInPackage);
    this.tests = selectTests(this.testLevel, this.plan.apexAfter, this.options.runTests);
    this.phase = 'components';
  }

  componentMessages(): DeployMessage[] {
    if (!this.plan) return [];
    return [...this.plan.successes, ...this.plan.failures, ...this.plan.warnings];
  }

  private errors(): DeployMessage[] {
    if (!this.plan) return [];
    if (this.plan.packageError) return [this.plan.packageError, ...this.plan.failures];
    return [...this.plan.failures, ...(this.options.ignoreWarnings ? [] : this.plan.warnings)];
  }

  /** Runs the tests and decides the outcome; a deploy that will commit goes to FinalizingDeploy first. */
  private decide(): void {
    const plan = this.plan!;
    if (this.tests && this.tests.total > 0) this.run = runTests(this.tests, plan.apexAfter);
    const errors = this.errors();
    const testFailures = this.run?.result.numFailures ?? 0;
    // Production enforces the test level's coverage rule; sandboxes only report coverage warnings.
    const coverageFails = !this.org.store.identity.isSandbox && !!this.run && !this.run.coverageMet;
    let status: DeployStatus;
    if (plan.packageError || testFailures > 0 || coverageFails) status = 'Failed';
    else if (errors.length === 0) status = 'Succeeded';
    else if (this.options.rollbackOnError || plan.successes.length === 0) status = 'Failed';
    else status = 'SucceededPartial';
    this.shownComponents = this.componentMessages().length;
    this.shownTests = this.tests?.total ?? 0;
    if ((status === 'Succeeded' || status === 'SucceededPartial') && !this.options.checkOnly) {
      this.outcome = status;
      this.status = 'FinalizingDeploy';
      this.stateDetail = undefined;
      this.phase = 'finalizing';
      this.touch();
      return;
    }
    this.finish(status);
  }

  private commit(): void {
    if (!this.plan || this.committed) return;
    this.org.store.commitMetadata(this.plan.upserts, this.plan.deletes, this.userId);
    this.committed = true;
  }

  private finish(status: DeployStatus): void {
    this.status = status;
    this.phase = 'done';
    this.stateDetail = undefined;
    this.completedDate = new Date();
    this.touch();
  }

  /** Whether tests ran and passed (what a quick deploy requires of a validation). */
  get ranTests(): boolean {
    return !!this.run && this.run.result.numTestsRun > 0 && this.run.result.numFailures === 0;
  }

  /** Whether the coverage of the tests that ran meets the test level's rule. */
  get coverageMet(): boolean {
    return !!this.run && this.run.coverageMet;
  }

  /** The org's id of a component (undefined when the org does not hold it, e.g. new in a validation). */
  private componentId(type: string, fullName: string): string | undefined {
    return type ? this.org.store.getComponent(type, fullName)?.id : undefined;
  }

  /** A component message with the component's id, as an org reports it once the component exists. */
  private withId(m: DeployMessage): DeployMessage {
    if (m.id || m.deleted) return m;
    const id = this.componentId(m.componentType, m.fullName);
    return id ? { ...m, id } : m;
  }

  /** Test results name their class's id; a class new in this deploy has one once it is committed. */
  private runResultWithIds(r: RunTestResult): RunTestResult {
    const cls = <T extends { id?: unknown; name?: unknown }>(x: T, type = 'ApexClass'): T =>
      x.id ? x : { ...x, id: this.componentId(type, String(x.name)) ?? '' };
    return {
      ...r,
      successes: r.successes.map((x) => cls(x)),
      failures: r.failures.map((x) => (x.methodName ? cls(x) : x)),
      codeCoverage: r.codeCoverage.map((c) => cls(c, c.type === 'Trigger' ? 'ApexTrigger' : 'ApexClass')),
    };
  }

  result(includeDetails: boolean): DeployResultJson {
    const user = this.org.userById(this.userId);
    const canceler = this.canceledById ? this.org.userById(this.canceledById) : undefined;
    const plan = this.plan;
    const messages = this.componentMessages();
    const shown = this.done ? messages : messages.slice(0, this.shownComponents);
    const errors = new Set(this.errors());
    const successes = plan ? shown.filter((m) => m.success) : [];
    const failures = plan ? [...(plan.packageError ? [plan.packageError] : []), ...shown.filter((m) => !m.success)] : [];
    const testsTotal = this.tests?.total ?? 0;
    const testErrors = this.run?.result.numFailures ?? 0;
    const res: DeployResultJson = {
      id: this.id,
      ...(this.canceledById ? { canceledBy: this.canceledById, canceledByName: canceler?.name ?? '' } : {}),
      checkOnly: this.options.checkOnly,
      ...(this.completedDate ? { completedDate: this.completedDate.toISOString() } : {}),
      createdBy: this.userId,
      createdByName: user?.name ?? '',
      createdDate: this.createdDate.toISOString(),
      done: this.done,
      ...(this.errorMessage ? { errorMessage: this.errorMessage } : {}),
      ...(this.errorStatusCode ? { errorStatusCode: this.errorStatusCode } : {}),
      ignoreWarnings: this.options.ignoreWarnings,
      lastModifiedDate: this.lastModifiedDate.toISOString(),
      numberComponentErrors: failures.filter((f) => errors.has(f)).length,
      numberComponentsDeployed: successes.length,
      numberComponentsTotal: messages.length + (plan?.packageError ? 1 : 0),
      numberTestErrors: testErrors,
      numberTestsCompleted: Math.max(0, Math.min(this.shownTests, testsTotal) - testErrors),
      numberTestsTotal: testsTotal,
      rollbackOnError: this.options.rollbackOnError,
      runTestsEnabled: testsTotal > 0,
      ...(this.startDate ? { startDate: this.startDate.toISOString() } : {}),
      ...(this.stateDetail ? { stateDetail: this.stateDetail } : {}),
      status: this.status,
      success: this.status === 'Succeeded' || this.status === 'SucceededPartial',
    };
    if (includeDetails) {
      const pkgMsg: DeployMessage[] =
        plan && !plan.packageError && this.done
          ? [{ changed: true, componentType: '', created: false, createdDate: this.createdDate.toISOString(), deleted: false, fileName: 'package.xml', fullName: 'package.xml', success: true }]
          : [];
      res.details = {
        componentSuccesses: [...pkgMsg, ...successes.map((m) => this.withId(m))],
        componentFailures: failures,
        ...(this.run ? { runTestResult: this.runResultWithIds(this.run.result) } : {}),
      };
    }
    return res;
  }
}
