/**
 * `lizzy-sync mappings validate`: the vendor mappings checked against the catalog in the
 * mirror (static) and against Lizzy's feed. Pure: the caller gathers the facts
 * (validate-run.ts); this turns them into problems, each with its config line and a fix.
 *
 * Severity: an error is something that makes parts not sync (exit 1); a warning is worth a
 * look but may be intended (exit 0 when there are only warnings).
 */
import type { CatalogKind, PartNumberRules, VendorMapping } from '../config/schema.js';
import type { InventoryPlan } from '../inventory/plan.js';
import { nearMiss } from '../inventory/plan.js';
import { didYouMean, looseName } from '../util/suggest.js';
import { brandOfMapping, describeRules, rulesYaml, unionRules } from './normalise.js';

export type Severity = 'error' | 'warning';

export type ProblemCode =
  | 'no_mappings'
  | 'empty_catalog'
  | 'unknown_distributor'
  | 'unknown_manufacturer'
  | 'brand_in_other_catalog'
  | 'brand_spelling_variant'
  | 'duplicate_row'
  | 'vendor_case'
  | 'vendor_spaces'
  | 'near_miss'
  | 'vendor_not_in_feed'
  | 'no_matches'
  | 'would_match_normalised'
  | 'part_number_collision';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  /** Config line of the mapping row it comes from (when it comes from one). */
  line?: number;
  vendor?: string;
  message: string;
  /** What to do, ready to act on. */
  fix?: string;
}

export interface CatalogFacts {
  products: number;
  /** Products per (catalog, brand). */
  brands: Array<{ catalog: CatalogKind; brand: string; products: number }>;
  /** Abbreviations and manufacturers the catalog knows (some may have no products). */
  distributors: string[];
  manufacturers: string[];
}

/** A not-found item that a catalog part number equals once case and/or separators are ignored. */
export interface LooseMatch {
  mapping: number;
  itemNumber: string;
  partNumber: string;
  rules: PartNumberRules;
}

/** Catalog part numbers that a normalising row cannot tell apart. */
export interface CatalogCollision {
  mapping: number;
  normalised: string;
  partNumbers: string[];
}

export interface FeedFacts {
  kind: 'live' | 'file';
  file?: string;
  modifiedSince?: string;
  items: number;
  /** Feed items per exact vendor name. */
  vendorCounts: Map<string, number>;
  itemsWithoutVendor: number;
  plan: InventoryPlan;
  looseMatches: LooseMatch[];
}

export interface ValidateInput {
  /** The config file as shown in messages. */
  configFile: string;
  mappings: VendorMapping[];
  catalog: CatalogFacts;
  feed?: FeedFacts;
  catalogCollisions: CatalogCollision[];
}

export interface MappingRowStats {
  index: number;
  line: number;
  vendor: string;
  catalog: CatalogKind;
  brand: string;
  partNumbers?: string;
  /** Products of (catalog, brand) in the catalog. */
  catalogProducts: number;
  /** The line of the earlier identical row this one repeats (it is ignored). */
  duplicateOf?: number;
  feedItems: number;
  matched: number;
  notFound: number;
  ambiguous: number;
  /** A few item numbers that matched no product. */
  unmatchedExamples: string[];
  /** Unmatched items that the loose rules would find. */
  wouldMatch?: { items: number; rules: PartNumberRules; yaml: string; examples: Array<{ itemNumber: string; partNumber: string }> };
}

export interface FeedVendor {
  vendor: string;
  items: number;
  /** A mapped name equal once case, spaces and punctuation are folded. */
  suggestion?: string;
}

export interface NearMissFinding {
  /** The exact spelling in the feed, to paste. */
  feedName: string;
  items: number;
  mappedName: string;
  lines: number[];
  /** Whether the mapped spelling also appears in the feed (then add a row; else change the row). */
  mappedNameInFeed: boolean;
}

