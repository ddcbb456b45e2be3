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
  {
    version: 2,
    name: 'orders, order lines, push state',
    sql: `
      CREATE TABLE orders (
        order_number TEXT PRIMARY KEY,
        -- canonical UTC ISO instant (toISOString), so text order is time order
        placed_at TEXT NOT NULL,
        ship_name TEXT NOT NULL,
        ship_email TEXT NOT NULL,
        ship_phone TEXT NOT NULL,
        ship_address1 TEXT NOT NULL,
        ship_address2 TEXT NOT NULL,
        ship_city TEXT NOT NULL,
        ship_state TEXT NOT NULL,
        ship_zip TEXT NOT NULL,
        ship_country TEXT NOT NULL,
        bill_name TEXT NOT NULL,
        bill_email TEXT NOT NULL,
        bill_phone TEXT NOT NULL,
        bill_address1 TEXT NOT NULL,
        bill_address2 TEXT NOT NULL,
        bill_city TEXT NOT NULL,
        bill_state TEXT NOT NULL,
        bill_zip TEXT NOT NULL,
        bill_country TEXT NOT NULL,
        tax_cents INTEGER NOT NULL,
        shipping_cents INTEGER NOT NULL,
        total_cents INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_attempt_at TEXT,
        picked_up_at TEXT,
        claim_run INTEGER,
        claimed_at TEXT,
        sent_at TEXT,
        invoice_number TEXT,
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (state <> 'sent' OR sent_at IS NOT NULL),
        CHECK (state <> 'sending' OR claimed_at IS NOT NULL)
      ) STRICT;
      CREATE INDEX orders_state ON orders (state, placed_at);
      CREATE INDEX orders_placed ON orders (placed_at);
      CREATE TABLE order_items (
        order_number TEXT NOT NULL REFERENCES orders(order_number) ON DELETE CASCADE,
        line_no INTEGER NOT NULL,
        product_id TEXT NOT NULL,
        manufacturer TEXT NOT NULL,
        description TEXT NOT NULL,
        price_cents INTEGER NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (order_number, line_no)
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 're-index mark on products (reindex_queue becomes a view)',
    // Marking a changed product in the same UPDATE that changes it costs nothing; a second
    // table cost a million-row insert per pull on a large catalog. Readers keep the same
    // reindex_queue (product_id, queued_at); deleting from it clears the mark.
    sql: `
      ALTER TABLE products ADD COLUMN reindex_queued_at TEXT;
      UPDATE products SET reindex_queued_at = (SELECT q.queued_at FROM reindex_queue q WHERE q.product_id = products.id)
        WHERE id IN (SELECT product_id FROM reindex_queue);
      DROP TABLE reindex_queue;
      CREATE INDEX products_reindex ON products (reindex_queued_at) WHERE reindex_queued_at IS NOT NULL;
      CREATE VIEW reindex_queue AS SELECT id AS product_id, reindex_queued_at AS queued_at FROM products WHERE reindex_queued_at IS NOT NULL;
      CREATE TRIGGER reindex_queue_delete INSTEAD OF DELETE ON reindex_queue
        BEGIN UPDATE products SET reindex_queued_at = NULL WHERE id = OLD.product_id; END;
    `,
  },
  {
    version: 4,
    name: 'no index on the re-index mark',
    // Maintaining that index was the largest cost of a pull that clears a big catalog: one
    // index entry written per zeroed product (0.7 s of 1.5 s for 850,000 products). Reading
    // the queue scans products instead, about 0.1 s for a million; deleting from the queue
    // goes by id.
    sql: `DROP INDEX IF EXISTS products_reindex;`,
  },
];
