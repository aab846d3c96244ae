/**
 * What `changeline` writes: results on stdout (a table, or one JSON document with `--json`, or CSV),
 * progress and log lines on stderr, so `--json > file` stays machine-readable. Every line that
 * may carry org data is scrubbed of tokens.
 */
import { scrubSecrets } from '../core/scrub';
import type { LogSink } from '../core/log-sink';
import type { ProgressUpdate } from '../workflows/types';

export interface Output {
  json: boolean;
  /** Writes a result: the JSON document with --json, else the text. */
  result(text: string, json: unknown): void;
  /** A line on stderr (notes, warnings). */
  note(line: string): void;
  progress(p: ProgressUpdate): void;
  /** Ends a progress line on a terminal. */
  done(): void;
  log: LogSink;
}

export function createOutput(opts: { json: boolean; verbose: boolean; stdout?: NodeJS.WritableStream & { isTTY?: boolean }; stderr?: NodeJS.WritableStream & { isTTY?: boolean } }): Output {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const tty = !!err.isTTY && !opts.json;
  let open = false;
  const clear = () => {
    if (open) err.write('\r\x1b[2K');
    open = false;
  };
  const line = (level: string) => (m: string, e?: unknown) => {
    if (!opts.verbose && (level === 'debug' || level === 'info')) return;
    clear();
    err.write(`${level}: ${scrubSecrets(e === undefined ? m : `${m}: ${(e as Error)?.message ?? String(e)}`)}\n`);
  };
  return {
    json: opts.json,
    result(text, json) {
      clear();
      out.write(opts.json ? `${JSON.stringify(json, null, 2)}\n` : text.endsWith('\n') || text === '' ? text : `${text}\n`);
    },
    note(l) {
      clear();
      err.write(`${scrubSecrets(l)}\n`);
    },
    progress(p) {
      const bar = p.percent === undefined ? '' : `[${'#'.repeat(Math.round(p.percent / 5)).padEnd(20, '.')}] ${String(Math.round(p.percent)).padStart(3)}% `;
      const text = scrubSecrets(`${bar}${p.message}`);
      if (tty) {
        const width = (err as { columns?: number }).columns ?? 100;
        err.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
        open = true;
      } else if (opts.verbose) err.write(`${text}\n`);
    },
    done: clear,
    log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
  };
}

/** A plain text table: a header row and aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
