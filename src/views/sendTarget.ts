/**
 * Which Send command a row shows: menu titles are static, so a row whose environment sends to
 * production (its only next stage) gets `.toProduction` appended to its `contextValue`, and
 * package.json shows "Send to Production…" on it instead of "Send to Next Environment…".
 */
import type { Pipeline } from '../core/pipeline';
import { promotionTargets } from '../core/promotion/send';

export const TO_PRODUCTION_SUFFIX = '.toProduction';
/** Marks a row whose Send has certainly nothing to send (package.json's `enablement` greys Send there). */
export const NOTHING_TO_SEND_MARK = '.unchanged';

/** The rows Send is offered on (package.json's menus): environments, approved CRs, approved or deployed records. */
const SENDABLE = /^(environment(\.\w+)*|changeRequest\.approved|deployment\.(approved|deployed|completed))$/;

/** Whether a row (by its `contextValue`, before the Send suffixes) offers Send. */
export function offersSend(contextValue: string | undefined): boolean {
  return !!contextValue && SENDABLE.test(contextValue);
}

/**
 * The row's tooltip line naming where Send goes (menu titles are static: "Send to Next
 * Environment…"); undefined where the environment sends nowhere.
 */
export function sendHint(pipeline: Pipeline, env: string): string | undefined {
  const targets = promotionTargets(pipeline, env);
  if (targets.length === 0) return undefined;
  const title = sendsToProduction(pipeline, env) ? 'Send to Production…' : 'Send to Next Environment…';
  if (targets.length > 1) return `${title} asks where: ${targets.map((t) => t.name).join(' or ')}.`;
  return `${title} sends to ${targets[0].name}'s deployment queue.`;
}

/** Whether `env`'s next stage is production (its only promotion target). */
export function sendsToProduction(pipeline: Pipeline, env: string): boolean {
  const targets = promotionTargets(pipeline, env);
  return targets.length === 1 && targets[0].role === 'production';
}

/** The row's `contextValue` marked `.unchanged` (before `.toProduction`, which menus match at the end). */
export function withNothingToSend(contextValue: string): string {
  if (contextValue.includes(NOTHING_TO_SEND_MARK)) return contextValue;
  return contextValue.endsWith(TO_PRODUCTION_SUFFIX)
    ? contextValue.slice(0, -TO_PRODUCTION_SUFFIX.length) + NOTHING_TO_SEND_MARK + TO_PRODUCTION_SUFFIX
    : contextValue + NOTHING_TO_SEND_MARK;
}

/** The row's `contextValue`, with `.toProduction` when it offers Send and its environment sends to production. */
export function withSendTarget(contextValue: string | undefined, environment: string | undefined, pipeline: Pipeline | undefined): string | undefined {
  if (!contextValue || !environment || !pipeline || !SENDABLE.test(contextValue)) return contextValue;
  return sendsToProduction(pipeline, environment) ? contextValue + TO_PRODUCTION_SUFFIX : contextValue;
}
