/**
 * The error taxonomy and the one table that maps errors to exit codes.
 * Every command ends through `exitCodeFor`; nothing else chooses an exit code.
 */

export const EXIT = {
  OK: 0,
  NEEDS_ATTENTION: 1,
  USAGE: 2,
  CANNOT_RUN: 3,
  BUG: 70,
  LOCKED: 75,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base class: an expected failure with a message meant for a dealer's IT person. */
export class LizzySyncError extends Error {
  readonly exitCode: ExitCode = EXIT.BUG;
  /** What to do about it, printed under the message. */
  readonly hint?: string;
  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.hint = opts.hint;
  }
}

/** Bad flags or arguments. */
export class UsageError extends LizzySyncError {
  override readonly exitCode = EXIT.USAGE;
}

/** The configuration (file or environment) is wrong; the message names file:line and key path. */
export class ConfigError extends LizzySyncError {
  override readonly exitCode = EXIT.USAGE;
}

/** An input file (catalog CSV, orders JSON) could not be read at all. */
export class InputError extends LizzySyncError {
  override readonly exitCode = EXIT.USAGE;
}

/** Lizzy could not be reached, rejected us, or answered something unreadable. */
export class LizzyError extends LizzySyncError {
  override readonly exitCode = EXIT.CANNOT_RUN;
  readonly status?: number;
  /** True when a request may have reached Lizzy and its outcome is unknown. */
  readonly outcomeUnknown: boolean;
  constructor(message: string, opts: { hint?: string; cause?: unknown; status?: number; outcomeUnknown?: boolean } = {}) {
    super(message, opts);
    this.status = opts.status;
    this.outcomeUnknown = opts.outcomeUnknown ?? false;
  }
}

/** The store could not be opened or written. */
export class StoreError extends LizzySyncError {
  override readonly exitCode = EXIT.CANNOT_RUN;
}

/** A safety guard refused to apply a plan (for example: the feed would wipe the store). */
export class GuardTripped extends LizzySyncError {
  override readonly exitCode = EXIT.CANNOT_RUN;
}

/** Another run of the same job holds the lock. */
export class LockHeld extends LizzySyncError {
  override readonly exitCode = EXIT.LOCKED;
}

/** The run hit its deadline. */
export class RunTimeout extends LizzySyncError {
  override readonly exitCode = EXIT.CANNOT_RUN;
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof LizzySyncError) return err.exitCode;
  return EXIT.BUG;
}

export function isUserError(err: unknown): err is LizzySyncError {
  return err instanceof LizzySyncError && err.exitCode !== EXIT.BUG;
}
