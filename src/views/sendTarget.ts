/**
 * Which Send command a row shows: menu titles are static, so a row whose environment sends to
 * production (its only next stage) gets `.toProduction` appended to its `contextValue`, and
 * package.json shows "Send to Production…" on it instead of "Send to Next Environment…".
 */
import type { Pipeline } from '../core/pipeline';
import { promotionTargets } from '../core/promotion/send';

export const TO_PRODUCTION_SUFFIX = '.toProduction';

/** The rows Send is offered on (package.json's menus): environments, approved CRs, approved or deployed records. */
const SENDABLE = /^(environment(\.\w+)*|changeRequest\.approved|deployment\.(approved|deployed|completed))$/;

/** Whether `env`'s next stage is production (its only promotion target). */
export function sendsToProduction(pipeline: Pipeline, env: string): boolean {
  const targets = promotionTargets(pipeline, env);
  return targets.length === 1 && targets[0].role === 'production';
}

/** The row's `contextValue`, with `.toProduction` when it offers Send and its environment sends to production. */
export function withSendTarget(contextValue: string | undefined, environment: string | undefined, pipeline: Pipeline | undefined): string | undefined {
  if (!contextValue || !environment || !pipeline || !SENDABLE.test(contextValue)) return contextValue;
  return sendsToProduction(pipeline, environment) ? contextValue + TO_PRODUCTION_SUFFIX : contextValue;
}
