/**
 * `lizzy-sync explain --vendor NAME --item NUMBER`: one part walked through the sync, as a
 * pure function of what Lizzy says about it, the mapping rows, and the catalog products the
 * store found. The "what the next pull would write" part is the planner itself, run on this
 * one item, so explain cannot disagree with the pull.
 */
import type { CatalogKind, VendorMapping } from '../config/schema.js';
import type { FeedItem } from '../inventory/item.js';
import { indexMappings, nearMiss, planInventory, productKeyFor, type NormalisedCandidates, type PlanRow } from '../inventory/plan.js';
import { pickItemFields } from '../lizzy/wire.js';
import { zonedDate } from '../schedule/zone.js';
import { keyString, type Product } from '../store/types.js';
import { formatCents } from '../util/money.js';
import { closestPartNumbers, type CloseMatch } from './closest.js';
import { brandOfMapping, describeRules, lookupSpaceOf, normalisePartNumber } from './normalise.js';

export interface ExplainInput {
  vendor: string;
  itemNumber: string;
  configFile: string;
  mappings: VendorMapping[];
  /** What Lizzy answered: the raw item, or null when it does not have it. */
  lizzy: { source: 'live' | 'file'; file?: string; raw: unknown | null };
  /** The raw item through the pull's tolerant reader (undefined when Lizzy does not have it). */
  item?: FeedItem;
  /** Exact lookups of the item number for the rows without partNumbers rules (keyed by keyString). */
  products: Map<string, Product>;
  normalised: NormalisedCandidates<Product>;
  /** Per mapping row index: the part numbers of its (catalog, brand), for rows that matched nothing. */
  brandPartNumbers: Map<number, string[]>;
  /** Per mapping row index: how many products its (catalog, brand) has. */
  brandProducts: Map<number, number>;
  clearPreviousQuantities: boolean;
  /** The date the next pull asks the feed from (lookbackDays ago, in timeZone). */
  modifiedSince: string;
  timeZone: string;
}

export interface ExplainedRow {
  index: number;
  line: number;
  catalog: CatalogKind;
  brand: string;
  usePricing: boolean;
  lookup: 'exact' | 'normalised';
  partNumbers?: string;
  /** The item number as the row compares it (normalised rows). */
  comparedAs?: string;
  brandProducts: number;
  product: null | { id: number; partNumber: string; description: string | null; shelfQty: number; listPrice: string | null };
  /** Several products under one normalised number: none is updated. */
  ambiguous?: string[];
  closest?: CloseMatch[];
  /** What the next pull does through this row. */
  outcome: { status: PlanRow['status'] | 'not_in_feed'; oldQty?: number; newQty?: number; oldPrice?: string | null; newPrice?: string | null; notes: string[] };
}

export interface Explanation {
  vendor: string;
  itemNumber: string;
  configFile: string;
  lizzy: {
    source: 'live' | 'file';
    file?: string;
    found: boolean;
    raw?: unknown;
    quantity?: number;
    listPrice?: string;
    lastModified?: string;
    description?: string;
    invalid?: string;
    priceProblem?: string;
    notes: string[];
  };
  /** The mapping rows whose vendor is exactly this name. */
  rows: ExplainedRow[];
  /** No row names the vendor: a mapped name it resembles. */
  vendorSuggestion?: string;
  /** Lizzy's item is older than the next pull's modifiedsince date: the feed will not carry it. */
  inNextFeed?: boolean;
  /** True when the next pull would apply Lizzy's quantity to a product through every row. */
  applies: boolean;
  /** The answer in a sentence or two. */
  verdict: string[];
}

const q = (s: string) => JSON.stringify(s);
const money = (c: number | null | undefined) => (c === null || c === undefined ? null : formatCents(c));

