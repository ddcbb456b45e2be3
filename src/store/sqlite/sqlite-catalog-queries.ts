/**
 * Catalog and status queries for the diagnostics (mappings validate, explain, status) and for
 * part-number normalisation in the inventory planner. SqliteStore delegates here.
 */
import type Database from 'better-sqlite3';
import type { CatalogKind } from '../../config/schema.js';
import { productFromRow, type ProductRow } from '../rows.js';
import type { Product } from '../types.js';

type DB = Database.Database;

/**
 * The products of one (catalog, brand) whose normalised part number is among `keys`, grouped
 * by it. One indexed range scan of the brand (products_key starts with catalog, match_brand);
 * the normaliser runs on part numbers only, and a product row is read only for a hit.
 */
export function findProductsByNormalised(
  db: DB,
  catalog: CatalogKind,
  brand: string,
  normalise: (partNumber: string) => string,
  keys: ReadonlySet<string>,
): Map<string, Product[]> {
  const out = new Map<string, Product[]>();
  if (keys.size === 0) return out;
  const ids: Array<[string, number]> = [];
  const scan = db.prepare<[string, string], { id: number; part_number: string }>(
    'SELECT id, part_number FROM products WHERE catalog = ? AND match_brand = ? ORDER BY part_number',
  );
  for (const r of scan.iterate(catalog, brand)) {
    const k = normalise(r.part_number);
    if (keys.has(k)) ids.push([k, r.id]);
  }
  const get = db.prepare<[number], ProductRow>('SELECT * FROM products WHERE id = ?');
  for (const [k, id] of ids) {
    const row = get.get(id);
    if (!row) continue;
    const list = out.get(k);
    if (list) list.push(productFromRow(row));
    else out.set(k, [productFromRow(row)]);
  }
  return out;
}

/** Every part number of one (catalog, brand), sorted. */
export function partNumbersOf(db: DB, catalog: CatalogKind, brand: string): string[] {
  return (
    db.prepare('SELECT part_number FROM products WHERE catalog = ? AND match_brand = ? ORDER BY part_number').pluck().all(catalog, brand) as string[]
  );
}

/** How many products each (catalog, brand) holds. */
export function catalogBrands(db: DB): Array<{ catalog: CatalogKind; brand: string; products: number }> {
  return db
    .prepare('SELECT catalog, match_brand AS brand, count(*) AS products FROM products GROUP BY catalog, match_brand ORDER BY catalog, match_brand')
    .all() as Array<{ catalog: CatalogKind; brand: string; products: number }>;
}
