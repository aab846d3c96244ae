/**
 * Grant Change Tracking Access…: gives users of an environment the Changeline_Tracking permission
 * set, without which they cannot read change requests (approvers included).
 */
import type { AccessGrant } from '../salesforce';
import type { CommandContext } from './context';
import { resolveEnvironment } from './crArgs';
import { prompts } from './prompts';

const USERS_SOQL = 'SELECT Id, Name, Username FROM User WHERE IsActive = true ORDER BY Name';

export async function grantTrackingAccess(ctx: CommandContext, arg?: unknown): Promise<AccessGrant[] | undefined> {
  const env = await resolveEnvironment(ctx, arg, 'Environment whose users get access to change requests');
  if (!env) return undefined;
  const session = await ctx.sessions.get(env);
  const sf = await ctx.sessions.api();
  const [users, holders] = await Promise.all([
    sf.query<{ Id: string; Name: string; Username: string }>(session.handle, USERS_SOQL),
    sf.usersWithTrackingAccess(session.handle),
  ]);
  const candidates = users.filter((u) => !holders.has(u.Id));
  if (candidates.length === 0) {
    void prompts.info(`Every active user of ${env} can already use change requests (${holders.size} hold the ${sf.TRACKING_PERMISSION_SET} permission set).`);
    return [];
  }
  const picked = await prompts.pickMany(
    candidates.map((u) => ({ label: u.Name, description: u.Username, id: u.Id })),
    { title: `Give access to change requests in ${env}`, placeHolder: `Users without the ${sf.TRACKING_PERMISSION_SET} permission set (${holders.size} already hold it)` },
  );
  if (!picked?.length) return undefined;
  const grants = await sf.grantTrackingAccess(session.handle, picked.map((p) => p.id));
  const names = picked.map((p) => p.label).join(', ');
  ctx.log.info(`Gave ${picked.length} user(s) of ${env} the ${sf.TRACKING_PERMISSION_SET} permission set: ${names}.`);
  void prompts.info(`${names} can now use change requests in ${env}.`);
  return grants;
}
