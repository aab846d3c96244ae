/** Change request commands (WORK IN PROGRESS: replaced by the tree/commands work of issue 4). */
import type { CommandContext } from './context';

const todo = async (_ctx: CommandContext, ..._args: unknown[]): Promise<unknown> => {
  throw new Error('Not available yet.');
};
export const installTracking = todo;
export const newChangeRequest = todo;
export const openChangeRequest = todo;
export const submitChangeRequest = todo;
export const approveChangeRequest = todo;
export const rejectChangeRequest = todo;
export const pushChangeRequest = todo;
export const pullChangeRequests = todo;
export const cancelChangeRequest = todo;
export const deleteChangeRequest = todo;
export const copyChangeRequestNumber = todo;
export const filterChangeRequests = todo;
export const toggleMyChangeRequests = todo;
export const clearChangeRequestFilter = todo;
