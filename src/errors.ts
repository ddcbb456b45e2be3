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
  /** What the run did before it failed (counts, report path): part of the --json error object. */
  details?: Record<string, unknown>;
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

/**
 * Another run took this run's job lock over (its heartbeat stopped, or on PostgreSQL its
 * lock connection dropped) before it applied anything: it stops, changing nothing.
 */
export class LockLost extends LizzySyncError {
  override readonly exitCode = EXIT.LOCKED;
}

/** The run hit its deadline. */
export class RunTimeout extends LizzySyncError {
  override readonly exitCode = EXIT.CANNOT_RUN;
}

/** Did this aborted run signal fire for its deadline (AbortSignal.timeout), not a shutdown? */
export function abortedByDeadline(signal: AbortSignal): boolean {
  return (signal.reason as Error | undefined)?.name === 'TimeoutError';
}

/** SQLite result codes that say the database file or disk is the problem, not lizzy-sync. */
const SQLITE_ENVIRONMENT = /^SQLITE_(READONLY|CANTOPEN|FULL|IOERR|CORRUPT|NOTADB|PERM|AUTH|BUSY|LOCKED|PROTOCOL)/;
/** PostgreSQL SQLSTATE classes and codes of the same kind: connection, resources, operator, privileges, read-only. */
const PG_ENVIRONMENT = /^(08|53|57|58|3D|28)|^(42501|25006|40P01|55P03)$/;
/** What node-postgres says (without a SQLSTATE) when a connection drops under a query. */
const PG_CONNECTION_LOST = /^(Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable)$/;
/** System errors of the same kind from files and sockets. */
const SYSTEM_ENVIRONMENT = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * An error from the database driver or the system that is about the environment (a
 * read-only or full disk, a database that refuses us) becomes a StoreError: exit 3 with a
 * message to act on, not "internal error". Anything else is returned as it is.
 */
export function asKnownError(err: unknown): unknown {
  if (err instanceof LizzySyncError || !(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  if (code === undefined && PG_CONNECTION_LOST.test(err.message)) {
    return new StoreError(`The connection to the database was lost: ${err.message}. Nothing was changed by the step that failed.`, {
      hint: 'Check that the database server is up and reachable (database.postgres); the next run tries again.',
      cause: err,
    });
  }
  if (typeof code !== 'string') return err;
  const driver = err.name === 'SqliteError' ? 'sqlite' : err.name === 'error' || err.name === 'DatabaseError' ? 'pg' : 'system';
  const known = driver === 'sqlite' ? SQLITE_ENVIRONMENT.test(code) : driver === 'pg' ? PG_ENVIRONMENT.test(code) : SYSTEM_ENVIRONMENT.has(code);
  if (!known) return err;
  const hint = /READONLY|PERM|EACCES|EROFS|^42501$|^25006$|^28/.test(code)
    ? 'lizzy-sync cannot write there: check the permissions of the database (and its folder) or the database role, for the user that runs lizzy-sync.'
    : /FULL|ENOSPC|EDQUOT|^53/.test(code)
      ? 'The disk or the database is full: free space and run again.'
      : 'Check the database (database.sqlite or database.postgres) and that nothing else is holding or damaging it; the next run tries again.';
  return new StoreError(`The database could not be used: ${err.message} (${code}). Nothing was changed by the step that failed.`, { hint, cause: err });
}

export function exitCodeFor(err: unknown): ExitCode {
  const e = asKnownError(err);
  if (e instanceof LizzySyncError) return e.exitCode;
  return EXIT.BUG;
}

export function isUserError(err: unknown): err is LizzySyncError {
  return err instanceof LizzySyncError && err.exitCode !== EXIT.BUG;
}
