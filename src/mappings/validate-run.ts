/** Gather the facts `mappings validate` needs from the store and the feed, then validate (pure). */
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { indexMappings } from '../inventory/plan.js';
import { planFeed } from '../inventory/pull.js';
import type { Store } from '../store/store.js';
import type { FeedSource } from './feed-source.js';
import { brandOfMapping, lookupSpaceOf, LOOSE_RULES, normaliserFor, rulesThatEquate } from './normalise.js';
import { collidingGroups, validateMappings, type CatalogCollision, type CatalogFacts, type FeedFacts, type LooseMatch, type ValidationResult } from './validate.js';

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export async function catalogFacts(store: Store): Promise<CatalogFacts> {
  const brands = await store.catalogBrands();
  const known = await store.brands();
  return {
    products: brands.reduce((n, b) => n + b.products, 0),
    brands,
    distributors: known.distributors,
    manufacturers: known.manufacturers,
  };
}

export async function runMappingsValidate(config: Config, store: Store, feed: FeedSource | undefined): Promise<ValidationResult> {
  const catalog = await catalogFacts(store);
  let feedFacts: FeedFacts | undefined;
  if (feed) {
    const vendorCounts = new Map<string, number>();
    let itemsWithoutVendor = 0;
    for (const it of feed.items) {
      if (it.vendor === undefined || it.vendor.trim() === '') itemsWithoutVendor++;
      else vendorCounts.set(it.vendor, (vendorCounts.get(it.vendor) ?? 0) + 1);
    }
    const plan = await planFeed(config, store, feed.items);

    // Unmatched items of exact rows that a loose comparison would find: one query per row.
    const looseMatches: LooseMatch[] = [];
    const loose = normaliserFor(LOOSE_RULES);
    const exactRows = [...indexMappings(config.vendors).values()].flat().filter((m) => !m.partNumbers);
    // A product another feed item already sets under its own number: an item that only looks
    // like it is a different part (an O-ring "U3K168190100" beside the cylinder
    // "U3K-16819-01-00"), so no rule is suggested for it; the pull would not use one either.
    const setByTheFeed = new Set(plan.rows.filter((r) => r.productId !== undefined).map((r) => r.productId));
    for (const m of exactRows) {
      const unmatched = new Set(plan.rows.filter((r) => r.mapping === m.index && r.productId === undefined && r.itemNumber !== '').map((r) => r.itemNumber));
      if (unmatched.size === 0) continue;
      const keys = new Set([...unmatched].map(loose).filter((k) => k !== ''));
      const found = await store.findProductsByNormalised(m.catalog, brandOfMapping(m), loose, keys);
      for (const itemNumber of unmatched) {
        const candidates = found.get(loose(itemNumber));
        if (candidates?.length !== 1 || setByTheFeed.has(candidates[0]!.id)) continue;
        const rules = rulesThatEquate(itemNumber, candidates[0]!.partNumber);
        if (rules) looseMatches.push({ mapping: m.index, itemNumber, partNumber: candidates[0]!.partNumber, rules });
      }
    }
    feedFacts = { kind: feed.kind, file: feed.file, modifiedSince: feed.modifiedSince, items: feed.items.length, vendorCounts, itemsWithoutVendor, plan, looseMatches };
  }

  // Catalog part numbers that each normalising row cannot tell apart: one scan per lookup space.
  const catalogCollisions: CatalogCollision[] = [];
  const spaces = new Set<string>();
  for (const m of config.vendors) {
    const space = lookupSpaceOf(m);
    if (!space || spaces.has(space)) continue;
    spaces.add(space);
    const parts = await store.partNumbersOf(m.catalog, brandOfMapping(m));
    for (const g of collidingGroups(parts, normaliserFor(m.partNumbers!))) catalogCollisions.push({ mapping: m.index, ...g });
  }

  return validateMappings({ configFile: displayPath(config.file), mappings: config.vendors, catalog, feed: feedFacts, catalogCollisions });
}
