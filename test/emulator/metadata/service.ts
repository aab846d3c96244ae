/**
 * The Metadata API (SOAP) of one emulated org: dispatch of the operations, async deploy and
 * retrieve jobs paced by `settings.jobStepMs`, quick deploy, cancel, and usage counters.
 * Deployments run one at a time, as in an org: the others wait in the queue (Pending).
 * Quick deploy follows Salesforce's rules: a check-only validation that succeeded, started less
 * than 10 days ago, whose Apex tests ran and passed with the test level's coverage, and after
 * which no deployment reached the org.
 */
import { SoapFault, type DeployRequests, type OrgContext, type RequestContext } from '../context';
import { toXml } from '../http';
import { DeployJob, DONE_STATUSES, type DeployOptions, type DeployResultJson } from './deploy-job';
import { resultFromRecord, writeDeployRequest } from './deploy-records';
import { describeMetadata, listMetadata } from './list';
import { manifestFromTypes } from './package-xml';
import { RetrieveJob } from './retrieve-job';
import { TEST_LEVELS } from './test-runner';
import { decodeBase64, BadZipError } from './zip-package';

const QUICK_DEPLOY_DAYS = 10;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function bool(v: unknown, name: string, dflt: boolean): boolean {
  if (v === undefined || v === '') return dflt;
  if (v === 'true' || v === true) return true;
  if (v === 'false' || v === false) return false;
  throw new SoapFault('INVALID_ARGUMENT', `${name}: '${String(v)}' is not a valid boolean`);
}

