/** Thrown when the user cancels a running operation (shown as information, not as an error). */
export class CancelledError extends Error {
  constructor(what = 'Operation') {
    super(`${what} cancelled.`);
    this.name = 'CancelledError';
  }
}
