import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { Duration } from '@salesforce/kit';
import { Emulator } from '../emulator';
import { rawConnection } from './helpers/raw-connection';

/**
 * A deployment made by any client (here SDR itself) is part of the org's history: the Tooling API's
 * DeployRequest object and the REST `metadata/deployRequest/{id}` resource both report it.
 */
describe('emulator deployment history (Tooling DeployRequest and REST deployRequest)', function () {
  let emu: Emulator;
  let conn: Connection;
  let dir: string;

  before(async () => {
    emu = await Emulator.start({ orgs: ['dev'], settings: { jobStepMs: 20 } });
    conn = await rawConnection(emu.org('dev'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-history-'));
    const classes = path.join(dir, 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(classes, 'Billing.cls'), 'public class Billing {\n  public static Integer total() { return 1; }\n}\n');
    fs.writeFileSync(
      path.join(classes, 'Billing.cls-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>\n',
    );
  });

  after(async () => {
    await emu?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports an SDR deployment with its user, status, and components', async () => {
    const cs = ComponentSet.fromSource(dir);
    cs.apiVersion = '62.0';
    const deploy = await cs.deploy({ usernameOrConnection: conn });
    const result = await deploy.pollStatus({ frequency: Duration.milliseconds(20), timeout: Duration.minutes(1) });
    assert.equal(result.response.success, true, JSON.stringify(result.response));
    const id = result.response.id;

    const history = await conn.tooling.query<Record<string, any>>(
      `SELECT Id, Status, CheckOnly, CreatedBy.Name, NumberComponentsDeployed FROM DeployRequest WHERE Id = '${id}'`,
    );
    assert.equal(history.totalSize, 1);
    const row = history.records[0];
    assert.equal(row.Status, 'Succeeded');
    assert.equal(row.CheckOnly, false);
    assert.equal(row.CreatedBy.Name, emu.org('dev').admin.name);
    assert.equal(row.NumberComponentsDeployed, 1);

    const rest = await conn.request<Record<string, any>>(`/services/data/v62.0/metadata/deployRequest/${id}?includeDetails=true`);
    assert.equal(rest.id, id);
    assert.equal(rest.deployResult.status, 'Succeeded');
    const successes: Array<Record<string, any>> = [].concat(rest.deployResult.details.componentSuccesses);
    assert.ok(
      successes.some((s) => s.componentType === 'ApexClass' && s.fullName === 'Billing'),
      `Billing should be among ${JSON.stringify(successes.map((s) => s.fullName))}`,
    );
  });

  it('answers 404 for a deploy id the org never saw', async () => {
    await assert.rejects(conn.request('/services/data/v62.0/metadata/deployRequest/0Af000000000000AAA'), /NOT_FOUND|No deploy request/);
  });
});
