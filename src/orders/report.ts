import { CsvReport, reportPath } from '../report/csv.js';

export const ORDERS_REPORT_COLUMNS = ['order_number', 'placed_at', 'status', 'attempts', 'invoice_number', 'error'] as const;

/**
 * The status of an order in a run's report:
 *   sent             Lizzy accepted it in this run
 *   confirmed        an earlier run's answer was lost; Lizzy said (/orderstatus) it has it: marked sent, not resent
 *   failed           tried in this run and not accepted; tried again next run
 *   needs_attention  not sent after orders.maxAttempts attempts; listed in every report until sent
 *   unknown          the request's outcome is unknown (dropped, timed out); the next run asks Lizzy first
 *   pending          eligible, but not tried: the run stopped before its batch
 *   in_flight        another run is sending it
 *   expired          never sent and placed before the window; send it with --since
 *   already_sent     sent by an earlier run (placed in the window)
 *   would_send       dry run: would be sent
 *   would_check      dry run: would be checked with /orderstatus first
 */
export type OrderReportStatus =
  | 'sent'
  | 'confirmed'
  | 'failed'
  | 'needs_attention'
  | 'unknown'
  | 'pending'
  | 'in_flight'
  | 'expired'
  | 'already_sent'
  | 'would_send'
  | 'would_check';

export const ORDER_REPORT_STATUSES: readonly OrderReportStatus[] = [
  'sent',
  'confirmed',
  'failed',
  'needs_attention',
  'unknown',
  'pending',
  'in_flight',
  'expired',
  'already_sent',
  'would_send',
  'would_check',
];

export interface OrderReportRow {
  orderNumber: string;
  placedAt: string;
  status: OrderReportStatus;
  attempts: number;
  invoiceNumber: string | null;
  error: string | null;
}

export async function writeOrdersReport(dir: string, at: Date, rows: readonly OrderReportRow[], opts: { dryRun: boolean }): Promise<string> {
  const csv = new CsvReport(reportPath(dir, 'orders', at, opts.dryRun ? '-DRY-RUN' : ''), ORDERS_REPORT_COLUMNS);
  for (const r of rows) {
    await csv.write({
      order_number: r.orderNumber,
      placed_at: r.placedAt,
      status: r.status,
      attempts: r.attempts,
      invoice_number: r.invoiceNumber ?? '',
      error: r.error ?? '',
    });
  }
  return csv.close();
}
