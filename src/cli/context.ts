import path from 'node:path';
import { clockFromEnv, type Clock } from '../clock.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { registerSecret } from '../util/redact.js';
import type { GlobalOptions } from './output.js';

export function configPath(opts: GlobalOptions): string {
  const given = Array.isArray(opts.config) ? opts.config : opts.config ? [opts.config] : [];
  if (given.length > 1) throw new UsageError(`--config was given ${given.length} times; only the daemon serves several dealerships at once.`);
  return path.resolve(given[0] ?? process.env.LIZZY_SYNC_CONFIG ?? DEFAULT_CONFIG_FILE);
}

export function loadCliConfig(opts: GlobalOptions): Config {
  const config = loadConfig(configPath(opts));
  registerSecret(config.lizzy.apiKey);
  return config;
}

export function cliClock(): Clock {
  return clockFromEnv();
}
