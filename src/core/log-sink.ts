/**
 * Where workflows write their log lines: the editor's output channel, the CLI's stderr (with
 * `--verbose`), or nothing in tests. Implementations scrub tokens before writing.
 */
export interface LogSink {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Writes nothing. */
export const SILENT_LOG: LogSink = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
