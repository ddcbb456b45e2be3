import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { tempDir } from './helpers.js';

describe('SQLite migrations', () => {
  it('upgrade a schema-1 database, keeping what the re-index queue held', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'old.db');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
    db.exec(SQLITE_MIGRATIONS[0]!.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, ?)').run(SQLITE_MIGRATIONS[0]!.name, '2026-11-01T00:00:00.000Z');
    db.exec(`INSERT INTO products (id, catalog, distributor, match_brand, part_number, shelf_qty, updated_at) VALUES
      (1, 'aftermarket', 'PU', 'PU', '0101-0001', 3, '2026-11-01T00:00:00.000Z'),
      (2, 'aftermarket', 'PU', 'PU', '0101-0002', 0, '2026-11-01T00:00:00.000Z')`);
    db.exec(`INSERT INTO reindex_queue VALUES (1, '2026-11-02T04:00:00.000Z')`);
    db.close();

    const store = new SqliteStore(file);
    const versions = (store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(store.db.prepare('SELECT * FROM reindex_queue').all()).toEqual([{ product_id: 1, queued_at: '2026-11-02T04:00:00.000Z' }]);
    expect(await store.reindexQueueSize()).toBe(1);
    store.db.prepare('DELETE FROM reindex_queue WHERE product_id = 1').run();
    expect(await store.reindexQueueSize()).toBe(0);
    expect(await store.countProducts()).toBe(2);
    await store.close();
    t.cleanup();
  });
});
