/**
 * The inventory planner: pure functions from (feed items, catalog products, mappings,
 * settings) to a plan of changes and skips with reasons. Nothing here reads a clock,
 * a file or the database; the report, --dry-run and --json all render the same plan.
 */
import type { CatalogKind, VendorMapping } from '../config/schema.js';
import { keyString, type Product, type ProductKey } from '../store/types.js';
import { looseName } from '../util/suggest.js';
import type { FeedItem } from './item.js';

export const STATUSES = ['updated', 'unchanged', 'not_found', 'unrecognized_vendor', 'invalid'] as const;
export type ItemStatus = (typeof STATUSES)[number];

export interface PlanRow {
  position: number;
  vendor: string;
  itemNumber: string;
  status: ItemStatus;
  catalog?: CatalogKind;
  /** "PU 0101-1234": distributor or manufacturer and part number. */
  matchKey?: string;
  productId?: number;
  oldQty?: number;
  newQty?: number;
  oldPriceCents?: number | null;
  newPriceCents?: number | null;
  notes: string[];
}

export interface VendorCount {
  vendor: string;
  items: number;
  /** A mapped vendor name that differs only by case, spacing or punctuation. */
  suggestion?: string;
}

export interface InventoryPlan {
  rows: PlanRow[];
  /** Final values per matched product id. */
  sets: Map<number, { qty: number; priceCents?: number }>;
  /** Products to leave alone even when clearing (invalid items). */
  protectedIds: Set<number>;
  counts: Record<ItemStatus, number>;
  feedItems: number;
  duplicates: number;
  unrecognizedVendors: VendorCount[];
}

export interface PlanSettings {
  clearPreviousQuantities: boolean;
}

export function productKeyFor(m: VendorMapping, itemNumber: string): ProductKey {
  return { catalog: m.catalog, brand: (m.catalog === 'aftermarket' ? m.distributor : m.manufacturer)!, partNumber: itemNumber };
}

/** Mapping rows by exact, case-sensitive vendor name. */
export function indexMappings(mappings: VendorMapping[]): Map<string, VendorMapping[]> {
  const byVendor = new Map<string, VendorMapping[]>();
  for (const m of mappings) {
    const list = byVendor.get(m.vendor) ?? [];
    // the same row twice would update twice; keep one
    if (!list.some((x) => x.catalog === m.catalog && x.distributor === m.distributor && x.manufacturer === m.manufacturer)) list.push(m);
    byVendor.set(m.vendor, list);
  }
  return byVendor;
}

/** The catalog keys a set of feed items needs looked up. */
export function keysToLookUp(items: Iterable<FeedItem>, byVendor: Map<string, VendorMapping[]>): ProductKey[] {
  const keys: ProductKey[] = [];
  for (const it of items) {
    if (it.vendor === undefined || it.itemNumber === undefined) continue;
    for (const m of byVendor.get(it.vendor) ?? []) keys.push(productKeyFor(m, it.itemNumber));
  }
  return keys;
}

/** Near-miss suggestion: a mapped name equal to the feed name once case, spaces and punctuation are folded. */
export function nearMiss(vendor: string, mapped: Iterable<string>): string | undefined {
  const loose = looseName(vendor);
  if (!loose) return undefined;
  for (const m of mapped) if (m !== vendor && looseName(m) === loose) return m;
  return undefined;
}

/**
 * Plan an inventory pull. `products` holds the catalog products the items' keys found
 * (keyed by keyString); a missing key means "not found".
 */
