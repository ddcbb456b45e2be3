import { CsvReport, reportPath } from '../report/csv.js';
import { centsToNumber } from '../util/money.js';
import type { InventoryPlan } from './plan.js';

export const INVENTORY_REPORT_COLUMNS = ['vendor', 'item_number', 'status', 'catalog', 'match_key', 'old_qty', 'new_qty', 'old_price', 'new_price', 'note'] as const;

const price = (c: number | null | undefined) => (c === null || c === undefined ? null : centsToNumber(c).toFixed(2));

/** Render a plan as the run's CSV report, and its unrecognized vendors as a second, short one. */
export async function writeInventoryReport(
  dir: string,
  at: Date,
  plan: InventoryPlan,
  opts: { dryRun: boolean },
): Promise<{ path: string; vendorsPath?: string }> {
  const suffix = opts.dryRun ? '-DRY-RUN' : '';
  const file = reportPath(dir, 'inventory', at, suffix);
  const csv = new CsvReport(file, INVENTORY_REPORT_COLUMNS);
  for (const r of plan.rows) {
    await csv.write({
      vendor: r.vendor,
      item_number: r.itemNumber,
      status: r.status,
      catalog: r.catalog ?? '',
      match_key: r.matchKey ?? '',
      old_qty: r.oldQty,
      new_qty: r.newQty,
      old_price: price(r.oldPriceCents),
      new_price: price(r.newPriceCents),
      note: [opts.dryRun ? 'DRY RUN: not applied' : '', ...r.notes].filter(Boolean).join('; '),
    });
  }
  const path = await csv.close();
  let vendorsPath: string | undefined;
  if (plan.unrecognizedVendors.length > 0) {
    const v = new CsvReport(file.replace(/\.csv$/, '-unrecognized-vendors.csv'), ['vendor', 'items', 'suggestion']);
    for (const u of plan.unrecognizedVendors) {
      await v.write({ vendor: u.vendor, items: u.items, suggestion: u.suggestion ? `did you mean "${u.suggestion}"?` : '' });
    }
    vendorsPath = await v.close();
  }
  return { path, vendorsPath };
}
