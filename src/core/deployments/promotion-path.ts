/**
 * The promotion path: changes climb the pipeline one environment at a time, along its
 * `promotion` connections. Every way to deploy asks here first; a refusal names where the
 * changes may go instead.
 */
import type { ChangeRequest } from '../change-requests/model';
import type { Verdict } from '../change-requests/rules';
import { promotionTargets } from '../pipeline/graph';
import type { Environment, Pipeline } from '../pipeline/types';

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

const orList = (names: readonly string[]): string =>
  names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;

function findEnv(pipeline: Pipeline, name: string): Environment | undefined {
  return pipeline.environments.find((e) => e.name === name);
}

function unknownEnv(pipeline: Pipeline, name: string): Verdict {
  const names = pipeline.environments.map((e) => e.name);
  return no(`"${name}" is not an environment of the pipeline (${names.join(', ')}); pick one of those, or add it to .changeline/pipeline.json.`);
}

/** Whether the pipeline lets changes go from `from` straight to `to`. */
export function checkPromotionPath(pipeline: Pipeline, from: string, to: string): Verdict {
  const source = findEnv(pipeline, from);
  if (!source) return unknownEnv(pipeline, from);
  if (!findEnv(pipeline, to)) return unknownEnv(pipeline, to);
  const targets = promotionTargets(pipeline.connections, from);
  if (targets.includes(to)) return OK;
  if (targets.length === 0) {
    return no(
      source.role === 'production'
        ? `${from} is production, the top of the pipeline: changes are not promoted from it.`
        : `${from} promotes to no environment; give it a "next" environment in .changeline/pipeline.json before deploying from it.`,
    );
  }
  if (from === to) return no(`The changes are in ${from} already; deploy them to ${orList(targets)}.`);
  return no(`From ${from}, changes go to ${orList(targets)} only; they reach ${to} through the pipeline, one environment at a time. Deploy to ${orList(targets)}.`);
}

const CR_STATUS_HINT: Partial<Record<ChangeRequest['status'], string>> = {
  Draft: 'submit it for approval and have it approved first',
  'Pending approval': 'it waits for its approvers; deploy once it is approved',
  Rejected: 'address the rejection, submit it again and have it approved',
  Deploying: 'it is being deployed already',
  Deployed: 'it has been deployed already',
  Completed: 'it is completed; create a new change request for further changes',
  Cancelled: 'it was cancelled; create a new change request',
};

/**
 * Whether a deployment record may be created for this CR, from its environment `from` to `to`:
 * only an approved CR with customizations, only along the pipeline's promotion path.
 */
export function canCreateDeployment(cr: ChangeRequest, pipeline: Pipeline, from: string, to: string): Verdict {
  const name = cr.number ?? `"${cr.name}"`;
  if (cr.status !== 'Approved') {
    return no(`Only an approved change request can be deployed: ${name} is ${cr.status}; ${CR_STATUS_HINT[cr.status] ?? 'have it approved first'}.`);
  }
  if (cr.customizations.length === 0) {
    return no(`${name} has no customizations in ${from} to deploy; add the components it changes first.`);
  }
  return checkPromotionPath(pipeline, from, to);
}

/**
 * Whether local source files may be deployed to `to`: only to development environments; the
 * others get their changes through the pipeline.
 */
export function canDeployLocalSource(pipeline: Pipeline, to: string): Verdict {
  const target = findEnv(pipeline, to);
  if (!target) return unknownEnv(pipeline, to);
  if (target.role === 'development') return OK;
  const devs = pipeline.environments.filter((e) => e.role === 'development').map((e) => e.name);
  return no(
    `${to} is a ${target.role} environment: changes reach it through the pipeline, not from local files. ` +
      (devs.length ? `Deploy local source to ${orList(devs)}, then promote it.` : 'Add a development environment to the pipeline to deploy local source to.'),
  );
}