export interface ValidationResult {
  clean: boolean;
  errors: number;
  warnings: number;
  configFile: string;
  mappingRows: number;
  catalogProducts: number;
  feed: null | { kind: 'live' | 'file'; file?: string; modifiedSince?: string; items: number; vendors: number; itemsWithoutVendor: number };
  problems: Problem[];
  rows: MappingRowStats[];
  unmappedVendors: FeedVendor[];
  missingVendors: Array<{ vendor: string; lines: number[]; suggestion?: string }>;
  nearMisses: NearMissFinding[];
  collisions: Array<CatalogCollision & { line: number; vendor: string; brand: string; feedItems: number }>;
  /** Rows to paste under `vendors:` for the unmapped vendors (null when there are none). */
  yamlSnippet: string | null;
}

const q = (s: string) => JSON.stringify(s);
const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function validateMappings(input: ValidateInput): ValidationResult {
  const { mappings, catalog, feed, configFile } = input;
  const at = (line: number) => `${configFile}:${line}`;
  const problems: Problem[] = [];
  const brandCount = new Map(catalog.brands.map((b) => [`${b.catalog}\u0000${b.brand}`, b.products]));

  // ---- static: the rows against the catalog ----
  const byRowKey = new Map<string, VendorMapping>();
  const rows: MappingRowStats[] = mappings.map((m) => {
    const brand = brandOfMapping(m);
    const stats: MappingRowStats = {
      index: m.index,
      line: m.line,
      vendor: m.vendor,
      catalog: m.catalog,
      brand,
      ...(m.partNumbers ? { partNumbers: describeRules(m.partNumbers) } : {}),
      catalogProducts: brandCount.get(`${m.catalog}\u0000${brand}`) ?? 0,
      feedItems: 0,
      matched: 0,
      notFound: 0,
      ambiguous: 0,
      unmatchedExamples: [],
    };
    const rowKey = `${m.vendor}\u0000${m.catalog}\u0000${brand}`;
    const first = byRowKey.get(rowKey);
    if (first) {
      stats.duplicateOf = first.line;
      problems.push({
        severity: 'error',
        code: 'duplicate_row',
        line: m.line,
        vendor: m.vendor,
        message: `${at(m.line)}: this row repeats the row at line ${first.line} (vendor ${q(m.vendor)}, ${m.catalog} ${brand}); only the first is used`,
        fix: `delete the row at line ${m.line}${m.partNumbers || m.usePricing !== first.usePricing ? ` (or merge its settings into line ${first.line})` : ''}`,
      });
    } else {
      byRowKey.set(rowKey, m);
    }
    return stats;
  });

  if (mappings.length === 0) {
    problems.push({
      severity: 'error',
      code: 'no_mappings',
      message: `${configFile}: there are no vendor mappings, so the inventory pull updates nothing`,
      fix: 'add a row under vendors: for each Lizzy vendor to sync (the YAML below has one per vendor in the feed)',
    });
  }
  if (catalog.products === 0) {
    problems.push({
      severity: 'error',
      code: 'empty_catalog',
      message: 'the catalog in the mirror is empty, so no feed item can match a product',
      fix: 'import your catalog first: lizzy-sync catalog import FILE.csv',
    });
  } else {
    for (const m of mappings) {
      const brand = brandOfMapping(m);
      if (brandCount.has(`${m.catalog}\u0000${brand}`)) continue;
      const kind = m.catalog === 'aftermarket' ? 'distributor' : 'manufacturer';
      const other = catalog.brands.filter((b) => b.brand === brand && b.catalog !== m.catalog);
      if (other.length > 0) {
        const o = other[0]!;
        problems.push({
          severity: 'error',
          code: 'brand_in_other_catalog',
          line: m.line,
          vendor: m.vendor,
          message: `${at(m.line)}: the catalog has no ${m.catalog} products of ${q(brand)}, but ${o.products} ${o.catalog} products`,
          fix:
            o.catalog === 'aftermarket'
              ? `set catalog: aftermarket and distributor: ${brand} on the row at line ${m.line}`
              : m.catalog === 'aftermarket'
                ? `set catalog: ${o.catalog} and manufacturer: ${brand} on the row at line ${m.line}`
                : `set catalog: ${o.catalog} on the row at line ${m.line}`,
        });
        continue;
      }
      const known = [
        ...new Set([
          ...catalog.brands.filter((b) => (m.catalog === 'aftermarket') === (b.catalog === 'aftermarket')).map((b) => b.brand),
          ...(m.catalog === 'aftermarket' ? catalog.distributors : catalog.manufacturers),
        ]),
      ].sort();
      const guess = known.find((k) => looseName(k) === looseName(brand)) ?? didYouMean(brand, known);
      const inTable = (m.catalog === 'aftermarket' ? catalog.distributors : catalog.manufacturers).includes(brand);
      problems.push({
        severity: 'error',
        code: m.catalog === 'aftermarket' ? 'unknown_distributor' : 'unknown_manufacturer',
        line: m.line,
        vendor: m.vendor,
        message: inTable
          ? `${at(m.line)}: the catalog knows the ${kind} ${q(brand)} but has no ${m.catalog} products of it`
          : `${at(m.line)}: ${kind} ${q(brand)} is not in the catalog${guess ? `; did you mean ${q(guess)}?` : ''}`,
        fix: guess
          ? `change the row at line ${m.line} to ${kind}: ${guess}`
          : `use one of the catalog's ${kind === 'distributor' ? 'distributor abbreviations' : 'manufacturers'}${known.length ? `: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''}` : ''}${
              // The placeholder of a pasted snippet is to be filled in, not imported.
              brand === 'CHANGE-ME' ? '' : `; or import the products of ${q(brand)} with lizzy-sync catalog import`
            }`,
      });
    }
  }

  // Catalog products under a spelling of a mapped distributor or manufacturer that differs
  // only in case or punctuation ("pu" beside "PU"): no row reads them, so no pull updates
  // them and clearing zeroes them every day (found by a new-user walkthrough).
  if (catalog.products > 0) {
    const mapped = new Set(mappings.map((m) => `${m.catalog}\u0000${brandOfMapping(m)}`));
    const warned = new Set<string>();
    for (const m of mappings) {
      const brand = brandOfMapping(m);
      if (!brandCount.has(`${m.catalog}\u0000${brand}`)) continue;
      for (const b of catalog.brands) {
        const key = `${b.catalog}\u0000${b.brand}`;
        if (b.catalog !== m.catalog || b.brand === brand || mapped.has(key) || warned.has(key) || looseName(b.brand) !== looseName(brand)) continue;
        warned.add(key);
        problems.push({
          severity: 'warning',
          code: 'brand_spelling_variant',
          line: m.line,
          vendor: m.vendor,
          message: `${at(m.line)}: the catalog also has ${b.products.toLocaleString('en-US')} ${b.catalog} product${b.products === 1 ? '' : 's'} under ${q(b.brand)}, which differs from ${q(brand)} only in case, accents or punctuation: no mapping row reads ${b.products === 1 ? 'it' : 'them'}, so no pull updates ${b.products === 1 ? 'it' : 'them'} (and clearPreviousQuantities zeroes ${b.products === 1 ? 'it' : 'them'})`,
          fix: `correct the ${m.catalog === 'aftermarket' ? 'distributor' : 'manufacturer'} of those products to ${q(brand)} in the catalog CSV and import it again (catalog export lists them)`,
        });
      }
    }
  }

  // ---- static: the names themselves ----
  const warnedNames = new Set<string>();
  for (const m of mappings) {
    if (warnedNames.has(m.vendor)) continue;
    warnedNames.add(m.vendor);
    // The feed sends it exactly so: the odd spelling is right.
    if (feed?.vendorCounts.has(m.vendor)) continue;
    if (m.vendor !== m.vendor.trim()) {
      problems.push({
        severity: 'warning',
        code: 'vendor_spaces',
        line: m.line,
        vendor: m.vendor,
        message: `${at(m.line)}: vendor ${q(m.vendor)} has leading or trailing spaces; names must match Lizzy's exactly`,
        fix: `write vendor: ${q(m.vendor.trim())} unless Lizzy really sends the spaces`,
      });
    }
    if (/\p{Ll}/u.test(m.vendor)) {
      problems.push({
        severity: 'warning',
        code: 'vendor_case',
        line: m.line,
        vendor: m.vendor,
        message: `${at(m.line)}: vendor ${q(m.vendor)} has lower-case letters; Lizzy's vendor names are usually ALL CAPITALS and matching is case-sensitive`,
        fix: `check the spelling in Lizzy; usually ${q(m.vendor.toUpperCase())}`,
      });
    }
  }

  // ---- against the feed ----
  let unmappedVendors: FeedVendor[] = [];
  const missingVendors: ValidationResult['missingVendors'] = [];
  const nearMisses: NearMissFinding[] = [];
  const collisions: ValidationResult['collisions'] = [];
  const mappedNames = [...new Set(mappings.map((m) => m.vendor))];
  const linesOf = (name: string) => mappings.filter((m) => m.vendor === name).map((m) => m.line);

  if (feed) {
    const plan = feed.plan;
    unmappedVendors = plan.unrecognizedVendors.map((v) => ({ vendor: v.vendor, items: v.items, ...(v.suggestion ? { suggestion: v.suggestion } : {}) }));

    // Near misses: a feed spelling no row names, equal to a mapped name once folded.
    for (const v of unmappedVendors) {
      if (!v.suggestion) continue;
      const lines = linesOf(v.suggestion);
      const inFeed = feed.vendorCounts.has(v.suggestion);
      nearMisses.push({ feedName: v.vendor, items: v.items, mappedName: v.suggestion, lines, mappedNameInFeed: inFeed });
      problems.push({
        severity: 'error',
        code: 'near_miss',
        line: lines[0],
        vendor: v.suggestion,
        message: `${at(lines[0]!)}: the feed sends ${q(v.vendor)} (${plural(v.items, 'item')}), which differs from the mapped ${q(v.suggestion)} only in case, spacing or punctuation; those items are skipped as unrecognized`,
        fix: inFeed
          ? `the feed uses both spellings: add a row with vendor: ${q(v.vendor)} (a copy of the row at line ${lines[0]}); the YAML below has it`
          : `change the row at line ${lines[0]} to vendor: ${q(v.vendor)} (the exact feed spelling)`,
      });
    }

    // Mapped names the feed never mentions.
    const unmappedNames = unmappedVendors.map((v) => v.vendor);
    for (const name of mappedNames) {
      if (feed.vendorCounts.has(name)) continue;
      const lines = linesOf(name);
      const near = nearMiss(name, unmappedNames);
      const typo = near ?? didYouMean(name, unmappedNames);
      missingVendors.push({ vendor: name, lines, ...(typo ? { suggestion: typo } : {}) });
      if (near && nearMisses.some((n) => n.feedName === near && n.mappedName === name)) continue; // the near miss says it all
      problems.push({
        severity: typo ? 'error' : 'warning',
        code: 'vendor_not_in_feed',
        line: lines[0],
        vendor: name,
        message: `${at(lines[0]!)}: no item in the feed${feed.modifiedSince ? ` (parts changed since ${feed.modifiedSince})` : ''} names vendor ${q(name)}${typo ? `; the feed has ${q(typo)}` : ''}`,
        fix: typo
          ? `if that is the same vendor, change the row at line ${lines[0]} to vendor: ${q(typo)}`
          : "check the exact spelling in Lizzy (the feed's vendor names are listed below); if this vendor's parts simply did not change recently, nothing is wrong",
      });
    }

    // Per row: how many of the vendor's items match a catalog product.
    const byIndex = new Map(rows.map((r) => [r.index, r]));
    for (const r of plan.rows) {
      if (r.mapping === undefined) continue;
      const s = byIndex.get(r.mapping);
      if (!s) continue;
      s.feedItems++;
      if (r.productId !== undefined) s.matched++;
      else if (r.notes.some((n) => n.startsWith('ambiguous part number'))) s.ambiguous++;
      else {
        s.notFound++;
        if (s.unmatchedExamples.length < 5 && !s.unmatchedExamples.includes(r.itemNumber)) s.unmatchedExamples.push(r.itemNumber);
      }
    }
    const loose = new Map<number, LooseMatch[]>();
    for (const lm of feed.looseMatches) loose.set(lm.mapping, [...(loose.get(lm.mapping) ?? []), lm]);
    for (const s of rows) {
      if (s.duplicateOf !== undefined) continue;
      const lm = loose.get(s.index);
      if (lm?.length) {
        const rules = unionRules(lm.map((x) => x.rules));
        s.wouldMatch = { items: lm.length, rules, yaml: `partNumbers: ${rulesYaml(rules)}`, examples: lm.slice(0, 3).map((x) => ({ itemNumber: x.itemNumber, partNumber: x.partNumber })) };
        const ex = s.wouldMatch.examples.map((e) => `feed ${q(e.itemNumber)} = catalog ${q(e.partNumber)}`).join(', ');
        problems.push({
          severity: 'warning',
          code: 'would_match_normalised',
          line: s.line,
          vendor: s.vendor,
          message: `${at(s.line)}: ${plural(lm.length, 'unmatched item')} of ${q(s.vendor)} ${lm.length === 1 ? 'matches' : 'match'} ${article(s.catalog)} ${s.catalog} ${s.brand} part number that differs only in ${rules.ignoreCase && rules.ignoreSeparators ? 'case and separators' : rules.ignoreCase ? 'case' : 'separators'} (${ex})`,
          fix: `if these are the same parts, add to the row at line ${s.line}: ${s.wouldMatch.yaml}`,
        });
      }
      if (s.feedItems > 0 && s.matched === 0 && s.catalogProducts > 0) {
        problems.push({
          severity: 'error',
          code: 'no_matches',
          line: s.line,
          vendor: s.vendor,
          message: `${at(s.line)}: none of the ${plural(s.feedItems, 'feed item')} of ${q(s.vendor)} matches ${article(s.catalog)} ${s.catalog} product of ${s.brand} (e.g. ${s.unmatchedExamples.slice(0, 3).map(q).join(', ')})`,
          fix: `check that ${s.catalog === 'aftermarket' ? `distributor ${s.brand}` : `manufacturer ${s.brand}`} is right for this vendor and that the catalog's part numbers are written as Lizzy writes them; try: lizzy-sync explain --vendor ${q(s.vendor)} --item ${q(s.unmatchedExamples[0] ?? '')}`,
        });
      }
    }
  }

  // Catalog products a normalising row cannot tell apart (with or without a feed).
  for (const c of input.catalogCollisions) {
    const m = mappings.find((x) => x.index === c.mapping);
    if (!m) continue;
    const brand = brandOfMapping(m);
    const feedItems = feed ? feed.plan.collisions.filter((x) => x.mapping === c.mapping && x.normalised === c.normalised).length : 0;
    collisions.push({ ...c, line: m.line, vendor: m.vendor, brand, feedItems });
  }
  const shown = collisions.slice(0, 20);
  for (const c of shown) {
    problems.push({
      severity: 'error',
      code: 'part_number_collision',
      line: c.line,
      vendor: c.vendor,
      message: `${at(c.line)}: with partNumbers (${describeRules(mappings.find((x) => x.index === c.mapping)!.partNumbers!)}) the ${c.brand} part numbers ${c.partNumbers.map(q).join(' and ')} become the same (${q(c.normalised)}); a feed item for them updates neither${feed ? ` (${plural(c.feedItems, 'feed item')} affected)` : ''}`,
      fix: `make those catalog part numbers distinct, or drop the rule that merges them from the row at line ${c.line}`,
    });
  }
  if (collisions.length > shown.length) {
    problems.push({
      severity: 'error',
      code: 'part_number_collision',
      message: `... and ${collisions.length - shown.length} more colliding groups of catalog part numbers (see --json or --report)`,
    });
  }

  const order: Record<Severity, number> = { error: 0, warning: 1 };
  problems.sort((a, b) => order[a.severity] - order[b.severity] || (a.line ?? 0) - (b.line ?? 0));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return {
    clean: errors === 0,
    errors,
    warnings,
    configFile,
    mappingRows: mappings.length,
    catalogProducts: catalog.products,
    feed: feed
      ? {
          kind: feed.kind,
          ...(feed.file ? { file: feed.file } : {}),
          ...(feed.modifiedSince ? { modifiedSince: feed.modifiedSince } : {}),
          items: feed.items,
          vendors: feed.vendorCounts.size,
          itemsWithoutVendor: feed.itemsWithoutVendor,
        }
      : null,
    problems,
    rows,
    unmappedVendors,
    missingVendors,
    nearMisses,
    collisions,
    // A near miss whose mapped spelling the feed never uses is fixed by changing the row, not adding one.
    // So is a feed vendor that a mapped row misspells ("PARTS UNLIMTED"): pasting a new
    // CHANGE-ME row for it beside the typo row helped nobody (found by a new-user walkthrough).
    yamlSnippet: yamlSnippet(
      unmappedVendors.filter((v) => (!v.suggestion || feed?.vendorCounts.has(v.suggestion)) && !missingVendors.some((mv) => mv.suggestion === v.vendor)),
      mappings,
      catalog,
    ),
  };
}

