/** Row-to-object mappers shared by the SQLite and PostgreSQL stores (the columns are the same). */
import { neighbourKey, type Product, type SetterNeighbours, type StagedFeedItem } from './types.js';

/** A products row, as either store returns it. */
export interface ProductRow {
  id: number;
  catalog: Product['catalog'];
  distributor: string | null;
  manufacturer: string | null;
  match_brand?: string;
  part_number: string;
  description: string | null;
  list_price_cents: number | null;
  shelf_qty: number;
}

export function productFromRow(r: ProductRow): Product {
  return {
    id: r.id,
    catalog: r.catalog,
    distributor: r.distributor,
    manufacturer: r.manufacturer,
    partNumber: r.part_number,
    description: r.description,
    listPriceCents: r.list_price_cents,
    shelfQty: r.shelf_qty,
  };
}

/** A feed_stage row. */
export interface StagedRow {
  position: number;
  vendor: string | null;
  item: string | null;
  qty: number | null;
  price: number | string | null;
  price_problem: string | null;
  invalid: string | null;
  notes: string | null;
  earlier: string | null;
}

export function stagedFromRow(r: StagedRow): StagedFeedItem {
  return {
    position: r.position,
    vendor: r.vendor,
    itemNumber: r.item,
    quantity: r.qty,
    priceCents: r.price === null ? null : Number(r.price),
    priceProblem: r.price_problem,
    invalid: r.invalid,
    notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
    earlier: parseEarlier(r.earlier),
  };
}

/** "12:3,40:" (position:quantity, quantity empty when invalid) → the earlier duplicates. */
function parseEarlier(text: string | null): Array<{ position: number; quantity?: number }> | undefined {
  if (!text) return undefined;
  return text
    .split(',')
    .map((p) => {
      const [pos, qty] = p.split(':');
      return qty === '' || qty === undefined ? { position: Number(pos) } : { position: Number(pos), quantity: Number(qty) };
    })
    .sort((a, b) => a.position - b.position);
}

/**
 * Whether two mapping rows share a catalog and brand: only then can two feed items set one
 * product by exact match, and the neighbours table below is worth building.
 */
export const SHARED_BRAND_SQL = 'SELECT 1 FROM vmap GROUP BY catalog, brand HAVING count(*) > 1 LIMIT 1';

/**
 * For every exact match of a product that more than one feed item matches, the nearest
 * items before and after it that set that product (the planner's rule: an invalid item sets
 * nothing), with the quantity they set. Same SQL on both stores (unqualified names resolve
 * to the connection's temporary tables).
 */
export const FEED_CROSS_SQL = `CREATE TEMP TABLE feed_cross AS
  WITH m AS (
    SELECT m.position, m.id, CASE WHEN f.invalid IS NULL THEN m.position END AS setter FROM feed_match m JOIN feed_stage f ON f.position = m.position
    WHERE m.id IN (SELECT id FROM feed_match GROUP BY id HAVING count(*) > 1)
  ), w AS (
    SELECT position, id,
      max(setter) OVER (PARTITION BY id ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev,
      min(setter) OVER (PARTITION BY id ORDER BY position ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next
    FROM m
  )
  SELECT w.position, w.id, w.prev, p.vendor AS prev_vendor, p.item AS prev_item, p.qty AS prev_qty, w.next, n.vendor AS next_vendor, n.item AS next_item
  FROM w LEFT JOIN feed_stage p ON p.position = w.prev LEFT JOIN feed_stage n ON n.position = w.next
  WHERE w.prev IS NOT NULL OR w.next IS NOT NULL`;

export const FEED_CROSS_SELECT = 'SELECT position, id, prev, prev_vendor, prev_item, prev_qty, next, next_vendor, next_item FROM feed_cross WHERE position BETWEEN';

export type CrossTuple = [number, number, number | null, string | null, string | null, number | null, number | null, string | null, string | null];

export function neighboursFromTuples(rows: Iterable<CrossTuple>): Map<string, SetterNeighbours> {
  const out = new Map<string, SetterNeighbours>();
  for (const [position, id, prev, prevVendor, prevItem, prevQty, next, nextVendor, nextItem] of rows) {
    const n: SetterNeighbours = {};
    if (prev !== null) n.prev = { position: Number(prev), vendor: prevVendor ?? '', itemNumber: prevItem ?? '', ...(prevQty !== null ? { qty: Number(prevQty) } : {}) };
    if (next !== null) n.next = { position: Number(next), vendor: nextVendor ?? '', itemNumber: nextItem ?? '' };
    out.set(neighbourKey(Number(position), Number(id)), n);
  }
  return out;
}
