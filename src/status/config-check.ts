/**
 * `lizzy-sync config check`: every resolved setting with where it came from, and the checks
 * that the config can work (database, reports folder, schedules, and one call to Lizzy).
 * The API key is only ever shown masked.
 */
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configSpec, type Config, type Spec } from '../config/schema.js';
import { requireApiKey } from '../config/load.js';
import { LizzySyncError } from '../errors.js';
import { LizzyClient } from '../lizzy/client.js';
import { CronSyntaxError as UnsupportedCron, parseCron as parseSimpleCron } from '../schedule/cron.js';
import { nextRun } from '../schedule/gate.js';
import { formatInZone } from '../schedule/zone.js';
import { checkLogFile } from '../schedule/events.js';
import type { Store } from '../store/store.js';
import { maskConnectionUrl, maskSecret, redact } from '../util/redact.js';
import { makeDir } from '../util/make-dir.js';

export interface Setting {
  key: string;
  /** As shown: secrets masked, paths resolved. */
  value: string | number | boolean | string[] | null;
  source: 'file' | 'env' | 'default' | 'not set';
}

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export interface Check {
  name: string;
  status: CheckStatus;
  message: string;
  hint?: string;
}

export interface ConfigCheckResult {
  /** No check failed. */
  passed: boolean;
  file: string;
  settings: Setting[];
  checks: Check[];
}

/** A URL with its path and query hidden (webhook URLs often carry a token). */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/***`;
  } catch {
    return '***';
  }
}

/** A connection URL's password replaced by *** (postgres://user:secret@host/db). */
export function maskUrlPassword(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? maskConnectionUrl(value) : value;
}

/** Every setting except the vendor rows, in the schema's order, with its source. */
export function configSettings(config: Config): Setting[] {
  const out: Setting[] = [];
  const walk = (spec: Spec, value: unknown, prefix: string) => {
    if (spec.kind !== 'object') return;
    for (const [key, field] of Object.entries(spec.fields)) {
      const kp = prefix ? `${prefix}.${key}` : key;
      if (kp === 'vendors') continue;
      const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      if (field.spec.kind === 'object') {
        walk(field.spec, v, kp);
        continue;
      }
      let shown: Setting['value'] = v === undefined ? null : (v as Setting['value']);
      if (kp === 'lizzy.apiKey' && typeof v === 'string') shown = maskSecret(v);
      if (kp === 'notify.webhookUrl' && typeof v === 'string') shown = maskUrl(v);
      else if (typeof shown === 'string') shown = maskUrlPassword(shown);
      // Only the store in use: with database.postgres set, the SQLite default is not a setting that does anything.
      if (kp === 'database.sqlite' && config.database.postgres) continue;
      if (kp === 'database.schema' && !config.database.postgres) continue;
      const source: Setting['source'] = v === undefined ? 'not set' : (config.sources[kp] ?? 'default');
      out.push({ key: kp, value: shown, source });
    }
  };
  walk(configSpec, config, '');
  return out;
}

export interface ConfigCheckOptions {
  offline: boolean;
  now: Date;
  openStore: (config: Config) => Promise<Store>;
}

