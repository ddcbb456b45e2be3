import { realpathSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import type { Store } from '../store/store.js';
import { registerSecret } from '../util/redact.js';
import { cliClock, configPath } from './context.js';
import { err, type GlobalOptions } from './output.js';

export interface DaemonFlags extends GlobalOptions {
  configs?: string[];
  logFormat?: string;
}

/** `lizzy-sync daemon`: run the schedules until SIGINT/SIGTERM. */
export async function daemonCommand(flags: DaemonFlags): Promise<number> {
  const files = flags.configs?.length ? flags.configs : [configPath(flags)];
  const format = flags.logFormat ?? (process.stderr.isTTY ? 'human' : 'json');
  if (format !== 'human' && format !== 'json') throw new UsageError(`--log-format ${format}: use human or json.`);
  const unique = [...new Set(files.map((f) => path.resolve(f)))];
  if (unique.length < files.length) {
    // Two tenants on one config would run every job twice against one database (the lock makes the second wait, then skip).
    throw new UsageError('The same config file is given twice with --config; give each dealership\'s config once.');
  }
  const configs = unique.map((f) => loadConfig(f));
  const byDatabase = new Map<string, string>();
  for (const c of configs) {
    const where = databaseIdentity(c.database);
    const other = byDatabase.get(where);
    if (other) throw new UsageError(`${c.file} and ${other} use the same database; each dealership needs its own (database.sqlite, or database.schema on PostgreSQL).`);
    byDatabase.set(where, c.file);
  }
  for (const c of configs) registerSecret(c.lizzy.apiKey);
  const { openStore } = await import('../store/open.js');
  const { Daemon } = await import('../schedule/daemon.js');
  const { makeEventLog } = await import('../schedule/events.js');
  const { makeJobRunner, notify } = await import('../schedule/runner.js');
  const { ordersJob } = await import('./daemon-orders.js');
  const clock = cliClock();

  const names = configs.map((c) => path.basename(c.file).replace(/\.ya?ml$/i, ''));
  const dupes = new Set(names.filter((n, i) => names.indexOf(n) !== i));
  const stores: Store[] = [];
  try {
    const tenants = [];
    for (const [i, config] of configs.entries()) {
      const store = await openStore(config);
      stores.push(store);
      tenants.push({ name: dupes.has(names[i]!) ? config.file : names[i]!, config, store });
    }
    // Each dealership's lines also go to its own logging.file, when set.
    const console_ = makeEventLog({ format: format as 'human' | 'json', now: clock });
    const files = new Map(tenants.filter((t) => t.config.logging.file).map((t) => [t.name, makeEventLog({ format: 'json', file: t.config.logging.file, write: () => undefined, now: clock })]));
    const events = {
      event(level: 'info' | 'warn' | 'error', event: string, message: string, fields: Record<string, unknown> = {}) {
        console_.event(level, event, message, fields);
        if (fields.dealer) files.get(String(fields.dealer))?.event(level, event, message, fields);
        else for (const f of files.values()) f.event(level, event, message, fields);
      },
    };
    const daemon = new Daemon(tenants, {
      clock,
      sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
      run: makeJobRunner(clock, events, ordersJob),
      log: events,
      notify,
    });
    let signals = 0;
    const onSignal = (sig: string) => {
      signals++;
      if (signals > 1) {
        err(`${sig} again: exiting now (the database stays consistent: every write is one transaction).`);
        process.exit(130);
      }
      events.event('info', 'daemon.signal', `${sig} received: finishing the current work, starting nothing new (send it again to exit at once)`);
      void daemon.stop();
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGBREAK'] as const) process.on(sig, () => onSignal(sig));
    daemon.start();
    await daemon.done();
    return 0;
  } finally {
    for (const s of stores) await s.close().catch(() => undefined);
  }
}

const LOCAL_HOSTS = new Set(['', 'localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * What makes two configs the same database, however each spells it: a SQLite file by its
 * real path (through symlinks and ".."), a PostgreSQL schema by server, port, database and
 * schema (localhost, 127.0.0.1 and ::1 are one server; user and options do not matter).
 * Found by a break-it pass: a symlinked file and localhost vs 127.0.0.1 passed as different.
 */
export function databaseIdentity(db: { sqlite: string; postgres?: string; schema: string }): string {
  if (db.postgres) {
    try {
      const u = new URL(db.postgres);
      const host = LOCAL_HOSTS.has(u.hostname.toLowerCase()) ? 'local' : u.hostname.toLowerCase();
      const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
      return `postgres ${host}:${u.port || '5432'}/${database}#${db.schema}`;
    } catch {
      return `postgres ${db.postgres}#${db.schema}`;
    }
  }
  const file = path.resolve(db.sqlite);
  try {
    return `sqlite ${realpathSync(file)}`;
  } catch {
    try {
      return `sqlite ${path.join(realpathSync(path.dirname(file)), path.basename(file))}`;
    } catch {
      return `sqlite ${file}`;
    }
  }
}
