/**
 * The end-to-end suites run once per store: SQLite always, PostgreSQL when
 * LIZZY_TEST_PG_URL names a database (.ci/run creates a fresh one). Each test gets its own
 * SQLite file or its own PostgreSQL schema.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export type StoreKind = 'sqlite' | 'postgres';

export const PG_URL = process.env.LIZZY_TEST_PG_URL;
export const STORES: StoreKind[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface StoreHandle {
  kind: StoreKind;
  /** The `database:` section for the config. */
  yaml: string;
  /** Run SQL against the store's tables (unqualified names). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export function storeFor(kind: StoreKind, dir: string): StoreHandle {
  if (kind === 'sqlite') {
    const file = path.join(dir, 'data', 'lizzy-sync.db');
    return {
      kind,
      yaml: 'database:\n  sqlite: ./data/lizzy-sync.db\n',
      async query<T>(sql: string, params: unknown[] = []) {
        const db = new Database(file);
        try {
          const stmt = db.prepare(sql);
          return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
        } finally {
          db.close();
        }
      },
      async drop() {},
    };
  }
  const schema = `t_${randomBytes(5).toString('hex')}`;
  return {
    kind,
    yaml: `database:\n  postgres: ${PG_URL}\n  schema: ${schema}\n`,
    async query<T>(sql: string, params: unknown[] = []) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`SET search_path TO ${schema}`);
        // SQLite-style "?" placeholders become $1, $2, ...
        let i = 0;
        const res = await c.query(sql.replace(/\?/g, () => `$${++i}`), params);
        return res.rows.map((r) => {
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(r)) out[k] = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? Number(v) : v;
          return out;
        }) as T[];
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
