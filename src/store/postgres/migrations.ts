/**
 * Versioned schema migrations for PostgreSQL, in the configured schema (default "lizzy").
 * Append only. {{S}} is replaced by the quoted schema name.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    name: 'catalog, re-index queue, runs, locks',
    sql: `
      CREATE TABLE {{S}}.distributors (abbreviation text PRIMARY KEY, name text);
      CREATE TABLE {{S}}.manufacturers (name text PRIMARY KEY);
      CREATE TABLE {{S}}.products (
        id bigserial PRIMARY KEY,
        catalog text NOT NULL CHECK (catalog IN ('aftermarket', 'oem', 'private')),
        distributor text,
        manufacturer text,
        match_brand text NOT NULL,
        part_number text NOT NULL,
        description text,
        list_price_cents bigint,
        shelf_qty integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL,
        UNIQUE (catalog, match_brand, part_number)
      );
      CREATE TABLE {{S}}.reindex_queue (
        product_id bigint PRIMARY KEY REFERENCES {{S}}.products(id) ON DELETE CASCADE,
        queued_at timestamptz NOT NULL
      );
      CREATE TABLE {{S}}.sync_runs (
        id bigserial PRIMARY KEY,
        job text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        status text NOT NULL,
        counts jsonb NOT NULL DEFAULT '{}',
        report_path text,
        error text
      );
      CREATE INDEX sync_runs_job ON {{S}}.sync_runs (job, started_at);
      CREATE TABLE {{S}}.job_locks (
        job text PRIMARY KEY,
        owner text NOT NULL,
        pid integer NOT NULL,
        host text NOT NULL,
        acquired_at timestamptz NOT NULL,
        heartbeat_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'orders, order lines, push state',
    sql: `
      CREATE TABLE {{S}}.orders (
        order_number text PRIMARY KEY,
        placed_at timestamptz NOT NULL,
        ship_name text NOT NULL, ship_email text NOT NULL, ship_phone text NOT NULL,
        ship_address1 text NOT NULL, ship_address2 text NOT NULL, ship_city text NOT NULL,
        ship_state text NOT NULL, ship_zip text NOT NULL, ship_country text NOT NULL,
        bill_name text NOT NULL, bill_email text NOT NULL, bill_phone text NOT NULL,
        bill_address1 text NOT NULL, bill_address2 text NOT NULL, bill_city text NOT NULL,
        bill_state text NOT NULL, bill_zip text NOT NULL, bill_country text NOT NULL,
        tax_cents bigint NOT NULL,
        shipping_cents bigint NOT NULL,
        total_cents bigint NOT NULL,
        content_hash text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        last_attempt_at timestamptz,
        picked_up_at timestamptz,
        claim_run bigint,
        claimed_at timestamptz,
        sent_at timestamptz,
        invoice_number text,
        imported_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (state <> 'sent' OR sent_at IS NOT NULL),
        CHECK (state <> 'sending' OR claimed_at IS NOT NULL)
      );
      CREATE INDEX orders_state ON {{S}}.orders (state, placed_at);
      CREATE INDEX orders_placed ON {{S}}.orders (placed_at);
      CREATE TABLE {{S}}.order_items (
        order_number text NOT NULL REFERENCES {{S}}.orders(order_number) ON DELETE CASCADE,
        line_no integer NOT NULL,
        product_id text NOT NULL,
        manufacturer text NOT NULL,
        description text NOT NULL,
        price_cents bigint NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (order_number, line_no)
      );
    `,
  },
  {
    version: 3,
    name: 're-index mark on products (reindex_queue becomes a view)',
    sql: `
      ALTER TABLE {{S}}.products ADD COLUMN reindex_queued_at timestamptz;
      UPDATE {{S}}.products p SET reindex_queued_at = q.queued_at FROM {{S}}.reindex_queue q WHERE q.product_id = p.id;
      DROP TABLE {{S}}.reindex_queue;
      CREATE INDEX products_reindex ON {{S}}.products (reindex_queued_at) WHERE reindex_queued_at IS NOT NULL;
      CREATE VIEW {{S}}.reindex_queue AS SELECT id AS product_id, reindex_queued_at AS queued_at FROM {{S}}.products WHERE reindex_queued_at IS NOT NULL;
      CREATE FUNCTION {{S}}.reindex_queue_delete() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
        BEGIN UPDATE {{S}}.products SET reindex_queued_at = NULL WHERE id = OLD.product_id; RETURN OLD; END
      $fn$;
      CREATE TRIGGER reindex_queue_delete INSTEAD OF DELETE ON {{S}}.reindex_queue FOR EACH ROW EXECUTE FUNCTION {{S}}.reindex_queue_delete();
    `,
  },
  {
    version: 4,
    name: 'no index on the re-index mark',
    // As in SQLite: one index entry per zeroed product was a large part of a clearing pull;
    // reading the queue scans products instead.
    sql: `DROP INDEX IF EXISTS {{S}}.products_reindex;`,
  },
  {
    version: 5,
    name: 'run counts keep their order (json, not jsonb)',
    // jsonb reorders keys (shortest first), so status listed a PostgreSQL run's counts in a
    // different order from SQLite's; json keeps the text as written.
    sql: `ALTER TABLE {{S}}.sync_runs ALTER COLUMN counts TYPE json USING counts::json, ALTER COLUMN counts SET DEFAULT '{}';`,
  },
];