function list(v: unknown): string[] {
  const arr = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return arr.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The API version of a request as a number (the org's own when the request names none). */
function versionOf(ctx: RequestContext, org: OrgContext): number {
  return Number(ctx.apiVersion ?? org.settings.apiVersion);
}

export class MetadataService implements DeployRequests {
  /** Counters for benchmarks: SOAP requests handled and ms spent in handlers and job steps. */
  readonly stats = { requests: 0, handlerMs: 0 };
  private readonly deploys = new Map<string, DeployJob>();
  private readonly retrieves = new Map<string, RetrieveJob>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** When a deployment last reached the org (invalidates the validations started before it). */
  private lastDeployAt = 0;
  /** Creation order of deploy jobs: the queue is first come, first served. */
  private readonly order = new Map<DeployJob, number>();
  private sequence = 0;

  constructor(readonly org: OrgContext) {}

  /** Handles one SOAP operation; returns the inner XML of `<{operation}Response>`; throws SoapFault. */
  async handle(ctx: RequestContext, operation: string, payload: Record<string, unknown>): Promise<string> {
    const t0 = performance.now();
    this.stats.requests++;
    try {
      return await this.dispatch(ctx, operation, payload);
    } finally {
      this.stats.handlerMs += performance.now() - t0;
    }
  }

  private async dispatch(ctx: RequestContext, operation: string, p: Record<string, unknown>): Promise<string> {
    switch (operation) {
      case 'describeMetadata':
        return toXml('result', describeMetadata(this.org));
      case 'listMetadata':
        return toXml('result', listMetadata(this.org, p));
      case 'retrieve':
        return toXml('result', this.startRetrieve(ctx, obj(p.request)));
      case 'checkRetrieveStatus':
        return toXml('result', this.retrieveJob(str(p.id ?? p.asyncProcessId)).result(p.includeZip !== 'false'));
      case 'deploy':
        return toXml('result', this.startDeploy(ctx, p));
      case 'checkDeployStatus': {
        const id = str(p.id ?? p.asyncProcessId);
        return toXml('result', this.deployResultOrFault(id, bool(p.includeDetails, 'includeDetails', false)));
      }
      case 'deployRecentValidation':
        return toXml('result', this.quickDeploy(ctx, str(p.validationId)));
      case 'cancelDeploy':
        return toXml('result', this.cancel(ctx, str(p.id ?? p.String ?? p.string)));
      default:
        throw new SoapFault('INVALID_OPERATION', `No operation available for request {http://soap.sforce.com/2006/04/metadata}${operation}`);
    }
  }

  // ---------- deploy ----------

  private parseOptions(o: Record<string, unknown>): DeployOptions {
    const testLevel = str(o.testLevel);
    if (testLevel && !TEST_LEVELS.includes(testLevel)) {
      throw new SoapFault('INVALID_ARGUMENT', `testLevel: bad value for restricted picklist field: ${testLevel}`);
    }
    const runTests = list(o.runTests);
    if (testLevel === 'RunSpecifiedTests' && runTests.length === 0) {
      throw new SoapFault('INVALID_OPERATION', 'runTests must be specified when testLevel is RunSpecifiedTests');
    }
    if (testLevel !== 'RunSpecifiedTests' && runTests.length > 0) {
      throw new SoapFault('INVALID_OPERATION', 'runTests can only be used with a testLevel of RunSpecifiedTests');
    }
    const options: DeployOptions = {
      checkOnly: bool(o.checkOnly, 'checkOnly', false),
      ignoreWarnings: bool(o.ignoreWarnings, 'ignoreWarnings', false),
      rollbackOnError: bool(o.rollbackOnError, 'rollbackOnError', true),
      purgeOnDelete: bool(o.purgeOnDelete, 'purgeOnDelete', false),
      singlePackage: bool(o.singlePackage, 'singlePackage', false),
      testLevel,
      runTests,
    };
    // Production refuses these at the deploy() call, whatever the package holds.
    if (!this.org.store.identity.isSandbox) {
      if (testLevel === 'NoTestRun') throw new SoapFault('INVALID_OPERATION', 'testLevel of NoTestRun cannot be used in production organizations');
      if (!options.rollbackOnError) throw new SoapFault('INVALID_OPERATION', 'rollbackOnError option must be true on a production org');
    }
    return options;
  }

  /**
   * Starts a deploy for the REST `metadata/deployRequest` resource: `zip` as bytes, deployOptions
   * as REST JSON (booleans) or SOAP strings. Returns the deploy id; throws SoapFault on bad options.
   */
  startDeployFromRest(ctx: RequestContext, zip: Buffer, deployOptions: Record<string, unknown>): string {
    return String(this.startDeploy(ctx, { ZipFile: zip.toString('base64'), DeployOptions: deployOptions }).id);
  }

  /** Quick deploy for the REST transport; returns the new deploy id, throws SoapFault when not eligible. */
  quickDeployFromRest(ctx: RequestContext, validationId: string): string {
    return this.quickDeploy(ctx, validationId);
  }

  /** Cancel for the REST transport (PATCH deployRequest/{id} with status Canceling). */
  cancelFromRest(ctx: RequestContext, id: string): { done: boolean; id: string } {
    return this.cancel(ctx, id);
  }

  /** The options a deploy was started with, and the validation a quick deploy deploys. */
  requestInfo(id: string): { deployOptions: Record<string, unknown> | null; validatedDeployRequestId: string | null } | undefined {
    const job = this.job(id);
    if (!job) return this.deployResult(id, false) ? { deployOptions: null, validatedDeployRequestId: null } : undefined;
    const o = job.options;
    return {
      deployOptions: {
        allowMissingFiles: false,
        autoUpdatePackage: false,
        checkOnly: o.checkOnly,
        ignoreWarnings: o.ignoreWarnings,
        performRetrieve: false,
        purgeOnDelete: o.purgeOnDelete,
        rollbackOnError: o.rollbackOnError,
        runTests: o.runTests,
        singlePackage: o.singlePackage,
        testLevel: o.testLevel ?? null,
      },
      validatedDeployRequestId: job.fromValidation?.id ?? null,
    };
  }

  private job(id: string | undefined): DeployJob | undefined {
    if (!id) return undefined;
    return this.deploys.get(id) ?? [...this.deploys.values()].find((j) => j.id.slice(0, 15) === id.slice(0, 15));
  }

  private startDeploy(ctx: RequestContext, p: Record<string, unknown>): Record<string, unknown> {
    const zip = typeof p.ZipFile === 'string' ? p.ZipFile : typeof p.zipFile === 'string' ? p.zipFile : undefined;
    if (!zip || !zip.trim()) throw new SoapFault('INVALID_ARGUMENT', 'ZipFile: a base64-encoded zip file is required');
    try {
      decodeBase64(zip.length > 64 ? zip.slice(0, 64) : zip);
    } catch (e) {
      if (e instanceof BadZipError) throw new SoapFault('INVALID_ARGUMENT', `ZipFile: ${e.message}`);
      throw e;
    }
    const options = this.parseOptions(obj(p.DeployOptions ?? p.deployOptions));
    const job = new DeployJob(this.org.store.ids.next('0Af'), this.org, ctx.user.id, options, zip);
    this.track(job);
    return { done: false, id: job.id, state: 'Queued' };
  }

  private track(job: DeployJob): void {
    this.deploys.set(job.id, job);
    this.order.set(job, this.sequence++);
    writeDeployRequest(this.org, job);
    this.schedule(() => this.stepDeploy(job));
  }

  private schedule(fn: () => Promise<void>): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      void fn();
    }, this.org.settings.jobStepMs);
    t.unref?.();
    this.timers.add(t);
  }

  /** A queued job waits while another deployment runs or an earlier one waits. */
  private queued(job: DeployJob): boolean {
    if (job.status !== 'Pending') return false;
    const mine = this.order.get(job) ?? 0;
    for (const other of this.deploys.values()) {
      if (other === job || other.done) continue;
      if (other.running || (other.status === 'Pending' && (this.order.get(other) ?? 0) < mine)) return true;
    }
    return false;
  }

  private async stepDeploy(job: DeployJob): Promise<void> {
    if (this.queued(job) || this.org.faults.holdDeploysAt.includes(job.status)) {
      if (this.deploys.get(job.id) === job) this.schedule(() => this.stepDeploy(job));
      return;
    }
    const t0 = performance.now();
    let more = false;
    const before = job.status;
    try {
      more = await job.step();
    } catch (e) {
      job.errorStatusCode = 'UNKNOWN_EXCEPTION';
      job.errorMessage = `Internal error while deploying: ${(e as Error).message}`;
      job.status = 'Failed';
      job.completedDate = new Date();
    }
    if (job.done && job.committed) this.lastDeployAt = Math.max(this.lastDeployAt, job.completedDate?.getTime() ?? Date.now());
    if (before !== job.status || job.done) writeDeployRequest(this.org, job);
    this.stats.handlerMs += performance.now() - t0;
    if (more && this.deploys.get(job.id) === job) this.schedule(() => this.stepDeploy(job));
  }

  /** The DeployResult of a job (undefined when unknown); after a restart, rebuilt from its DeployRequest row. */
  deployResult(id: string, includeDetails = true): DeployResultJson | undefined {
    const job = this.job(id);
    if (job) return job.result(includeDetails);
    const table = this.org.store.table('DeployRequest');
    const rec = table.get(id) ?? [...table.values()].find((r) => r.Id.slice(0, 15) === id.slice(0, 15));
    if (!rec) return undefined;
    if (!(DONE_STATUSES as readonly string[]).includes(String(rec.Status))) {
      // The job died with the process (restart or org taken down): it committed nothing.
      const now = new Date().toISOString().replace('Z', '+0000');
      Object.assign(rec, {
        Status: 'Failed',
        ErrorStatusCode: 'UNKNOWN_EXCEPTION',
        ErrorMessage: 'The deployment was interrupted by an org restart; nothing was committed',
        CompletedDate: now,
        LastModifiedDate: now,
      });
      this.org.store.recordsChanged();
    }
    return resultFromRecord(this.org, rec, includeDetails);
  }

  private deployResultOrFault(id: string | undefined, includeDetails: boolean): DeployResultJson {
    const r = id ? this.deployResult(id, includeDetails) : undefined;
    if (!r) throw new SoapFault('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${id ?? ''}`);
    return r;
  }

  /**
   * deployRecentValidation. Faults are INVALID_ID_FIELD, as the org's; the wording of the two
   * most common ones is Salesforce's ("Source validate did not run tests in the org", "There
   * have been deploys in the org since the source validate happened").
   */
  private quickDeploy(ctx: RequestContext, validationId: string | undefined): string {
    if (!validationId) throw new SoapFault('INVALID_ARGUMENT', 'validationId is required');
    const v = this.job(validationId);
    const refuse = (why: string) => new SoapFault('INVALID_ID_FIELD', why);
    if (!v) throw refuse(`No validation found with the ID ${validationId}`);
    if (!v.options.checkOnly) throw refuse(`The deployment ${v.id} is not a validation (checkOnly)`);
    if (v.status !== 'Succeeded') throw refuse(`The validation ${v.id} did not succeed (status ${v.status})`);
    if (!v.ranTests) throw refuse('Source validate did not run tests in the org');
    if (!v.coverageMet) throw refuse('Source validate did not meet the code coverage requirements');
    const started = v.startDate?.getTime() ?? 0;
    if (Date.now() + (this.org.settings.clockSkewMs ?? 0) - started > QUICK_DEPLOY_DAYS * 86_400_000) {
      throw refuse(`The validation ${v.id} was started more than ${QUICK_DEPLOY_DAYS} days ago`);
    }
    if (this.lastDeployAt > started) throw refuse('There have been deploys in the org since the source validate happened');
    const options: DeployOptions = { ...v.options, checkOnly: false, testLevel: undefined, runTests: [] };
    const job = new DeployJob(this.org.store.ids.next('0Af'), this.org, ctx.user.id, options, undefined, v);
    this.track(job);
    return job.id;
  }

  /** cancelDeploy: a queued deploy is cancelled at once (done), a running one goes Canceling → Canceled. */
  private cancel(ctx: RequestContext, id: string | undefined): { done: boolean; id: string } {
    const job = this.job(id);
    if (!job) {
      if (id && this.deployResult(id, false)) throw new SoapFault('INVALID_ID_FIELD', 'Deployment already completed');
      throw new SoapFault('INVALID_ID_FIELD', 'Invalid deploy ID');
    }
    const done = job.cancel(ctx.user.id, versionOf(ctx, this.org));
    writeDeployRequest(this.org, job);
    return { done, id: job.id };
  }

  // ---------- retrieve ----------

  private startRetrieve(ctx: RequestContext, req: Record<string, unknown>): Record<string, unknown> {
    const apiVersion = str(req.apiVersion) ?? this.org.settings.apiVersion;
    if (!/^\d+\.\d$/.test(apiVersion)) throw new SoapFault('INVALID_ARGUMENT', `apiVersion: '${apiVersion}' is not a valid API version`);
    const unpackaged = req.unpackaged;
    if (list(req.packageNames).length > 0) throw new SoapFault('INVALID_ARGUMENT', 'packageNames: this org has no packages to retrieve');
    if (!unpackaged || typeof unpackaged !== 'object') throw new SoapFault('INVALID_ARGUMENT', 'Specify the components to retrieve in unpackaged');
    const manifest = manifestFromTypes((unpackaged as Record<string, unknown>).types, str((unpackaged as Record<string, unknown>).version) ?? apiVersion);
    const job = new RetrieveJob(this.org.store.ids.next('09S'), this.org, manifest, apiVersion);
    this.retrieves.set(job.id, job);
    const step = async () => {
      const t0 = performance.now();
      const more = await job.step();
      this.stats.handlerMs += performance.now() - t0;
      if (more && this.retrieves.get(job.id) === job) this.schedule(step);
    };
    this.schedule(step);
    return { done: false, id: job.id, state: 'Queued' };
  }

  private retrieveJob(id: string | undefined): RetrieveJob {
    const job = id ? this.retrieves.get(id) : undefined;
    if (!job) throw new SoapFault('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${id ?? ''}`);
    return job;
  }

  /** Forget in-flight jobs (on reset/stop). */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deploys.clear();
    this.order.clear();
    this.retrieves.clear();
    this.lastDeployAt = 0;
  }
}

/**
 * The DeployResult of deploy `id` in `org` (checkDeployStatus's shape as JSON: booleans and
 * numbers typed), for the REST `metadata/deployRequest/{id}` resource. Undefined when unknown.
 */
export function getDeployResult(org: { metadata: MetadataService }, id: string, includeDetails = true): DeployResultJson | undefined {
  return org.metadata.deployResult(id, includeDetails);
}
