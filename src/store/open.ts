import type { Config } from '../config/schema.js';
import type { Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** Open the store the config names (SQLite by default) and bring its schema up to date. */
export async function openStore(config: Config): Promise<Store> {
  if (config.database.postgres) {
    const { PgStore } = await import('./postgres/pg-store.js');
    return PgStore.open(config.database.postgres, config.database.schema);
  }
  return new SqliteStore(config.database.sqlite);
}
