/** `mappings validate --report FILE.csv`: the findings as one CSV (same writer as the run reports). */
import path from 'node:path';
import { CsvReport } from '../report/csv.js';
import type { ValidationResult } from './validate.js';

export const VALIDATE_REPORT_COLUMNS = [
  'section',
  'severity',
  'code',
  'line',
  'vendor',
  'catalog',
  'brand',
  'feed_items',
  'matched',
  'not_found',
  'message',
  'fix',
] as const;

/**
 * One row per problem (section "problem"), per mapping row ("mapping", with its match counts)
 * and per unmapped feed vendor ("unmapped_vendor").
 */
export async function writeValidationReport(file: string, r: ValidationResult): Promise<string> {
  const csv = new CsvReport(path.resolve(file), VALIDATE_REPORT_COLUMNS, { flag: '--report' });
  for (const p of r.problems) {
    await csv.write({ section: 'problem', severity: p.severity, code: p.code, line: p.line, vendor: p.vendor ?? '', message: p.message, fix: p.fix ?? '' });
  }
  for (const s of r.rows) {
    const notes = [
      s.duplicateOf !== undefined ? `repeats the row at line ${s.duplicateOf}; ignored` : '',
      s.partNumbers ? `partNumbers: ${s.partNumbers}` : '',
      s.ambiguous ? `${s.ambiguous} ambiguous` : '',
      s.unmatchedExamples.length ? `unmatched e.g. ${s.unmatchedExamples.join(', ')}` : '',
      s.wouldMatch ? `${s.wouldMatch.items} would match with ${s.wouldMatch.yaml}` : '',
    ].filter(Boolean);
    await csv.write({
      section: 'mapping',
      line: s.line,
      vendor: s.vendor,
      catalog: s.catalog,
      brand: s.brand,
      feed_items: r.feed ? s.feedItems : null,
      matched: r.feed ? s.matched : null,
      not_found: r.feed ? s.notFound : null,
      message: notes.join('; '),
    });
  }
  for (const v of r.unmappedVendors) {
    await csv.write({
      section: 'unmapped_vendor',
      vendor: v.vendor,
      feed_items: v.items,
      message: v.suggestion ? `did you mean ${JSON.stringify(v.suggestion)}?` : 'no mapping row names this vendor',
    });
  }
  return csv.close();
}
