import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { redact } from '../util/redact.js';
import { makeDir } from '../util/make-dir.js';

export type Level = 'info' | 'warn' | 'error';

/** One line per event: human-readable on a terminal, JSON lines otherwise; optionally to a file (JSON). */
export interface EventLog {
  event(level: Level, event: string, message: string, fields?: Record<string, unknown>): void;
}

export function makeEventLog(opts: {
  format: 'human' | 'json';
  file?: string;
  write?: (line: string) => void;
  now?: () => Date;
}): EventLog {
  const write = opts.write ?? ((l: string) => process.stderr.write(`${l}\n`));
  const now = opts.now ?? (() => new Date());
  if (opts.file) makeDir(path.dirname(opts.file));
  return {
    event(level, event, message, fields = {}) {
      const ts = now().toISOString();
      const record = { ts, level, event, message: redact(message), ...fields };
      const json = redact(JSON.stringify(record));
      if (opts.format === 'json') write(json);
      else {
        const who = [fields.dealer, fields.job, fields.runId ? `run ${String(fields.runId)}` : undefined].filter(Boolean).join(' ');
        write(redact(`${ts} ${level.toUpperCase().padEnd(5)} ${who ? `[${who}] ` : ''}${message}`));
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