export function explainPart(input: ExplainInput): Explanation {
  const { vendor, itemNumber, mappings, item } = input;
  const raw = input.lizzy.raw;
  const fields = raw && typeof raw === 'object' && !Array.isArray(raw) ? pickItemFields(raw as Record<string, unknown>) : {};
  const lastModified = typeof fields.lastModified === 'string' ? fields.lastModified : undefined;
  const lizzy: Explanation['lizzy'] = {
    source: input.lizzy.source,
    ...(input.lizzy.file ? { file: input.lizzy.file } : {}),
    found: raw !== null,
    ...(raw !== null ? { raw } : {}),
    ...(item?.quantity !== undefined ? { quantity: item.quantity } : {}),
    ...(item?.priceCents !== undefined ? { listPrice: formatCents(item.priceCents) } : {}),
    ...(lastModified ? { lastModified } : {}),
    ...(item?.description !== undefined ? { description: item.description } : {}),
    ...(item?.invalid ? { invalid: item.invalid } : {}),
    ...(item?.priceProblem ? { priceProblem: item.priceProblem } : {}),
    notes: item?.notes ?? [],
  };

  let inNextFeed: boolean | undefined;
  if (lastModified && !Number.isNaN(Date.parse(lastModified))) {
    inNextFeed = zonedDate(new Date(lastModified), input.timeZone) >= input.modifiedSince;
  }

  const byVendor = indexMappings(mappings);
  const maps = byVendor.get(vendor) ?? [];
  const verdict: string[] = [];

  // The planner on this one item (as the pull would see it), when Lizzy has it.
  const planItem: FeedItem = item ?? { position: 1, vendor, itemNumber, notes: [] };
  const plan = item
    ? planInventory([planItem], mappings, input.products, { clearPreviousQuantities: input.clearPreviousQuantities }, input.normalised)
    : undefined;

  const rows: ExplainedRow[] = maps.map((m) => {
    const brand = brandOfMapping(m);
    let product: Product | undefined;
    let ambiguous: Product[] | undefined;
    let comparedAs: string | undefined;
    if (m.partNumbers) {
      comparedAs = normalisePartNumber(itemNumber, m.partNumbers);
      const c = input.normalised.get(lookupSpaceOf(m)!)?.get(comparedAs) ?? [];
      if (c.length === 1) product = c[0];
      else if (c.length > 1) ambiguous = c;
    } else {
      product = input.products.get(keyString(productKeyFor(m, itemNumber)));
    }
    const planRow = plan?.rows.find((r) => r.mapping === m.index);
    const outcome: ExplainedRow['outcome'] = planRow
      ? {
          status: planRow.status,
          ...(planRow.oldQty !== undefined ? { oldQty: planRow.oldQty } : {}),
          ...(planRow.newQty !== undefined ? { newQty: planRow.newQty } : {}),
          ...(planRow.oldPriceCents !== undefined ? { oldPrice: money(planRow.oldPriceCents) } : {}),
          ...(planRow.newPriceCents !== undefined ? { newPrice: money(planRow.newPriceCents) } : {}),
          notes: planRow.notes,
        }
      : { status: 'not_in_feed', notes: ['Lizzy does not have this part, so the feed will not carry it'] };
    if (product && (!item || inNextFeed === false)) {
      // Not in the next feed: with clearing on, the product goes to 0; otherwise it keeps its quantity.
      outcome.status = 'not_in_feed';
      outcome.oldQty = product.shelfQty;
      outcome.newQty = input.clearPreviousQuantities ? 0 : product.shelfQty;
      outcome.notes = [
        item ? `Lizzy last changed this part on ${lastModified}, before the next pull's window (changed since ${input.modifiedSince})` : 'Lizzy does not have this part',
        input.clearPreviousQuantities ? 'clearPreviousQuantities is on: its shelf quantity is cleared to 0' : 'its shelf quantity is left as it is',
      ];
    }
    const row: ExplainedRow = {
      index: m.index,
      line: m.line,
      catalog: m.catalog,
      brand,
      usePricing: m.usePricing,
      lookup: m.partNumbers ? 'normalised' : 'exact',
      ...(m.partNumbers ? { partNumbers: describeRules(m.partNumbers), comparedAs } : {}),
      brandProducts: input.brandProducts.get(m.index) ?? 0,
      product: product
        ? { id: product.id, partNumber: product.partNumber, description: product.description, shelfQty: product.shelfQty, listPrice: money(product.listPriceCents) }
        : null,
      ...(ambiguous ? { ambiguous: ambiguous.map((p) => p.partNumber).sort() } : {}),
      outcome,
    };
    if (!product && !ambiguous) row.closest = closestPartNumbers(itemNumber, input.brandPartNumbers.get(m.index) ?? []);
    return row;
  });

  // The verdict.
  let vendorSuggestion: string | undefined;
  if (item && (item.vendor !== vendor || item.itemNumber !== itemNumber)) {
    verdict.push(`Note: Lizzy's item reads vendor ${q(item.vendor ?? '')}, item number ${q(item.itemNumber ?? '')}; the pull uses Lizzy's spelling.`);
  }
  if (!input.lizzy.raw) {
    verdict.push(
      `Lizzy has no part ${q(itemNumber)} under vendor ${q(vendor)} (/inventoryitem found nothing), so no pull can update it from Lizzy.`,
      // The usual reason a part was cleared "not in the feed" while Lizzy has it (found by a new-user walkthrough).
      `If Lizzy lists it under another spelling of the vendor ("Tucker Rocky" for "TUCKER ROCKY"), the pull's ...-unrecognized-vendors.csv names that spelling and lizzy-sync mappings validate shows it as a near miss; explain --vendor with that spelling shows what Lizzy has.`,
    );
  } else if (item?.invalid) {
    verdict.push(`Lizzy's item is unusable: ${item.invalid}. The pull reports it as invalid and keeps the matched products' quantities.`);
  }
  if (maps.length === 0) {
    vendorSuggestion = nearMiss(vendor, byVendor.keys());
    verdict.push(
      `No mapping row names vendor ${q(vendor)}${vendorSuggestion ? `; did you mean ${q(vendorSuggestion)}? Names must match exactly (case, spaces)` : ''}. The pull skips the item as unrecognized_vendor.`,
      vendorSuggestion
        ? `Fix: if Lizzy really sends ${q(vendor)}, add a mapping row with vendor: ${q(vendor)} (a copy of the ${q(vendorSuggestion)} row).`
        : `Fix: add a mapping row with vendor: ${q(vendor)} (see lizzy-sync mappings validate for a ready-to-paste row).`,
    );
  }
  for (const r of rows) {
    const where = `Row at ${input.configFile}:${r.line} (${r.catalog} ${r.brand}${r.partNumbers ? `, partNumbers: ${r.partNumbers}` : ''})`;
    if (r.ambiguous) {
      verdict.push(`${where}: ${q(itemNumber)} compared as ${q(r.comparedAs!)} matches ${r.ambiguous.length} products (${r.ambiguous.map(q).join(', ')}); none is updated. Make those part numbers distinct or drop the rule.`);
    } else if (!r.product) {
      const near = r.closest?.length ? ` Closest catalog part numbers: ${r.closest.map((c) => `${q(c.partNumber)}${c.hint ? ` (${c.hint})` : ''}`).join('; ')}.` : '';
      verdict.push(
        r.brandProducts === 0
          ? `${where}: the catalog has no ${r.catalog} products of ${r.brand} at all; check the row's ${r.catalog === 'aftermarket' ? 'distributor' : 'manufacturer'} or import the catalog.`
          : `${where}: no ${r.catalog} product ${r.brand} ${itemNumber} in the catalog${r.comparedAs !== undefined ? ` (compared as ${q(r.comparedAs)})` : ''}, so nothing is updated.${near}`,
      );
    } else if (r.outcome.status === 'not_in_feed') {
      verdict.push(`${where}: matches product ${r.brand} ${r.product.partNumber}, but ${r.outcome.notes.join('; ')}.`);
    } else if (r.outcome.status === 'updated' || r.outcome.status === 'unchanged') {
      const price = r.outcome.newPrice !== r.outcome.oldPrice ? `, list price ${r.outcome.oldPrice ?? 'none'} → ${r.outcome.newPrice}` : '';
      verdict.push(
        r.outcome.status === 'updated'
          ? `${where}: matches product ${r.brand} ${r.product.partNumber}; the next pull sets its shelf quantity ${r.outcome.oldQty} → ${r.outcome.newQty}${price}.`
          : `${where}: matches product ${r.brand} ${r.product.partNumber}; it already has Lizzy's values (quantity ${r.outcome.newQty}${r.usePricing ? `, list price ${r.outcome.newPrice ?? 'none'}` : ''}), so the next pull leaves it unchanged.`,
      );
      if (inNextFeed === undefined && item) verdict.push('(Lizzy sent no LastModified date, so whether the next feed carries the part is not known.)');
      if (r.partNumbers && r.product.partNumber !== itemNumber) {
        // The pull's lookalike precedence: it sees the whole feed, explain sees one item.
        verdict.push(
          `(Found through the partNumbers rule, not by its own number: if the same feed also lists ${q(r.product.partNumber)} under its own number, that item sets the product and this one is skipped as a different part.)`,
        );
      }
    } else {
      verdict.push(`${where}: matches product ${r.brand} ${r.product.partNumber}; ${r.outcome.notes[0] ?? r.outcome.status}.`);
    }
  }
  const applies = !!item && !item.invalid && inNextFeed !== false && rows.length > 0 && rows.every((r) => r.outcome.status === 'updated' || r.outcome.status === 'unchanged');
  return {
    vendor,
    itemNumber,
    configFile: input.configFile,
    lizzy,
    rows,
    ...(vendorSuggestion ? { vendorSuggestion } : {}),
    ...(inNextFeed !== undefined ? { inNextFeed } : {}),
    applies,
    verdict,
  };
}
