/**
 * Grant Change Tracking Access…: gives users of an environment the Changeline_Tracking permission
 * set, without which they cannot read change requests (approvers included).
 */
import type { AccessGrant } from '../../salesforce';
import type { Ctx } from '../../ctx';
import { resolveEnvironment } from './crArgs';

export async function grantTrackingAccess(ctx: Ctx, arg?: unknown): Promise<AccessGrant[] | undefined> {
  const env = await resolveEnvironment(ctx, arg, 'Environment whose users get access to change requests');
  if (!env) return undefined;
  const session = await ctx.sessions.get(env);
  const sf = await ctx.salesforce();
  const [users, holders] = await Promise.all([
    sf.activeUsers(session.handle),
    sf.usersWithTrackingAccess(session.handle),
  ]);
  const candidates = users.filter((u) => !holders.has(u.id));
  if (candidates.length === 0) {
    void ctx.prompts.info(`Every active user of ${env} can already use change requests (${holders.size} hold the ${sf.TRACKING_PERMISSION_SET} permission set).`);
    return [];
  }
  const picked = await ctx.prompts.pickMany(
    candidates.map((u) => ({ label: u.name, description: u.username, id: u.id })),
    { title: `Give access to change requests in ${env}`, placeHolder: `Users without the ${sf.TRACKING_PERMISSION_SET} permission set (${holders.size} already hold it)` },
  );
  if (!picked?.length) return undefined;
  const grants = await sf.grantTrackingAccess(session.handle, picked.map((p) => p.id));
  const names = picked.map((p) => p.label).join(', ');
  ctx.log.info(`Gave ${picked.length} user(s) of ${env} the ${sf.TRACKING_PERMISSION_SET} permission set: ${names}.`);
  void ctx.prompts.info(`${names} can now use change requests in ${env}.`);
  return grants;
}
