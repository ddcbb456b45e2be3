/**
 * The inventory planner: pure functions from (feed items, catalog products, mappings,
 * settings) to a plan of changes and skips with reasons. Nothing here reads a clock,
 * a file or the database; the report, --dry-run and --json all render the same plan.
 */
import type { CatalogKind, PartNumberRules, VendorMapping } from '../config/schema.js';
import { brandOfMapping, describeRules, lookupSpaceOf, normalisePartNumber } from '../mappings/normalise.js';
import { keyString, neighbourKey, type ProductKey, type ProductState, type SetterNeighbours } from '../store/types.js';
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
  /** The config index of the mapping row this row went through (VendorMapping.index). */
  mapping?: number;
}

/** A feed item whose normalised part number matches several catalog products: none is updated. */
export interface PartNumberCollision {
  position: number;
  vendor: string;
  itemNumber: string;
  /** The mapping row (VendorMapping.index) and its config line. */
  mapping: number;
  line: number;
  catalog: CatalogKind;
  brand: string;
  normalised: string;
  /** The catalog part numbers that collide. */
  partNumbers: string[];
}

/**
 * Candidate products for rows with partNumbers rules: lookup space (see lookupSpaceOf) →
 * normalised part number → the catalog products with that normalised number.
 */
export type NormalisedCandidates<P extends ProductState = ProductState> = Map<string, Map<string, P[]>>;

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
  /** Items not applied because normalising made catalog products collide. */
  collisions: PartNumberCollision[];
}

export interface PlanSettings {
  clearPreviousQuantities: boolean;
  /**
   * The items are already de-duplicated (no two share vendor and item number; the later
   * item's `earlier` names the ones it replaced), as a FeedStage hands them out: the
   * planner's own search for repeats is skipped.
   */
  deduplicated?: boolean;
  /**
   * Products whose own part number the feed lists (under a vendor mapped to the same catalog
   * and brand): an item that only compares equal to one under partNumbers rules is a
   * different part and does not set it (see lookalikeChecks).
   */
  listedExactly?: ReadonlySet<number>;
}

/**
 * For rows with partNumbers rules: the products an item would reach only through the rules
 * (its number differs from the catalog's), with the (vendor, part number) pairs whose presence
 * in the feed means the catalog part is listed under its own number. Such an item is taken as
 * a different part (two Lizzy items, one product): otherwise a lookalike such as an O-ring
 * "U3K168190100" overwrote the stock of the cylinder "U3K-16819-01-00" listed beside it.
 */
export function lookalikeChecks(items: Iterable<FeedItem>, byVendor: Map<string, VendorMapping[]>, normalised: NormalisedCandidates): Map<number, Array<[string, string]>> {
  const out = new Map<number, Array<[string, string]>>();
  let vendorsBySpace: Map<string, string[]> | undefined;
  for (const it of items) {
    if (it.vendor === undefined || it.itemNumber === undefined) continue;
    for (const m of byVendor.get(it.vendor) ?? []) {
      if (!m.partNumbers) continue;
      const key = normalisePartNumber(it.itemNumber, m.partNumbers);
      for (const p of key === '' ? [] : (normalised.get(lookupSpaceOf(m)!)?.get(key) ?? [])) {
        if (p.partNumber === it.itemNumber || out.has(p.id)) continue;
        if (!vendorsBySpace) {
          vendorsBySpace = new Map();
          for (const [v, rows] of byVendor) {
            for (const r of rows) {
              const k = `${r.catalog}\u0000${brandOfMapping(r)}`;
              const list = vendorsBySpace.get(k) ?? [];
              if (!list.includes(v)) list.push(v);
              vendorsBySpace.set(k, list);
            }
          }
        }
        out.set(p.id, (vendorsBySpace.get(`${m.catalog}\u0000${brandOfMapping(m)}`) ?? []).map((v) => [v, p.partNumber] as [string, string]));
      }
    }
  }
  return out;
}

