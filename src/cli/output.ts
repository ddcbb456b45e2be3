import { readFileSync } from 'node:fs';
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import { asKnownError, EXIT, exitCodeFor, LizzySyncError } from '../errors.js';
import type { Logger } from '../log.js';
import { redact } from '../util/redact.js';

export interface GlobalOptions {
  /** Repeatable on the command line; only the daemon takes more than one. */
  config?: string | string[];
  json?: boolean;
  debug?: boolean;
  color?: boolean;
}

export function colors(opts: GlobalOptions = {}): ChalkInstance {
  const off = opts.color === false || (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') || !process.stderr.isTTY;
  return off ? new Chalk({ level: 0 }) : chalk;
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** stdout carries results; stderr carries progress, logs and warnings. */
export function out(text: string): void {
  process.stdout.write(`${redact(text)}\n`);
}

export function err(text: string): void {
  process.stderr.write(`${redact(text)}\n`);
}

export function printJson(value: unknown): void {
  // Redact the values before they are JSON-escaped: a key with a quote or backslash in it
  // would not be found in the escaped text.
  out(JSON.stringify(value, (_k, v) => (typeof v === 'string' ? redact(v) : v), 2));
}

/** A logger for the terminal: a spinner for progress on a TTY, plain lines otherwise. */
export async function cliLogger(opts: GlobalOptions): Promise<Logger & { stop(): void }> {
  const c = colors(opts);
  // No spinner without a real terminal width: some terminals (docker exec -t, CI) report 0
  // columns, and a spinner redrawing into 0 columns never stops writing.
  const tty = process.stderr.isTTY && (process.stderr.columns ?? 0) >= 20 && !process.env.CI && !opts.json;
  let spinner: { text: string; start(): unknown; stop(): unknown; isSpinning: boolean } | undefined;
  if (tty) {
    const { default: ora } = await import('ora');
    spinner = ora({ stream: process.stderr, color: 'cyan' });
  }
  const clear = () => {
    if (spinner?.isSpinning) spinner.stop();
  };
  return {
    info(message) {
      clear();
      err(message);
    },
    warn(message) {
      clear();
      err(c.yellow(`warning: ${message}`));
    },
    progress(message) {
      if (!spinner) return;
      spinner.text = message;
      if (!spinner.isSpinning) spinner.start();
    },
    stop: clear,
  };
}

/** Print an error the way a dealer's IT person needs it, and return the exit code. */
export function reportError(raw: unknown, opts: GlobalOptions): number {
  const e = asKnownError(raw);
  const code = exitCodeFor(e);
  const c = colors(opts);
  const known = e instanceof LizzySyncError && code !== EXIT.BUG;
  const message = redact(e instanceof Error ? e.message : String(e));
  if (opts.json) {
    printJson({
      ...(e instanceof LizzySyncError ? e.details : undefined),
      ok: false,
      exitCode: code,
      error: { type: e instanceof Error ? e.name : 'Error', message, hint: known ? (e as LizzySyncError).hint : undefined },
    });
  }
  if (known) {
    err(c.red(`error: ${message}`));
    const hint = (e as LizzySyncError).hint;
    if (hint) err(`  ${hint}`);
  } else {
    err(c.red(`internal error: ${message}`));
    err('  This is a bug in lizzy-sync. Please report it with the output of the same command run with --debug.');
  }
  if (opts.debug && e instanceof Error && e.stack) err(redact(e.stack));
  return code;
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 order", "2 orders", "1,000 rows". */
export function fmtCount(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