function writable(dir: string): string | undefined {
  try {
    makeDir(dir);
    const probe = path.join(dir, `.lizzy-sync-write-test-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe, { force: true });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function runConfigCheck(config: Config, opts: ConfigCheckOptions): Promise<ConfigCheckResult> {
  const checks: Check[] = [{ name: 'config', status: 'ok', message: `${config.file} loads (${config.vendors.length} vendor mapping rows)` }];

  // The same checks a run makes (a key in quotes), so config check and the run agree.
  let keyProblem: LizzySyncError | undefined;
  if (config.lizzy.apiKey) {
    try {
      requireApiKey(config);
    } catch (err) {
      if (err instanceof LizzySyncError) keyProblem = err;
    }
  }
  checks.push(
    keyProblem
      ? { name: 'api key', status: 'fail', message: keyProblem.message, ...(keyProblem.hint ? { hint: keyProblem.hint } : {}) }
      : config.lizzy.apiKey
      ? { name: 'api key', status: 'ok', message: `set (${maskSecret(config.lizzy.apiKey)}, from ${config.sources['lizzy.apiKey'] === 'env' ? 'the environment' : 'the config file'})` }
      : config.unsetVars?.['lizzy.apiKey']
        ? {
            name: 'api key',
            status: 'fail',
            message: `not set: lizzy.apiKey takes it from the environment variable ${config.unsetVars['lizzy.apiKey']}, which is not set`,
            hint: `Set ${config.unsetVars['lizzy.apiKey']} (or check its spelling; the usual name is LIZZY_API_KEY).`,
          }
        : { name: 'api key', status: 'fail', message: 'not set', hint: 'Set the environment variable LIZZY_API_KEY (or lizzy.apiKey); Lizzy technical support issues the key.' },
  );
  checks.push(
    config.lizzy.webstoreId === '12345'
      ? {
          // The example config's and the mock's value: a copied config that still has it sends orders to the wrong webstore (new-user walkthrough).
          name: 'webstore id',
          status: 'warn',
          message: '12345 is the example config\'s placeholder (and the mock\'s): is it really your webstore\'s ID?',
          hint: 'The number in parentheses next to your webstore name in the Lizzy Webstore Interface.',
        }
      : config.lizzy.webstoreId
      ? { name: 'webstore id', status: 'ok', message: config.lizzy.webstoreId }
      : { name: 'webstore id', status: 'warn', message: 'not set: order push needs it', hint: 'The number in parentheses next to your webstore name in the Lizzy Webstore Interface.' },
  );

  // The database opens (and is brought up to date).
  const existed = existsSync(config.database.sqlite);
  try {
    const store = await opts.openStore(config);
    try {
      const products = await store.countProducts();
      checks.push({
        name: 'database',
        status: products === 0 ? 'warn' : 'ok',
        message: `${store.location} opens${existed ? '' : ' (created, empty)'}; ${products.toLocaleString('en-US')} products`,
        ...(products === 0 ? { hint: 'Import the catalog: lizzy-sync catalog import FILE.csv' } : {}),
      });
    } finally {
      await store.close();
    }
  } catch (err) {
    checks.push({
      name: 'database',
      status: 'fail',
      message: redact((err as Error).message),
      hint: err instanceof LizzySyncError ? err.hint : 'Check database.sqlite: the folder must exist or be creatable, and be writable.',
    });
  }

  const reportsProblem = writable(config.reports.dir);
  checks.push(
    reportsProblem
      ? { name: 'reports folder', status: 'fail', message: `${config.reports.dir} is not writable: ${reportsProblem}`, hint: 'Set reports.dir to a folder this user can write.' }
      : { name: 'reports folder', status: 'ok', message: `${config.reports.dir} is writable` },
  );
  if (config.logging.file) {
    const p = writable(path.dirname(config.logging.file));
    let problem: string | undefined;
    try {
      checkLogFile(config.logging.file);
    } catch (err) {
      problem = (err as Error).message;
    }
    checks.push(
      p
        ? { name: 'log file', status: 'fail', message: `${path.dirname(config.logging.file)} is not writable: ${p}` }
        : problem
          ? { name: 'log file', status: 'fail', message: problem }
          : { name: 'log file', status: 'ok', message: `${config.logging.file} can be appended to` },
    );
  }

  for (const job of ['inventory', 'orders'] as const) {
    const expr = config.schedule[job];
    try {
      parseSimpleCron(expr);
      // The next slot that really runs: an inventory slot on a disabled day does not.
      const next = nextRun(config, job, opts.now, null);
      checks.push({ name: `${job} schedule`, status: 'ok', message: `"${expr}" in ${config.schedule.timezone}; next ${next ? formatInZone(next, config.schedule.timezone) : 'none'}` });
    } catch (err) {
      if (!(err instanceof UnsupportedCron)) throw err;
      checks.push({ name: `${job} schedule`, status: 'warn', message: err.message, hint: 'status lists next runs only for minute/hour lists, ranges and steps.' });
    }
  }

  if (opts.offline) {
    checks.push({ name: 'lizzy', status: 'skipped', message: '--offline: Lizzy was not called' });
  } else if (!config.lizzy.apiKey) {
    checks.push({ name: 'lizzy', status: 'skipped', message: 'no API key to check' });
  } else {
    // One cheap, read-only call: an inventory item that does not exist. 404 means the key was accepted.
    const client = new LizzyClient({
      baseUrl: config.lizzy.baseUrl,
      apiKey: config.lizzy.apiKey,
      timeoutMs: Math.min(config.lizzy.timeoutSeconds, 30) * 1000,
      retries: 0,
      maxRetryAfterMs: 0,
    });
    try {
      await client.inventoryItem('LIZZY-SYNC CONFIG CHECK', 'LIZZY-SYNC-CONFIG-CHECK');
      checks.push({ name: 'lizzy', status: 'ok', message: `${config.lizzy.baseUrl} answered and accepted the API key` });
    } catch (err) {
      const e = err instanceof LizzySyncError ? err : undefined;
      // The client's hints speak of a run ("Nothing was changed ... the next run tries
      // again"); a check changes nothing and has no next run (found by a new-user walkthrough).
      const hint = e?.hint
        ?.replace(/^Nothing was changed\.\s*/, '')
        .replace(/;?\s*the next run tries again\.?$/i, '.')
        .trim();
      checks.push({ name: 'lizzy', status: 'fail', message: redact((err as Error).message), ...(hint && hint !== '.' ? { hint } : {}) });
    }
  }

  return { passed: !checks.some((c) => c.status === 'fail'), file: config.file, settings: configSettings(config), checks };
}
