/** Row-to-object mappers shared by the SQLite and PostgreSQL stores (the columns are the same). */
import type { Product, StagedFeedItem } from './types.js';

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
