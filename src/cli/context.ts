import path from 'node:path';
import { clockFromEnv, type Clock } from '../clock.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { registerSecret } from '../util/redact.js';
import type { GlobalOptions } from './output.js';

export function configPath(opts: GlobalOptions): string {
  return path.resolve(opts.config ?? process.env.LIZZY_SYNC_CONFIG ?? DEFAULT_CONFIG_FILE);
}

export function loadCliConfig(opts: GlobalOptions): Config {
  const config = loadConfig(configPath(opts));
  registerSecret(config.lizzy.apiKey);
  return config;
}

export function cliClock(): Clock {
  return clockFromEnv();
}
