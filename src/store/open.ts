import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** Open the store the config names (SQLite by default) and bring its schema up to date. */
export async function openStore(config: Config): Promise<Store> {
  if (config.database.postgres) {
    throw new ConfigError('database.postgres is not supported by this version yet; use database.sqlite.');
  }
  return new SqliteStore(config.database.sqlite);
}
