/** What the tree shows under an environment and under a status group, from the change request model. */
import { COMMANDS } from '../shared/ids';
import type { ChangeRequestsModel } from './changeRequestsModel';
import { filterActive } from './crFilter';
import { ChangeRequestNode, CrErrorNode, CrHintNode, CrLoadingNode, GROUP_PAGE, ShowMoreNode, StatusGroupNode, TrackingMissingNode, type CrNode } from './crNodes';

/** Children of an environment: tracking state, then one group per status (with a loading row while pages arrive). */
export function crChildren(model: ChangeRequestsModel, env: string): CrNode[] {
  const state = model.state(env);
  switch (state.kind) {
    case 'loading':
      return [new CrLoadingNode(env)];
    case 'error':
      return [new CrErrorNode(env, state.message)];
    case 'missing':
      return [new TrackingMissingNode(env, state.upgrade)];
    case 'ready': {
      const groups = model.groups(env).map((g) => new StatusGroupNode(env, g.status, g.items.length, !state.complete && !state.rereading));
      const out: CrNode[] = groups;
      if (state.rereading) out.push(new CrLoadingNode(env));
      else if (!state.complete) out.push(new CrLoadingNode(env, state.items.length, state.total));
      else if (groups.length === 0) {
        out.push(
          filterActive(model.filter)
            ? new CrHintNode(env, 'No change request matches the filter', { command: COMMANDS.clearChangeRequestFilter.id, title: COMMANDS.clearChangeRequestFilter.title })
            : new CrHintNode(env, 'No change requests yet: create one', { command: COMMANDS.newChangeRequest.id, title: COMMANDS.newChangeRequest.title, arguments: [{ environment: env }] }),
        );
      }
      return out;
    }
  }
}

/** Children of a group (or of its "Show more…" row): the next GROUP_PAGE CRs, then "Show more…" if any are left. */
export function groupChildren(model: ChangeRequestsModel, parent: StatusGroupNode | ShowMoreNode): CrNode[] {
  const offset = parent instanceof ShowMoreNode ? parent.offset : 0;
  const items = model.groups(parent.environment).find((g) => g.status === parent.status)?.items ?? [];
  const page: CrNode[] = items.slice(offset, offset + GROUP_PAGE).map((cr) => new ChangeRequestNode(parent.environment, cr));
  const rest = items.length - offset - GROUP_PAGE;
  if (rest > 0) page.push(new ShowMoreNode(parent.environment, parent.status, offset + GROUP_PAGE, rest));
  return page;
}
