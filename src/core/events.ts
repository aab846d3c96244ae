/**
 * A minimal event emitter with VS Code's `Event` shape (a function that subscribes a listener and
 * returns something disposable), so plain-Node layers (workflows, the CLI) can raise events that
 * the editor's views subscribe to unchanged.
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => unknown) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners: ((e: T) => unknown)[] = [];

  readonly event: Event<T> = (listener) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // One failing listener must not keep the others from hearing the event.
      }
    }
  }

  dispose(): void {
    this.listeners = [];
  }
}