/**
 * Rows to paste under `vendors:` for the unmapped feed vendors. A near miss gets a copy of
 * the row it resembles; a vendor whose name is a catalog manufacturer gets that; the rest get
 * a placeholder distributor that `mappings validate` flags until it is filled in.
 */
export function yamlSnippet(unmapped: FeedVendor[], mappings: VendorMapping[], catalog: CatalogFacts): string | null {
  if (unmapped.length === 0) return null;
  const distributors = [...new Set(catalog.brands.filter((b) => b.catalog === 'aftermarket').map((b) => b.brand))].sort();
  const out: string[] = [];
  for (const v of unmapped) {
    const like = v.suggestion ? mappings.find((m) => m.vendor === v.suggestion) : undefined;
    out.push(`  - vendor: ${q(v.vendor)}    # ${plural(v.items, 'item')} in the feed${like ? `; same as the row at line ${like.line}` : ''}`);
    if (like) {
      out.push(`    catalog: ${like.catalog}`);
      out.push(like.catalog === 'aftermarket' ? `    distributor: ${q(like.distributor!)}` : `    manufacturer: ${q(like.manufacturer!)}`);
      out.push(`    usePricing: ${like.usePricing}`);
      if (like.partNumbers) out.push(`    partNumbers: ${rulesYaml(like.partNumbers)}`);
      continue;
    }
    const maker = catalog.brands.find((b) => b.catalog !== 'aftermarket' && looseName(b.brand) === looseName(v.vendor));
    if (maker) {
      out.push(`    catalog: ${maker.catalog}`);
      out.push(`    manufacturer: ${q(maker.brand)}`);
      out.push('    usePricing: false');
      continue;
    }
    out.push('    catalog: aftermarket    # or oem / private with manufacturer: instead of distributor:');
    out.push(`    distributor: "CHANGE-ME"    # the distributor abbreviation in your catalog${distributors.length ? ` (${distributors.slice(0, 10).join(', ')}${distributors.length > 10 ? ', ...' : ''})` : ''}`);
    out.push('    usePricing: false');
  }
  return out.join('\n');
}

/** Group part numbers that a normaliser makes equal; only groups of two or more. */
export function collidingGroups(partNumbers: Iterable<string>, normalise: (pn: string) => string): Array<{ normalised: string; partNumbers: string[] }> {
  const groups = new Map<string, string[]>();
  for (const pn of partNumbers) {
    const k = normalise(pn);
    if (k === '') continue;
    const g = groups.get(k);
    if (g) g.push(pn);
    else groups.set(k, [pn]);
  }
  return [...groups.entries()]
    .filter(([, g]) => g.length > 1)
    .map(([normalised, g]) => ({ normalised, partNumbers: g.sort() }))
    .sort((a, b) => (a.normalised < b.normalised ? -1 : a.normalised > b.normalised ? 1 : 0));
}
