import * as assert from 'node:assert/strict';
import { newDraft, type ChangeRequest } from '../../../src/core/change-requests';
import type { DeploymentRecord, DeploymentStatus } from '../../../src/core/deployments';
import { parsePipeline, type Pipeline } from '../../../src/core/pipeline';

export const ALICE = { userId: '005000000000001AAA' };
export const BOB = { userId: '005000000000002AAA' };
export const CAROL = { userId: '005000000000003AAA' };

/** Dev1, Dev2 → UAT → Production; UAT runs local tests by default, Dev1 none. */
export function pipeline(): Pipeline {
  const r = parsePipeline(
    JSON.stringify({
      version: 1,
      environments: [
        { name: 'Dev1', org: 'dev1', role: 'development', next: 'UAT', testLevel: 'NoTestRun' },
        { name: 'Dev2', org: 'dev2', role: 'development', next: 'UAT' },
        { name: 'UAT', org: 'uat', role: 'staging', next: 'Production', testLevel: 'RunLocalTests' },
        { name: 'Production', org: 'prod', role: 'production' },
      ],
    }),
  );
  assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
  return r.pipeline;
}

export function env(name: string) {
  const e = pipeline().environments.find((x) => x.name === name);
  assert.ok(e, name);
  return e;
}

export function approvedCr(extra: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    ...newDraft({ name: 'Greeting', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }, { type: 'CustomField', fullName: 'Account.Greeting__c' }] }),
    id: 'a01000000000001AAA',
    number: 'CR-00007',
    status: 'Approved',
    ...extra,
  };
}

export function dep(status: DeploymentStatus, extra: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'a02000000000001AAA',
    number: 'DEP-00042',
    crId: 'a01000000000001AAA',
    crNumber: 'CR-00007',
    sourceEnvironment: 'UAT',
    targetEnvironment: 'Production',
    components: [
      { type: 'ApexClass', fullName: 'Greeter' },
      { type: 'CustomField', fullName: 'Account.Greeting__c' },
    ],
    runTests: [],
    approvers: [BOB.userId],
    status,
    createdBy: ALICE.userId,
    submittedBy: status === 'Draft' ? undefined : ALICE.userId,
    ...extra,
  };
}

export function refused(v: { ok: boolean; reason?: string }, pattern: RegExp): void {
  assert.equal(v.ok, false, 'expected a refusal');
  assert.match((v as { reason: string }).reason, pattern);
}
