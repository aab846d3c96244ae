/**
 * Access to change requests: installing tracking gives the installing user the Changeline_Tracking
 * permission set (fields deployed through the Metadata API are readable to nobody without it), and
 * Grant Change Tracking Access gives it to other users. Real @salesforce/core and SDR against the
 * emulator, whose PermissionSet rows come from the deployed metadata and whose
 * PermissionSetAssignment refuses a second assignment of the same set, as Salesforce does.
 */
import * as assert from 'node:assert/strict';
import { createRecord, grantTrackingAccess, installTracking, usersWithTrackingAccess, TRACKING_PERMISSION_SET } from '../../src/salesforce';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

describe('access to change requests (the tracking permission set)', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  const conn = () => env.conns.uat!;
  const admin = () => env.org('uat').info().users.find((u) => u.isAdmin)!;
  const reviewer = () => env.org('uat').info().users.find((u) => !u.isAdmin)!;

  before(async () => {
    env = await startEmulator({ orgs: ['uat'], aliasPrefix: 'acc-' });
  });
  after(async () => {
    await env?.stop();
  });

  it('cannot grant access before tracking is installed, and says what to do', async () => {
    const refused = await rejection(grantTrackingAccess(conn(), [reviewer().id]));
    assert.match(refused.message, /"acc-uat" has no Changeline_Tracking permission set: install change tracking there first/);
  });

  it('installing gives the installing user the permission set; installing again finds it held', async () => {
    const first = await installTracking(conn(), { pollMs: 20 });
    assert.deepEqual(first.access, { permissionSet: TRACKING_PERMISSION_SET, outcome: 'assigned' });
    assert.deepEqual([...(await usersWithTrackingAccess(conn()))], [admin().id], 'only the installer holds it');
    const again = await installTracking(conn(), { pollMs: 20 });
    assert.deepEqual(again.access, { permissionSet: TRACKING_PERMISSION_SET, outcome: 'already' });
  });

  it('grants it to another user once; granting again changes nothing', async () => {
    assert.deepEqual(await grantTrackingAccess(conn(), [reviewer().id, admin().id]), [
      { userId: reviewer().id, outcome: 'assigned' },
      { userId: admin().id, outcome: 'already' },
    ]);
    assert.deepEqual([...(await usersWithTrackingAccess(conn()))].sort(), [admin().id, reviewer().id].sort());
    assert.deepEqual(await grantTrackingAccess(conn(), [reviewer().id]), [{ userId: reviewer().id, outcome: 'already' }]);
    assert.equal(env.org('uat').store.table('PermissionSetAssignment').size, 2, 'one assignment per user');
  });

  it('a second assignment of the same set is refused by the org, as in Salesforce', async () => {
    const ps = env.org('uat').store.listComponents('PermissionSet').find((c) => c.fullName === TRACKING_PERMISSION_SET)!;
    const refused = await rejection(createRecord(conn(), 'PermissionSetAssignment', { AssigneeId: reviewer().id, PermissionSetId: ps.id }));
    assert.match(`${refused.message}\n${(refused as { detail?: string }).detail ?? ''}`, /DUPLICATE_VALUE|Duplicate PermissionSetAssignment/);
  });

  it('refuses ids that are not users, naming them', async () => {
    const malformed = await rejection(grantTrackingAccess(conn(), ['not-an-id']));
    assert.match(malformed.message, /"not-an-id" is not a user id/);
    const notAUser = '001000000000001AAA'; // an account id
    const refused = await rejection(grantTrackingAccess(conn(), [notAUser]));
    assert.match(refused.message, new RegExp(`Could not give 1 user\\(s\\) the Changeline_Tracking permission set in "acc-uat": ${notAUser}: `));
  });
});
