/**
 * Access to change requests: installing tracking gives the installing user the Changeline_Tracking
 * permission set (fields deployed through the Metadata API are readable to nobody without it), and
 * Grant Change Tracking Access gives it to other users. Real @salesforce/core and SDR against the
 * emulator, whose PermissionSet rows come from the deployed metadata and whose
 * PermissionSetAssignment refuses a second assignment of the same set, as Salesforce does.
 */
import * as assert from 'node:assert/strict';
import {
  authorizeWithToken,
  createChangeRequest,
  createRecord,
  grantTrackingAccess,
  installTracking,
  isTrackingAccessMissing,
  listChangeRequests,
  removeAuthorization,
  trackingStatus,
  usersWithTrackingAccess,
  TRACKING_PERMISSION_SET,
  TRACKING_SCHEMA_VERSION,
  type OrgConnection,
} from '../../src/salesforce';
import { newDraft } from '../../src/core/change-requests';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

describe('access to change requests (the tracking permission set)', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let reviewerConn: OrgConnection | undefined;
  const conn = () => env.conns.uat!;
  const admin = () => env.org('uat').info().users.find((u) => u.isAdmin)!;
  const reviewer = () => env.org('uat').info().users.find((u) => !u.isAdmin)!;

  before(async () => {
    env = await startEmulator({ orgs: ['uat'], aliasPrefix: 'acc-' });
  });
  after(async () => {
    if (reviewerConn) await removeAuthorization(reviewerConn.username).catch(() => undefined);
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

  it('a user without the permission set is refused (the org hides the fields), and told who can grant it', async () => {
    await createChangeRequest(conn(), newDraft({ name: 'Visible to holders only' }));
    reviewerConn = await authorizeWithToken({ accessToken: reviewer().accessToken, instanceUrl: env.org('uat').instanceUrl, alias: 'acc-reviewer' });
    assert.deepEqual(await trackingStatus(reviewerConn), { installed: true, upgradeAvailable: false, shipped: TRACKING_SCHEMA_VERSION, lacksAccess: true });
    const refused = await rejection(listChangeRequests(reviewerConn));
    assert.ok(isTrackingAccessMissing(refused), refused.message);
    assert.match(refused.message, /Your user reviewer@uat\.changeline\.test lacks the Changeline_Tracking permission set in "acc-reviewer", so the org hides change requests from you: ask someone who holds it to run "Grant Change Tracking Access…" for you\./);
    const write = await rejection(createChangeRequest(reviewerConn, newDraft({ name: 'Not allowed', overview: 'hidden field' })));
    assert.ok(isTrackingAccessMissing(write), write.message);
  });

  it('grants it to another user once; granting again changes nothing', async () => {
    assert.deepEqual(await grantTrackingAccess(conn(), [reviewer().id, admin().id]), [
      { userId: reviewer().id, outcome: 'assigned' },
      { userId: admin().id, outcome: 'already' },
    ]);
    assert.deepEqual([...(await usersWithTrackingAccess(conn()))].sort(), [admin().id, reviewer().id].sort());
    assert.deepEqual(await grantTrackingAccess(conn(), [reviewer().id]), [{ userId: reviewer().id, outcome: 'already' }]);
    // With it, the reviewer reads and writes change requests.
    assert.equal((await trackingStatus(reviewerConn!)).lacksAccess, undefined);
    assert.equal((await listChangeRequests(reviewerConn!)).totalSize, 1);
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
