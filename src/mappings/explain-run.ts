/** Gather what `explain` needs (Lizzy's answer, the catalog lookups), then explain (pure). */
import type { Config } from '../config/schema.js';
import { readFeedItem, type FeedItem } from '../inventory/item.js';
import { indexMappings, keysToLookUp, productKeyFor } from '../inventory/plan.js';
import { lookUpNormalised, modifiedSinceFor } from '../inventory/pull.js';
import type { LizzyClient } from '../lizzy/client.js';
import type { Store } from '../store/store.js';
import { findInFeedFile } from './feed-source.js';
import { explainPart, type Explanation } from './explain.js';
import { brandOfMapping, lookupSpaceOf, normalisePartNumber } from './normalise.js';
import { keyString } from '../store/types.js';
import { displayPath } from './validate-run.js';

export type ItemSource = { kind: 'live'; client: LizzyClient } | { kind: 'file'; file: string };

export async function runExplain(config: Config, store: Store, args: { vendor: string; itemNumber: string }, source: ItemSource, now: Date): Promise<Explanation> {
  const { vendor, itemNumber } = args;
  const raw = source.kind === 'live' ? await source.client.inventoryItem(vendor, itemNumber) : findInFeedFile(source.file, vendor, itemNumber);
  const item = raw === null ? undefined : readFeedItem(raw, 1);

  const byVendor = indexMappings(config.vendors);
  const probe: FeedItem[] = [{ position: 1, vendor, itemNumber, notes: [] }];
  const products = await store.findProducts(keysToLookUp(probe, byVendor));
  const normalised = await lookUpNormalised(store, probe, byVendor);

  const counts = new Map((await store.catalogBrands()).map((b) => [`${b.catalog}\u0000${b.brand}`, b.products]));
  const brandProducts = new Map<number, number>();
  const brandPartNumbers = new Map<number, string[]>();
  for (const m of byVendor.get(vendor) ?? []) {
    const brand = brandOfMapping(m);
    brandProducts.set(m.index, counts.get(`${m.catalog}\u0000${brand}`) ?? 0);
    // Only a row that matched nothing needs the brand's part numbers (for the closest ones).
    const matched = m.partNumbers
      ? (normalised.get(lookupSpaceOf(m)!)?.get(normalisePartNumber(itemNumber, m.partNumbers))?.length ?? 0) > 0
      : products.has(keyString(productKeyFor(m, itemNumber)));
    if (!matched) brandPartNumbers.set(m.index, await store.partNumbersOf(m.catalog, brand));
  }

  return explainPart({
    vendor,
    itemNumber,
    configFile: displayPath(config.file),
    mappings: config.vendors,
    lizzy: source.kind === 'live' ? { source: 'live', raw } : { source: 'file', file: source.file, raw },
    item,
    products,
    normalised,
    brandPartNumbers,
    brandProducts,
    clearPreviousQuantities: config.inventory.clearPreviousQuantities,
    modifiedSince: modifiedSinceFor(config, now),
    timeZone: config.schedule.timezone,
  });
}
