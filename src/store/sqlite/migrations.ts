/** Versioned schema migrations for SQLite. Append only: never edit a shipped migration. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'catalog, re-index queue, runs, locks',
    sql: `
      CREATE TABLE distributors (
        abbreviation TEXT PRIMARY KEY,
        name TEXT
      ) STRICT;
      CREATE TABLE manufacturers (
        name TEXT PRIMARY KEY
      ) STRICT;
      CREATE TABLE products (
        id INTEGER PRIMARY KEY,
        catalog TEXT NOT NULL CHECK (catalog IN ('aftermarket', 'oem', 'private')),
        distributor TEXT,
        manufacturer TEXT,
        -- distributor abbreviation for aftermarket, manufacturer for oem and private
        match_brand TEXT NOT NULL,
        part_number TEXT NOT NULL,
        description TEXT,
        list_price_cents INTEGER,
        shelf_qty INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX products_key ON products (catalog, match_brand, part_number);
      CREATE TABLE reindex_queue (
        product_id INTEGER PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
        queued_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE sync_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}',
        report_path TEXT,
        error TEXT
      ) STRICT;
      CREATE INDEX sync_runs_job ON sync_runs (job, started_at);
      CREATE TABLE job_locks (
        job TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];
