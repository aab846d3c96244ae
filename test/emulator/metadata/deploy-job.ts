/**
 * One deploy job: Pending → InProgress (components, then tests, completing over a few steps)
 * → Succeeded | SucceededPartial | Failed, or Canceling → Canceled. Nothing reaches the store
 * before the last step, and then only through one commitMetadata call.
 */
import type { OrgContext } from '../context';
import { planDeploy, type DeployMessage, type DeployPlan } from './deploy-plan';
import { effectiveTestLevel, runTests, selectTests, type PlannedTests, type RunTestResult, type TestLevel } from './test-runner';
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

export type DeployStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';
const DONE: DeployStatus[] = ['Succeeded', 'SucceededPartial', 'Failed', 'Canceled'];

/** The JSON shape of a DeployResult (checkDeployStatus), shared with the REST side. */
export interface DeployResultJson {
  id: string;
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
  pkg?: DeployPackage;
  plan?: DeployPlan;
  testLevel?: TestLevel;
  private tests?: PlannedTests;
  private testResult?: RunTestResult;
  /** How far the progress display has come: components and tests shown as done. */
  private shownComponents = 0;
  private shownTests = 0;
  private phase: 'pending' | 'components' | 'tests' | 'finishing' | 'done' = 'pending';
  /** True once the job committed changes to the org (a real deployment reached it). */
  committed = false;

  constructor(
    readonly id: string,
    readonly org: OrgContext,
    readonly userId: string,
    readonly options: DeployOptions,
    private readonly zipBase64: string | undefined,
    /** For a quick deploy: the package of the validation being deployed (no tests rerun). */
    readonly fromValidation?: DeployJob,
  ) {}

  get done(): boolean {
    return DONE.includes(this.status);
  }

  cancel(userId: string): boolean {
    if (this.done) return false;
    this.status = 'Canceling';
    this.canceledById = userId;
    this.touch();
    return true;
  }

  private touch(): void {
    this.lastModifiedDate = new Date();
  }

  /** Advances one step. Returns true while more steps remain. */
  async step(): Promise<boolean> {
    if (this.done) return false;
    if (this.status === 'Canceling') {
      this.finish('Canceled');
      return false;
    }
    switch (this.phase) {
      case 'pending':
        await this.begin();
        return !this.done;
      case 'components': {
        const total = this.componentMessages().length;
        this.shownComponents = Math.min(total, this.shownComponents + Math.max(1, Math.ceil(total / 2)));
        if (this.shownComponents >= total) this.phase = this.tests && this.tests.total > 0 ? 'tests' : 'finishing';
        this.touch();
        return true;
      }
      case 'tests': {
        const total = this.tests?.total ?? 0;
        this.shownTests = Math.min(total, this.shownTests + Math.max(1, Math.ceil(total / 3)));
        if (this.shownTests >= total) this.phase = 'finishing';
        this.touch();
        return true;
      }
      case 'finishing':
        this.complete();
        return false;
      default:
        return false;
    }
  }

  private async begin(): Promise<void> {
    this.status = 'InProgress';
    this.startDate = new Date();
    this.touch();
    const isSandbox = this.org.store.identity.isSandbox;
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
    const requested = this.options.testLevel;
    if (!isSandbox && requested === 'NoTestRun' && this.plan.apexInPackage && !this.fromValidation) {
      this.errorStatusCode = 'INVALID_OPERATION';
      this.errorMessage = 'INVALID_OPERATION: testLevel of NoTestRun cannot be used in production organizations';
      this.finish('Failed');
      return;
    }
    this.testLevel = this.fromValidation ? 'NoTestRun' : effectiveTestLevel(requested, isSandbox, this.plan.apexInPackage);
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

  private complete(): void {
    const plan = this.plan!;
    if (this.tests && this.tests.total > 0) this.testResult = runTests(this.tests, plan.apexAfter);
    const errors = this.errors();
    const testFailures = this.testResult?.numFailures ?? 0;
    let status: DeployStatus;
    if (plan.packageError || testFailures > 0) status = 'Failed';
    else if (errors.length === 0) status = 'Succeeded';
    else if (this.options.rollbackOnError || plan.successes.length === 0) status = 'Failed';
    else status = 'SucceededPartial';
    if ((status === 'Succeeded' || status === 'SucceededPartial') && !this.options.checkOnly) {
      this.org.store.commitMetadata(plan.upserts, plan.deletes, this.userId);
      this.committed = plan.upserts.length + plan.deletes.length > 0;
    }
    this.shownComponents = this.componentMessages().length;
    this.shownTests = this.tests?.total ?? 0;
    this.finish(status);
  }

  private finish(status: DeployStatus): void {
    this.status = status;
    this.phase = 'done';
    this.completedDate = new Date();
    this.touch();
  }

  /** Whether tests ran and passed (what a quick deploy requires of a validation). */
  get ranTests(): boolean {
    return !!this.testResult && this.testResult.numTestsRun > 0 && this.testResult.numFailures === 0;
  }

  result(includeDetails: boolean): DeployResultJson {
    const user = this.org.userById(this.userId);
    const plan = this.plan;
    const messages = this.componentMessages();
    const shown = this.done ? messages : messages.slice(0, this.shownComponents);
    const errors = new Set(this.errors());
    const successes = plan ? shown.filter((m) => m.success) : [];
    const failures = plan ? [...(plan.packageError ? [plan.packageError] : []), ...shown.filter((m) => !m.success)] : [];
    const testsTotal = this.tests?.total ?? 0;
    const testErrors = this.done ? (this.testResult?.numFailures ?? 0) : 0;
    const res: DeployResultJson = {
      id: this.id,
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
      status: this.status,
      success: this.status === 'Succeeded' || this.status === 'SucceededPartial',
    };
    if (includeDetails) {
      const pkgMsg: DeployMessage[] =
        plan && !plan.packageError && this.done
          ? [{ changed: true, componentType: '', created: false, createdDate: this.createdDate.toISOString(), deleted: false, fileName: 'package.xml', fullName: 'package.xml', success: true }]
          : [];
      res.details = {
        componentSuccesses: [...pkgMsg, ...successes],
        componentFailures: failures,
        ...(this.testResult && this.done ? { runTestResult: this.testResult } : {}),
      };
    }
    return res;
  }
}
