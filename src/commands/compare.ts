/** Compare commands (WORK IN PROGRESS: replaced by the compare UI work of issue 5). */
import type { CommandContext } from './context';

const todo = async (_ctx: CommandContext, ..._args: unknown[]): Promise<unknown> => {
  throw new Error('Not available yet.');
};
export const compareEnvironments = todo;
export const compareChangeRequest = todo;
export const diffWithEnvironment = todo;
export const exportCompareCsv = todo;
