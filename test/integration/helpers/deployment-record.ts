/**
 * A deployment record ready to deploy, made through the workflows as users make it: an approved
 * change request of classes in Dev (the admin submits, the reviewer approves in their own session),
 * a record toward the target, submitted, approved by the reviewer, its package retrieved.
 */
import { strict as assert } from 'node:assert';
import { changeStatus, createRequest } from '../../../src/core/change-requests';
import { SILENT_LOG } from '../../../src/core/log-sink';
import type { Environment, Pipeline } from '../../../src/core/pipeline';
import * as salesforce from '../../../src/salesforce';
import { approveDeployment, createDeployment, retrievePackage, submitDeployment } from '../../../src/workflows/deploy/records';
import { OrgSessions } from '../../../src/workflows/sessions';
import type { WorkflowDeps } from '../../../src/workflows/types';
import type { StartedEmulator } from './emulator';

/** Workflow deps of a user: the pipeline with Dev's org replaced by `devOrg` (the user's sf alias there). */
export function depsFor(pipeline: Pipeline, devOrg: string): WorkflowDeps {
  const envs: Environment[] = pipeline.environments.map((e) => (e.name === 'Dev' ? { ...e, org: devOrg } : e));
  return { sessions: new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };
}

export interface RecordUsers {
  env: StartedEmulator;
  pipeline: Pipeline;
  /** The admin's deps (creates, submits, retrieves). */
  ada: WorkflowDeps;
  /** The reviewer's deps (approves). */
  rae: WorkflowDeps;
  reviewerConn: salesforce.OrgConnection;
  target: string;
}

/** The id of an approved record of `classes` (already in Dev) toward `u.target`, its package retrieved. */
export async function readyRecord(u: RecordUsers, name: string, classes: string[]): Promise<string> {
  const dev = u.env.conns.dev!;
  const users = u.env.org('dev').info().users;
  const admin = users.find((x) => x.isAdmin)!;
  const reviewer = users.find((x) => !x.isAdmin)!;
  const made = await createRequest({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, { name, customizations: classes.map((fullName) => ({ type: 'ApexClass', fullName })) });
  assert.ok(made.ok, JSON.stringify(made));
  const submitted = await changeStatus({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, made.cr, 'Pending approval');
  assert.ok(submitted.ok);
  const approved = await changeStatus({ store: salesforce.trackingStore(u.reviewerConn), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'ok');
  assert.ok(approved.ok);
  const record = await createDeployment(u.ada, { crEnv: 'Dev', crRef: approved.cr.number!, targetEnv: u.target, pipeline: u.pipeline });
  assert.ok(record.ok, JSON.stringify(record));
  assert.ok((await submitDeployment(u.ada, 'Dev', record.record.id!, u.pipeline)).ok);
  assert.ok((await approveDeployment(u.rae, 'Dev', record.record.id!, `Ready for ${u.target}`)).ok);
  const pkg = await retrievePackage(u.ada, 'Dev', record.record.id!, { pollMs: 20 });
  assert.ok(pkg.ok, JSON.stringify(pkg));
  return record.record.id!;
}

const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const b64 = (t: string) => Buffer.from(t, 'utf8').toString('base64');

/** A class that greets with `word`. */
export const greeterClass = (name: string, word: string) => `public with sharing class ${name} {\n    public static String greet(String who) {\n        return '${word}, ' + who;\n    }\n}\n`;

/** The emulator store's files of such a class (to change an org directly, as another tool would). */
export const classFiles = (name: string, word: string) => ({ [`classes/${name}.cls`]: b64(greeterClass(name, word)), [`classes/${name}.cls-meta.xml`]: b64(META) });

/** The source of a class in an emulated org, or undefined when the org does not have it. */
export function classIn(env: StartedEmulator, org: string, name: string): string | undefined {
  const c = env.org(org).store.getComponent('ApexClass', name);
  return c ? Buffer.from(c.files[`classes/${name}.cls`], 'base64').toString('utf8') : undefined;
}
