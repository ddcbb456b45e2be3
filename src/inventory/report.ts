import { CsvReport, reportPath } from '../report/csv.js';
import { centsToNumber } from '../util/money.js';
import type { PlanRow, VendorCount } from './plan.js';

export const INVENTORY_REPORT_COLUMNS = ['vendor', 'item_number', 'status', 'catalog', 'match_key', 'old_qty', 'new_qty', 'old_price', 'new_price', 'note'] as const;

const price = (c: number | null | undefined) => (c === null || c === undefined ? null : centsToNumber(c).toFixed(2));

/**
 * The run's CSV report, written row by row as the plan is made (memory does not grow with
 * the feed), and its unrecognized vendors as a second, short one.
 */
export class InventoryReportWriter {
  readonly path: string;
  private readonly csv: CsvReport;

  constructor(
    dir: string,
    at: Date,
    private readonly dryRun: boolean,
  ) {
    this.path = reportPath(dir, 'inventory', at, dryRun ? '-DRY-RUN' : '');
    this.csv = new CsvReport(this.path, INVENTORY_REPORT_COLUMNS);
  }

  async rows(rows: Iterable<PlanRow>): Promise<void> {
    for (const r of rows) {
      await this.csv.write({
        vendor: r.vendor,
        item_number: r.itemNumber,
        status: r.status,
        catalog: r.catalog ?? '',
        match_key: r.matchKey ?? '',
        old_qty: r.oldQty,
        new_qty: r.newQty,
        old_price: price(r.oldPriceCents),
        new_price: price(r.newPriceCents),
        note: [this.dryRun ? 'DRY RUN: not applied' : '', ...r.notes].filter(Boolean).join('; '),
      });
    }
  }

  /** Close the report; write the unrecognized-vendors summary when there are any. */
  async finish(unrecognizedVendors: VendorCount[]): Promise<{ path: string; vendorsPath?: string }> {
    await this.csv.close();
    let vendorsPath: string | undefined;
    if (unrecognizedVendors.length > 0) {
      const v = new CsvReport(this.path.replace(/\.csv$/, '-unrecognized-vendors.csv'), ['vendor', 'items', 'suggestion']);
      for (const u of unrecognizedVendors) {
        await v.write({ vendor: u.vendor, items: u.items, suggestion: u.suggestion ? `did you mean "${u.suggestion}"?` : '' });
      }
      vendorsPath = await v.close();
    }
    return { path: this.path, vendorsPath };
  }

  /** Give up on the report (the run failed before it was complete). */
  async abandon(): Promise<void> {
    await this.csv.abandon();
  }
}
