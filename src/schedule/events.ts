import { appendFileSync, closeSync, constants, openSync, statSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import path from 'node:path';
import { redact } from '../util/redact.js';
import { makeDir } from '../util/make-dir.js';
import { formatInZone, localTimeZone } from './zone.js';

export type Level = 'info' | 'warn' | 'error';

/** One line per event: human-readable on a terminal, JSON lines otherwise; optionally to a file (JSON). */
export interface EventLog {
  event(level: Level, event: string, message: string, fields?: Record<string, unknown>): void;
}

/**
 * logging.file must be a file whose folder exists or can be made: anything else is the
 * configuration's mistake, said before the daemon starts (it was an internal error, or,
 * for a folder, every line dropped without a word).
 */
export function checkLogFile(file: string): void {
  try {
    makeDir(path.dirname(file));
  } catch (err) {
    throw new ConfigError(`logging.file: cannot create its folder ${path.dirname(file)}: ${(err as Error).message}`, {
      hint: 'Set logging.file to a file in a folder lizzy-sync can write to.',
    });
  }
  let isDir = false;
  let special = false;
  try {
    const st = statSync(file);
    isDir = st.isDirectory();
    special = !isDir && !st.isFile();
  } catch {
    // does not exist yet: it is created by the first line
  }
  if (isDir) throw new ConfigError(`logging.file: ${file} is a folder; name a file in it (for example ${path.join(file, 'lizzy-sync.log')}).`);
  // Lines are appended with blocking writes: a named pipe with no reader hung the run for
  // ever, and /dev/full dropped every line (found by a break-it pass).
  if (special) throw new ConfigError(`logging.file: ${file} is not a regular file (a named pipe, socket or device); name a plain file.`);
  // Opened for appending, as every line will be: a file another user owns (created by root
  // in a manual run, appended to by cron as lizzy) or made immutable took every line
  // silently (found by a break-it pass).
  try {
    // O_NONBLOCK: a named pipe nobody reads is refused (ENXIO) instead of hanging here.
    closeSync(openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK));
  } catch (err) {
    throw new ConfigError(`logging.file: cannot append to ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'Give the user lizzy-sync runs as write access to the file (or remove it so it is created afresh), or set logging.file elsewhere.',
    });
  }
}

export function makeEventLog(opts: {
  format: 'human' | 'json';
  file?: string;
  write?: (line: string) => void;
  now?: () => Date;
  /** The zone of the human format's times (default: the machine's). JSON lines keep UTC. */
  timeZone?: string;
}): EventLog {
  const write = opts.write ?? ((l: string) => process.stderr.write(`${l}\n`));
  const now = opts.now ?? (() => new Date());
  if (opts.file) checkLogFile(opts.file);
  return {
    event(level, event, message, fields = {}) {
      const ts = now().toISOString();
      const record = { ts, level, event, message: redact(message), ...fields };
      const json = redact(JSON.stringify(record));
      if (opts.format === 'json') write(json);
      else {
        const who = [fields.dealer, fields.job, fields.runId ? `run ${String(fields.runId)}` : undefined].filter(Boolean).join(' ');
        // Local time on a terminal, like every other time a person reads here (found by a
        // new-user walkthrough: the daemon's lines were the only ones in UTC).
        const when = formatInZone(new Date(ts), opts.timeZone ?? localTimeZone(), { seconds: true });
        write(redact(`${when} ${level.toUpperCase().padEnd(5)} ${who ? `[${who}] ` : ''}${message}`));
      }
      if (opts.file) {
        try {
          appendFileSync(opts.file, `${json}\n`);
        } catch {
          /* a full disk must not stop the daemon; the console still has the line */
        }
      }
    },
  };
}