/** The products of `checks` whose pairs the feed lists; `listed` answers which pairs it has. */
export async function listedExactly(checks: Map<number, Array<[string, string]>>, listed: (pairs: Array<[string, string]>) => Promise<Set<string>> | Set<string>): Promise<Set<number>> {
  if (checks.size === 0) return new Set();
  const present = await listed([...checks.values()].flat());
  const out = new Set<number>();
  for (const [id, pairs] of checks) if (pairs.some(([v, i]) => present.has(`${v}\u0000${i}`))) out.add(id);
  return out;
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

const alsoSetBy = (position: number, vendor: string, itemNumber: string) => `also set by the item at position ${position} (${vendor} ${itemNumber}); this later one wins`;
const overriddenBy = (position: number, vendor: string, itemNumber: string) => `overridden by the later item at position ${position} (${vendor} ${itemNumber})`;

/** The exact catalog keys a set of feed items needs looked up (rows without partNumbers rules). */
export function keysToLookUp(items: Iterable<FeedItem>, byVendor: Map<string, VendorMapping[]>): ProductKey[] {
  const keys: ProductKey[] = [];
  for (const it of items) {
    if (it.vendor === undefined || it.itemNumber === undefined) continue;
    for (const m of byVendor.get(it.vendor) ?? []) if (!m.partNumbers) keys.push(productKeyFor(m, it.itemNumber));
  }
  return keys;
}

export interface NormalisedLookup {
  catalog: CatalogKind;
  brand: string;
  rules: PartNumberRules;
  /** The normalised part numbers the feed asks for. */
  keys: Set<string>;
}

/**
 * For rows with partNumbers rules: per lookup space, the normalised part numbers to find.
 * The store answers each space with one query (see Store.findProductsByNormalised).
 */
export function normalisedKeysToLookUp(items: Iterable<FeedItem>, byVendor: Map<string, VendorMapping[]>): Map<string, NormalisedLookup> {
  const out = new Map<string, NormalisedLookup>();
  const rows = [...byVendor.values()].flat().filter((m) => m.partNumbers);
  if (rows.length === 0) return out;
  for (const it of items) {
    if (it.vendor === undefined || it.itemNumber === undefined) continue;
    for (const m of byVendor.get(it.vendor) ?? []) {
      if (!m.partNumbers) continue;
      const space = lookupSpaceOf(m)!;
      let l = out.get(space);
      if (!l) out.set(space, (l = { catalog: m.catalog, brand: brandOfMapping(m), rules: m.partNumbers, keys: new Set() }));
      const k = normalisePartNumber(it.itemNumber, m.partNumbers);
      if (k !== '') l.keys.add(k);
    }
  }
  return out;
}

/** Near-miss suggestion: a mapped name equal to the feed name once case, spaces and punctuation are folded. */
export function nearMiss(vendor: string, mapped: Iterable<string>): string | undefined {
  const loose = looseName(vendor);
  if (!loose) return undefined;
  for (const m of mapped) if (m !== vendor && looseName(m) === loose) return m;
  return undefined;
}

/**
 * A plan row with every field present from the start: rows of one shape keep the planner's
 * property reads and writes fast (adding fields one by one cost about half its time).
 */
function planRow(
  position: number,
  vendor: string,
  itemNumber: string,
  status: ItemStatus,
  catalog: CatalogKind | undefined,
  matchKey: string | undefined,
  notes: string[],
  mapping: number | undefined,
): PlanRow {
  return {
    position,
    vendor,
    itemNumber,
    status,
    catalog,
    matchKey,
    productId: undefined,
    oldQty: undefined,
    newQty: undefined,
    oldPriceCents: undefined,
    newPriceCents: undefined,
    notes,
    mapping,
  };
}

/**
 * Plan an inventory pull. `products` holds the catalog products the items' keys found
 * (keyed by keyString); a missing key means "not found". Rows with partNumbers rules look
 * their products up in `normalised` instead; a normalised number that matches several
 * products updates none of them (they keep their quantity) and is reported as ambiguous.
 */
export function planInventory(
  items: FeedItem[],
  mappings: VendorMapping[],
  products: ReadonlyMap<string, ProductState>,
  settings: PlanSettings,
  normalised: NormalisedCandidates = new Map(),
  neighbours: ReadonlyMap<string, SetterNeighbours> = new Map(),
): InventoryPlan {
  // A pull plans in chunks: an item in another chunk that sets the same product comes from
  // `neighbours` (FeedStage.neighbours); one in this chunk from setBy below.
  const first = items.length > 0 ? items[0]!.position : 0;
  const last = items.length > 0 ? items[items.length - 1]!.position : 0;
  const byVendor = indexMappings(mappings);
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;

  // Duplicates: the later item wins (never a sum), and the winner's row says so.
  const lastIndex = new Map<string, number>();
  const earlier = new Map<string, FeedItem[]>();
  if (!settings.deduplicated) items.forEach((it, i) => {
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
  /** Invalid items' rows since the last item that set their product (a later setter names itself on them). */
  const keptBy = new Map<number, PlanRow[]>();
  const protectedIds = new Set<number>();
  const unrecognized = new Map<string, number>();
  /** Near-miss suggestion per unrecognized vendor name ('': none), worked out once per name. */
  const suggestions = new Map<string, string>();
  const collisions: PartNumberCollision[] = [];

  items.forEach((it, i) => {
    const dupKey = !settings.deduplicated && it.vendor !== undefined && it.itemNumber !== undefined ? `${it.vendor}\u0000${it.itemNumber}` : undefined;
    if (dupKey !== undefined && lastIndex.has(dupKey) && lastIndex.get(dupKey) !== i) {
      duplicates++;
      return; // superseded by a later item with the same vendor and item number
    }
    const dupNote = (() => {
      const before = it.earlier ?? (dupKey ? earlier.get(dupKey) : undefined);
      if (!before || before.length === 0) return undefined;
      const qtys = before.map((b) => (b.quantity === undefined ? 'invalid' : String(b.quantity))).join(', ');
      return `duplicate: the feed lists this part ${before.length + 1} times (positions ${[...before.map((b) => b.position), it.position].join(', ')}); the last one wins (earlier quantities: ${qtys})`;
    })();
    const vendor = it.vendor ?? '';
    const itemNumber = it.itemNumber ?? '';
    const notes = [...it.notes];
    if (dupNote) notes.push(dupNote);

    if (it.vendor === undefined || it.vendor.trim() === '' || it.itemNumber === undefined || it.itemNumber.trim() === '') {
      rows.push(planRow(it.position, vendor, itemNumber, 'invalid', undefined, undefined, [it.invalid ?? 'unusable item', ...notes], undefined));
      counts.invalid++;
      return;
    }
    const maps = byVendor.get(it.vendor);
    if (!maps) {
      unrecognized.set(it.vendor, (unrecognized.get(it.vendor) ?? 0) + 1);
      let suggestion = suggestions.get(it.vendor);
      if (suggestion === undefined) suggestions.set(it.vendor, (suggestion = nearMiss(it.vendor, byVendor.keys()) ?? ''));
      rows.push(
        planRow(
          it.position,
          vendor,
          itemNumber,
          'unrecognized_vendor',
          undefined,
          undefined,
          [
          suggestion
            ? `no vendor mapping for ${JSON.stringify(it.vendor)}; a mapping row has ${JSON.stringify(suggestion)} (names must match exactly: the config must use the feed's spelling)`
            : `no vendor mapping for ${JSON.stringify(it.vendor)}`,
          ...(it.invalid ? [it.invalid] : []),
          ...notes,
        ],
          undefined,
        ),
      );
      counts.unrecognized_vendor++;
      return;
    }

    for (const m of maps) {
      const key = productKeyFor(m, it.itemNumber);
      let product: ProductState | undefined;
      let ambiguous: ProductState[] | undefined;
      let normalisedKey: string | undefined;
      /** Catalog part numbers this item compares equal to but that the feed lists itself. */
      let lookalikeOf: string[] = [];
      if (m.partNumbers) {
        normalisedKey = normalisePartNumber(it.itemNumber, m.partNumbers);
        const all = normalisedKey === '' ? [] : (normalised.get(lookupSpaceOf(m)!)?.get(normalisedKey) ?? []);
        const listed = settings.listedExactly;
        const candidates = listed && listed.size > 0 ? all.filter((p) => p.partNumber === it.itemNumber || !listed.has(p.id)) : all;
        lookalikeOf = all.filter((p) => !candidates.includes(p)).map((p) => p.partNumber);
        if (candidates.length === 1) product = candidates[0];
        else if (candidates.length > 1) ambiguous = [...candidates].sort((a, b) => (a.partNumber < b.partNumber ? -1 : a.partNumber > b.partNumber ? 1 : 0));
      } else {
        product = products.get(keyString(key));
      }
      const row = planRow(
        it.position,
        vendor,
        itemNumber,
        'not_found',
        m.catalog,
        `${key.brand} ${product ? product.partNumber : key.partNumber}`,
        notes.length === 0 ? [] : [...notes],
        m.index,
      );
      rows.push(row);
      if (ambiguous) {
        const list = ambiguous.map((p) => JSON.stringify(p.partNumber)).join(', ');
        row.status = 'invalid';
        row.notes.unshift(
          `ambiguous part number: with partNumbers (${describeRules(m.partNumbers!)}) ${JSON.stringify(it.itemNumber)} matches ${ambiguous.length} ${m.catalog} products of ${key.brand} (${list}); none is updated and their quantities are kept. Make those catalog part numbers distinct, or remove the rule from the mapping row at config line ${m.line}`,
          ...(it.invalid ? [it.invalid] : []),
        );
        for (const p of ambiguous) if (!sets.has(p.id)) protectedIds.add(p.id);
        collisions.push({
          position: it.position,
          vendor: it.vendor,
          itemNumber: it.itemNumber,
          mapping: m.index,
          line: m.line,
          catalog: m.catalog,
          brand: key.brand,
          normalised: normalisedKey!,
          partNumbers: ambiguous.map((p) => p.partNumber),
        });
        counts.invalid++;
        continue;
      }
      if (product && m.partNumbers && product.partNumber !== it.itemNumber) {
        row.notes.push(`matched catalog part number ${JSON.stringify(product.partNumber)} with partNumbers (${describeRules(m.partNumbers)})`);
      }
      if (!product) {
        const how = m.partNumbers
          ? ` (compared as ${JSON.stringify(normalisedKey)} with partNumbers: ${describeRules(m.partNumbers)}${
              lookalikeOf.length > 0
                ? `; it compares equal to ${lookalikeOf.map((x) => JSON.stringify(x)).join(', ')}, but the feed lists ${lookalikeOf.length === 1 ? 'that part' : 'those parts'} under ${lookalikeOf.length === 1 ? 'its own number' : 'their own numbers'}, so this is a different part`
                : ''
            })`
          : '';
        if (it.invalid) {
          row.status = 'invalid';
          row.notes.unshift(it.invalid, `and no ${m.catalog} product ${key.brand} ${key.partNumber} in the catalog${how}`);
          counts.invalid++;
        } else {
          row.notes.unshift(`no ${m.catalog} product ${key.brand} ${key.partNumber} in the catalog${how}`);
          counts.not_found++;
        }
        continue;
      }
      row.productId = product.id;
      row.oldQty = product.shelfQty;
      row.oldPriceCents = product.listPriceCents;
      const around = neighbours.size > 0 ? neighbours.get(neighbourKey(it.position, product.id)) : undefined;
      if (it.invalid) {
        row.status = 'invalid';
        row.newPriceCents = product.listPriceCents;
        // Another item that sets this product decides its quantity; this one changes nothing.
        const prior = setBy.get(product.id);
        const setter = prior
          ? { position: prior.position, vendor: prior.vendor, itemNumber: prior.itemNumber, qty: sets.get(product.id)!.qty }
          : around?.prev && around.prev.position < first
            ? around.prev
            : undefined;
        if (setter) {
          row.newQty = setter.qty ?? product.shelfQty;
          row.notes.unshift(`${it.invalid}: changes nothing; the product takes the quantity of the item at position ${setter.position} (${setter.vendor} ${setter.itemNumber})`);
        } else {
          row.newQty = product.shelfQty;
          row.notes.unshift(`${it.invalid}: quantity kept${settings.clearPreviousQuantities ? ' (not cleared)' : ''}`);
          protectedIds.add(product.id);
        }
        if (around?.next && around.next.position > last) row.notes.push(overriddenBy(around.next.position, around.next.vendor, around.next.itemNumber));
        else {
          const list = keptBy.get(product.id);
          if (list) list.push(row);
          else keptBy.set(product.id, [row]);
        }
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
      const kept = keptBy.get(product.id);
      if (kept) {
        for (const k of kept) k.notes.push(overriddenBy(it.position, it.vendor, it.itemNumber));
        keptBy.delete(product.id);
      }
      if (prior) {
        row.notes.push(alsoSetBy(prior.position, prior.vendor, prior.itemNumber));
        prior.notes.push(overriddenBy(it.position, it.vendor, it.itemNumber));
      } else if (around?.prev && around.prev.position < first) {
        row.notes.push(alsoSetBy(around.prev.position, around.prev.vendor, around.prev.itemNumber));
      }
      if (around?.next && around.next.position > last) row.notes.push(overriddenBy(around.next.position, around.next.vendor, around.next.itemNumber));
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

  return { rows, sets, protectedIds, counts, feedItems: items.length, duplicates, unrecognizedVendors, collisions };
}