export function planInventory(
  items: FeedItem[],
  mappings: VendorMapping[],
  products: Map<string, Product>,
  settings: PlanSettings,
): InventoryPlan {
  const byVendor = indexMappings(mappings);
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;

  // Duplicates: the later item wins (never a sum), and the winner's row says so.
  const lastIndex = new Map<string, number>();
  const earlier = new Map<string, FeedItem[]>();
  items.forEach((it, i) => {
    if (it.vendor === undefined || it.itemNumber === undefined || it.vendor === '' || it.itemNumber === '') return;
    const k = `${it.vendor}\u0000${it.itemNumber}`;
    const prev = lastIndex.get(k);
    if (prev !== undefined) {
      const list = earlier.get(k) ?? [];
      list.push(items[prev]!);
      earlier.set(k, list);
    }
    lastIndex.set(k, i);
  });
  let duplicates = 0;

  const rows: PlanRow[] = [];
  const sets = new Map<number, { qty: number; priceCents?: number }>();
  const setBy = new Map<number, PlanRow>();
  const protectedIds = new Set<number>();
  const unrecognized = new Map<string, number>();

  items.forEach((it, i) => {
    const dupKey = it.vendor !== undefined && it.itemNumber !== undefined ? `${it.vendor}\u0000${it.itemNumber}` : undefined;
    if (dupKey !== undefined && lastIndex.has(dupKey) && lastIndex.get(dupKey) !== i) {
      duplicates++;
      return; // superseded by a later item with the same vendor and item number
    }
    const dupNote = (() => {
      const before = dupKey ? earlier.get(dupKey) : undefined;
      if (!before) return undefined;
      const qtys = before.map((b) => (b.quantity === undefined ? 'invalid' : String(b.quantity))).join(', ');
      return `duplicate: the feed lists this part ${before.length + 1} times (positions ${[...before.map((b) => b.position), it.position].join(', ')}); the last one wins (earlier quantities: ${qtys})`;
    })();
    const base = {
      position: it.position,
      vendor: it.vendor ?? '',
      itemNumber: it.itemNumber ?? '',
    };
    const notes = [...it.notes];
    if (dupNote) notes.push(dupNote);

    if (it.vendor === undefined || it.vendor.trim() === '' || it.itemNumber === undefined || it.itemNumber.trim() === '') {
      rows.push({ ...base, status: 'invalid', notes: [it.invalid ?? 'unusable item', ...notes] });
      counts.invalid++;
      return;
    }
    const maps = byVendor.get(it.vendor);
    if (!maps) {
      unrecognized.set(it.vendor, (unrecognized.get(it.vendor) ?? 0) + 1);
      const suggestion = nearMiss(it.vendor, byVendor.keys());
      rows.push({
        ...base,
        status: 'unrecognized_vendor',
        notes: [
          suggestion ? `no vendor mapping for ${JSON.stringify(it.vendor)}; did you mean ${JSON.stringify(suggestion)}? (names must match exactly)` : `no vendor mapping for ${JSON.stringify(it.vendor)}`,
          ...(it.invalid ? [it.invalid] : []),
          ...notes,
        ],
      });
      counts.unrecognized_vendor++;
      return;
    }

    for (const m of maps) {
      const key = productKeyFor(m, it.itemNumber);
      const product = products.get(keyString(key));
      const row: PlanRow = {
        ...base,
        status: 'not_found',
        catalog: m.catalog,
        matchKey: `${key.brand} ${key.partNumber}`,
        notes: [...notes],
      };
      rows.push(row);
      if (!product) {
        if (it.invalid) {
          row.status = 'invalid';
          row.notes.unshift(it.invalid, `and no ${m.catalog} product ${key.brand} ${key.partNumber} in the catalog`);
          counts.invalid++;
        } else {
          row.notes.unshift(`no ${m.catalog} product ${key.brand} ${key.partNumber} in the catalog`);
          counts.not_found++;
        }
        continue;
      }
      row.productId = product.id;
      row.oldQty = product.shelfQty;
      row.oldPriceCents = product.listPriceCents;
      if (it.invalid) {
        row.status = 'invalid';
        row.newQty = product.shelfQty;
        row.newPriceCents = product.listPriceCents;
        row.notes.unshift(`${it.invalid}: quantity kept${settings.clearPreviousQuantities ? ' (not cleared)' : ''}`);
        if (!sets.has(product.id)) protectedIds.add(product.id);
        counts.invalid++;
        continue;
      }
      const qty = it.quantity!;
      let priceCents: number | undefined;
      if (m.usePricing) {
        if (it.priceCents !== undefined) priceCents = it.priceCents;
        else row.notes.push(`${it.priceProblem ?? 'no list price'}: price kept`);
      }
      const prior = setBy.get(product.id);
      if (prior) {
        row.notes.push(`also set by the item at position ${prior.position} (${prior.vendor} ${prior.itemNumber}); this later one wins`);
        prior.notes.push(`overridden by the later item at position ${it.position} (${it.vendor} ${it.itemNumber})`);
      }
      sets.set(product.id, priceCents !== undefined ? { qty, priceCents } : { qty });
      setBy.set(product.id, row);
      protectedIds.delete(product.id);
      row.newQty = qty;
      row.newPriceCents = priceCents ?? product.listPriceCents;
      const changed = qty !== product.shelfQty || (priceCents !== undefined && priceCents !== product.listPriceCents);
      row.status = changed ? 'updated' : 'unchanged';
      counts[row.status]++;
    }
  });

  const mapped = [...byVendor.keys()];
  const unrecognizedVendors = [...unrecognized.entries()]
    .map(([vendor, n]) => ({ vendor, items: n, suggestion: nearMiss(vendor, mapped) }))
    .sort((a, b) => b.items - a.items || a.vendor.localeCompare(b.vendor));

  return { rows, sets, protectedIds, counts, feedItems: items.length, duplicates, unrecognizedVendors };
}
