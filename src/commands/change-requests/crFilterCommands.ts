/** The tree's change request filters: text, "only mine", clear. */
import type { Ctx } from '../../ctx';
import type { CrFilter } from '../../views/crFilter';

/** filterChangeRequests(text?): asks the text (prefilled) unless given; '' clears it. */
export async function filterChangeRequests(ctx: Ctx, text?: unknown): Promise<CrFilter | undefined> {
  const current = ctx.changeRequests.filter;
  let value = typeof text === 'string' ? text : undefined;
  if (value === undefined) {
    value = await ctx.prompts.input({
      title: 'Filter change requests',
      prompt: 'Shows change requests whose number, name or a customization contains this text (any case). Empty clears it.',
      value: current.text,
      placeHolder: 'e.g. CR-00012, discount, Account.Rating__c',
    });
    if (value === undefined) return undefined;
  }
  await ctx.changeRequests.setFilter({ ...current, text: value });
  return ctx.changeRequests.filter;
}

/** toggleMyChangeRequests(on?): only CRs created or submitted by the user (per environment's org user). */
export async function toggleMyChangeRequests(ctx: Ctx, on?: unknown): Promise<CrFilter> {
  const current = ctx.changeRequests.filter;
  await ctx.changeRequests.setFilter({ ...current, mine: typeof on === 'boolean' ? on : !current.mine });
  return ctx.changeRequests.filter;
}

export async function clearChangeRequestFilter(ctx: Ctx): Promise<CrFilter> {
  await ctx.changeRequests.setFilter({ text: '', mine: false });
  return ctx.changeRequests.filter;
}
