/** The one Changeline log channel. Every line is scrubbed of tokens before it is written. */
import * as vscode from 'vscode';
import { LOG_LEVELS, type LogLevel } from './config';
import { scrubSecrets } from './core/scrub';

export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private minimum: number;

  constructor(level: LogLevel) {
    this.channel = vscode.window.createOutputChannel('Changeline', { log: true });
    this.minimum = LOG_LEVELS.indexOf(level);
  }

  setLevel(level: LogLevel): void {
    this.minimum = LOG_LEVELS.indexOf(level);
  }

  private on(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= this.minimum;
  }

  /**
   * The channel has a level of its own (Developer: Set Log Level, default Info) that would drop
   * debug and trace lines the `changeline.log.level` setting asked for; those are then written at
   * Info with their level in front, so the setting decides.
   */
  trace(message: string): void {
    if (!this.on('trace')) return;
    if (this.channel.logLevel <= vscode.LogLevel.Trace && this.channel.logLevel !== vscode.LogLevel.Off) this.channel.trace(scrubSecrets(message));
    else this.channel.info(`[trace] ${scrubSecrets(message)}`);
  }
  debug(message: string): void {
    if (!this.on('debug')) return;
    if (this.channel.logLevel <= vscode.LogLevel.Debug && this.channel.logLevel !== vscode.LogLevel.Off) this.channel.debug(scrubSecrets(message));
    else this.channel.info(`[debug] ${scrubSecrets(message)}`);
  }
  info(message: string): void {
    if (this.on('info')) this.channel.info(scrubSecrets(message));
  }
  warn(message: string): void {
    if (this.on('warn')) this.channel.warn(scrubSecrets(message));
  }
  /** Logs the message and the error's detail (kind, stack), scrubbed. */
  error(message: string, error?: unknown): void {
    if (!this.on('error')) return;
    this.channel.error(scrubSecrets(error === undefined ? message : `${message}\n${detail(error)}`));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function detail(error: unknown): string {
  if (error instanceof Error) {
    const { kind, detail: cause } = error as { kind?: unknown; detail?: unknown };
    const head = `${kind ? `[${String(kind)}] ` : ''}${error.stack ?? `${error.name}: ${error.message}`}`;
    return typeof cause === 'string' && cause ? `${head}\nCause: ${cause}` : head;
  }
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
