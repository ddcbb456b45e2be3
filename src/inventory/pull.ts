import path from 'node:path';
import { makeReportsFolder } from '../report/csv.js';
import type { Clock } from '../clock.js';
import type { Config, VendorMapping } from '../config/schema.js';
import { abortedByDeadline, asKnownError, GuardTripped, LizzySyncError, RunTimeout, StoreError } from '../errors.js';
import { LizzyClient } from '../lizzy/client.js';
import { withJobLock } from '../lock.js';
import type { Logger } from '../log.js';
import { gate, lastFinishedRun } from '../schedule/gate.js';
import { addDays, zonedDate, zonedWeekday } from '../schedule/zone.js';
import type { Store } from '../store/store.js';
import type { FeedStage, HeldLock, Product, StagedFeedItem } from '../store/types.js';
import { redact } from '../util/redact.js';
import { similarNames } from '../util/suggest.js';
import { fromStaged, readFeedItem, toStaged, type FeedItem } from './item.js';
import { normaliserFor } from '../mappings/normalise.js';
import {
  indexMappings,
  productKeyFor,
  keysToLookUp,
  normalisedKeysToLookUp,
  planInventory,
  lookalikeChecks,
  listedExactly,
  STATUSES,
  type InventoryPlan,
  type ItemStatus,
  type NormalisedCandidates,
  type VendorCount,
} from './plan.js';
import { ClearedList, InventoryReportWriter, publishReport, removeAbandonedDryRunFiles, settleInterruptedReports } from './report.js';

/**
 * Feed items per staging insert, and per planning chunk: memory is bounded by these. A chunk
 * of 2,000 rather than 5,000 lets most of a chunk's objects die young instead of piling up
 * in V8's old space until a full collection: S2's peak RSS 217-240 MB → 200-218 MB, same
 * speed (bench/RESULTS.md).
 */
const STAGE_BATCH = 5000;
const PLAN_CHUNK = 2000;

export interface PullOptions {
  clock: Clock;
  log: Logger;
  dryRun?: boolean;
  /** Run on a disabled day and past the wipe guard. */
  force?: boolean;
  /** Run on a disabled day, and nothing more (the guards still apply). */
  anyDay?: boolean;
  /** Run only when the schedule says so (for cron / Task Scheduler); otherwise skip quietly. */
  scheduled?: boolean;
  signal?: AbortSignal;
}

export interface InventorySummary {
  job: 'inventory';
  status: 'success' | 'needs_attention' | 'skipped' | 'failed';
  dryRun: boolean;
  runId?: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  skippedReason?: string;
  modifiedSince?: string;
  feedItems: number;
  duplicates: number;
  counts: Record<ItemStatus, number>;
  matchedProducts: number;
  productsUpdated: number;
  cleared: number;
  reindexQueued: number;
  reportPath?: string;
  vendorsReportPath?: string;
  /** With clearing on: the products zeroed (or, dry run, that would be). */
  clearedReportPath?: string;
  unrecognizedVendors: VendorCount[];
  /** Dry run only: why a real run would refuse to apply this plan. */
  guard?: string;
  /** Products matched per mapping target ("aftermarket PU"). */
  matchedByMapping?: Record<string, number>;
  error?: { type: string; message: string; hint?: string };
}

export function emptyCounts(): Record<ItemStatus, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
}

/** Is the inventory sync disabled on this instant's weekday (in the schedule's zone)? */
export function disabledToday(config: Config, now: Date): string | undefined {
  const day = zonedWeekday(now, config.schedule.timezone);
  return config.inventory.disabledDays.includes(day) ? day : undefined;
}

/** The `modifiedsince` date: lookbackDays before today, in the schedule's zone. */
export function modifiedSinceFor(config: Config, now: Date): string {
  return addDays(zonedDate(now, config.schedule.timezone), -config.inventory.lookbackDays);
}

/** Fetch the whole feed from Lizzy into memory-light FeedItems. A failed fetch throws. */
export async function fetchFeed(client: LizzyClient, modifiedSince: string, log: Logger): Promise<FeedItem[]> {
  let items: FeedItem[] = [];
  await client.fetchInventoryFeed(modifiedSince, {
    begin: () => {
      items = [];
    },
    element: (value, position) => {
      items.push(readFeedItem(value, position));
      if (position % 5000 === 0) log.progress(`Reading the Lizzy feed: ${position} items`);
    },
  });
  return items;
}

export function clientFor(config: Config, apiKey: string, signal?: AbortSignal): LizzyClient {
  return new LizzyClient({
    baseUrl: config.lizzy.baseUrl,
    apiKey,
    timeoutMs: config.lizzy.timeoutSeconds * 1000,
    retries: config.lizzy.retries,
    maxRetryAfterMs: config.lizzy.maxRetryAfterSeconds * 1000,
    signal,
  });
}

/** Plan the feed against the catalog in the store. */
export async function planFeed(config: Config, store: Store, items: FeedItem[]): Promise<InventoryPlan> {
  const byVendor = indexMappings(config.vendors);
  const keys = keysToLookUp(items, byVendor);
  const products = await store.findProducts(keys);
  const normalised = await lookUpNormalised(store, items, byVendor);
  const inFeed = new Set(items.map((it) => `${it.vendor}\u0000${it.itemNumber}`));
  const exact = await listedExactly(lookalikeChecks(items, byVendor, normalised), (pairs) => new Set(pairs.map(([v, i]) => `${v}\u0000${i}`).filter((k) => inFeed.has(k))));
  return planInventory(items, config.vendors, products, { clearPreviousQuantities: config.inventory.clearPreviousQuantities, listedExactly: exact }, normalised);
}

/** Candidate products for the rows with partNumbers rules: one store query per (catalog, brand, rules). */
export async function lookUpNormalised(store: Store, items: FeedItem[], byVendor: Map<string, VendorMapping[]>): Promise<NormalisedCandidates<Product>> {
  const out: NormalisedCandidates<Product> = new Map();
  for (const [space, want] of normalisedKeysToLookUp(items, byVendor)) {
    out.set(space, await store.findProductsByNormalised(want.catalog, want.brand, normaliserFor(want.rules), want.keys));
  }
  return out;
}

/**
 * The inventory pull: fetch → plan → guard → report → apply (one transaction).
 * Throws a LizzySyncError when it cannot run; the run is recorded as failed first.
 *
 * `client` may be a factory, called only when the feed is fetched: a run that is not due, or
 * skipped on a disabled day, needs no API key, and a missing key is then a failed run with a
 * record and a log line (found by a new-user walkthrough: it left no trace at all).
 */
export async function runInventoryPull(config: Config, store: Store, client: LizzyClient | (() => LizzyClient), opts: PullOptions): Promise<InventorySummary> {
  const { clock, log } = opts;
  const started = clock();
  const summary: InventorySummary = {
    job: 'inventory',
    status: 'success',
    dryRun: !!opts.dryRun,
    startedAt: started.toISOString(),
    finishedAt: started.toISOString(),
    durationMs: 0,
    feedItems: 0,
    duplicates: 0,
    counts: emptyCounts(),
    matchedProducts: 0,
    productsUpdated: 0,
    cleared: 0,
    reindexQueued: 0,
    unrecognizedVendors: [],
  };
  const finish = () => {
    const end = clock();
    summary.finishedAt = end.toISOString();
    summary.durationMs = end.getTime() - started.getTime();
    return summary;
  };

  if (opts.scheduled && !opts.force) {
    const g = gate(config, 'inventory', started, await lastFinishedRun(store, 'inventory', started));
    if (!g.due) {
      summary.status = 'skipped';
      summary.skippedReason = g.reason;
      return finish();
    }
  }
  const day = disabledToday(config, started);
  if (day && !opts.force && !opts.anyDay) {
    summary.status = 'skipped';
    summary.skippedReason = `${day} is a disabled day (inventory.disabledDays, ${config.schedule.timezone}); use --any-day to run anyway (the wipe guards still apply)`;
    if (!opts.dryRun) {
      const id = await store.startRun('inventory', summary.startedAt);
      await store.finishRun(id, { finishedAt: clock().toISOString(), status: 'skipped', counts: {}, reportPath: null, error: summary.skippedReason });
      summary.runId = id;
    }
    return finish();
  }

  const body = async (lock?: HeldLock): Promise<InventorySummary> => {
    // A reports.dir that cannot be a folder is found before Lizzy is called.
    makeReportsFolder(path.join(config.reports.dir, 'inventory.csv'));
    // Files a killed run left under temporary names: settled by what the database says it committed.
    for (const note of settleInterruptedReports(config.reports.dir, lock?.interrupted ?? [])) log.warn(note);
    for (const note of removeAbandonedDryRunFiles(config.reports.dir, new Date())) log.warn(note);
    const runId = opts.dryRun ? undefined : await store.startRun('inventory', summary.startedAt);
    summary.runId = runId;
    let report: InventoryReportWriter | undefined;
    /** The unrecognized-vendors list of a real run waits under .partial with its report. */
    const publishVendors = () => {
      if (!summary.vendorsReportPath) return;
      try {
        publishReport(summary.vendorsReportPath);
      } catch {
        // already published, or left for the next run to settle
      }
    };
    let cleared: ClearedList | undefined;
    let applying = false;
    let committed = false;
    const stage = await store.openFeedStage();
    try {
      summary.modifiedSince = modifiedSinceFor(config, started);
      if ((await store.countProducts()) === 0) {
        log.warn('The catalog in the mirror is empty, so every feed item will be "not found". Import it first: lizzy-sync catalog import FILE.csv');
      }
      log.progress(`Fetching the Lizzy inventory feed (changed since ${summary.modifiedSince})`);
      // 1. Stream the feed into the store's staging area: memory stays flat however big the feed.
      let batch: StagedFeedItem[] = [];
      await (typeof client === 'function' ? client() : client).fetchInventoryFeed(summary.modifiedSince, {
        begin: async () => {
          batch = [];
          await stage.reset();
        },
        element: async (value, position) => {
          batch.push(toStaged(readFeedItem(value, position)));
          if (batch.length >= STAGE_BATCH) {
            await stage.add(batch);
            batch = [];
            log.progress(`Reading the Lizzy feed: ${position} items`);
          }
        },
      });
      await stage.add(batch);
      batch = [];
      summary.feedItems = await stage.count();

      // 2. Plan chunk by chunk with the pure planner; the report is written as rows come.
      log.progress(`Planning ${summary.feedItems} feed items against the catalog`);
      summary.duplicates = await stage.dedupe();
      const byVendor = indexMappings(config.vendors);
      // The rows the planner uses: a row repeated in the config counts once (the first).
      await stage.setMappings(
        [...byVendor.values()].flat().filter((m) => !m.partNumbers).map((m) => ({ vendor: m.vendor, catalog: m.catalog, brand: productKeyFor(m, '').brand })),
      );
      report = new InventoryReportWriter(config.reports.dir, started, !!opts.dryRun);
      const unrecognized = new Map<string, VendorCount>();
      const matchedByMapping: Record<string, number> = Object.fromEntries(config.vendors.map((m) => [mappingKey(m), 0]));
      summary.matchedByMapping = matchedByMapping;
      /** Mapping rows whose vendor has items in the feed (matched or not). */
      const mappedPresent = new Set<number>();
      for await (const chunk of stage.winners(PLAN_CHUNK)) {
        const items = chunk.map(fromStaged);
        // Exact matches come from one join per chunk; rows with partNumbers rules look up their own way.
        const products = await stage.lookup(chunk[0]!.position, chunk[chunk.length - 1]!.position);
        const normalised = await lookUpNormalised(store, items, byVendor);
        const neighbours = await stage.neighbours(chunk[0]!.position, chunk[chunk.length - 1]!.position);
        const exact = await listedExactly(lookalikeChecks(items, byVendor, normalised), (pairs) => stage.listed(pairs));
        const plan = planInventory(
          items,
          config.vendors,
          products,
          { clearPreviousQuantities: config.inventory.clearPreviousQuantities, deduplicated: true, listedExactly: exact },
          normalised,
          neighbours,
        );
        for (const st of STATUSES) summary.counts[st] += plan.counts[st];
        for (const u of plan.unrecognizedVendors) {
          const v = unrecognized.get(u.vendor);
          if (v) v.items += u.items;
          else unrecognized.set(u.vendor, { ...u });
        }
        for (const r of plan.rows) {
          if (r.mapping === undefined) continue;
          mappedPresent.add(r.mapping);
          const k = mappingKey(config.vendors[r.mapping]!);
          if (r.productId !== undefined) matchedByMapping[k] = (matchedByMapping[k] ?? 0) + 1;
        }
        await report.rows(plan.rows);
        await stage.addPlan(
          [...plan.sets].map(([productId, v]) => ({ productId, ...v })),
          [...plan.protectedIds],
        );
        if (opts.signal?.aborted) throw new RunTimeout('The inventory run hit its deadline before applying; nothing was changed.');
      }
      summary.unrecognizedVendors = [...unrecognized.values()].sort((a, b) => b.items - a.items || a.vendor.localeCompare(b.vendor));
      summary.matchedProducts = await stage.planSize();
      const reports = await report.finish(summary.unrecognizedVendors, { publish: !!opts.dryRun });
      report = undefined;
      summary.reportPath = reports.path;
      summary.vendorsReportPath = reports.vendorsPath;

      // 3. Guard, then apply the staged plan in one transaction.
      if (config.inventory.clearPreviousQuantities && !opts.force) {
        try {
          await guardAgainstWipe(store, summary.feedItems, summary.matchedProducts, started);
          await guardAgainstLostMappings(store, stage, config.vendors, matchedByMapping, feedVendors(summary.unrecognizedVendors, config.vendors, mappedPresent), started);
        } catch (err) {
          // A dry run protects nothing, so it shows the whole plan and says what a real run would do.
          if (!(opts.dryRun && err instanceof GuardTripped)) throw err;
          summary.guard = err.message;
          log.warn(`A real run would stop here: ${err.message}`);
        }
      }
      if (opts.signal?.aborted) throw new RunTimeout('The inventory run hit its deadline before applying; nothing was changed.');
      if (config.inventory.clearPreviousQuantities) cleared = new ClearedList(summary.reportPath, !!opts.dryRun);
      if (opts.dryRun) {
        // Who would lose stock; a real run lists them as it clears them.
        if (cleared) {
          summary.cleared = await stage.listCleared(cleared);
          cleared.done();
        }
        cleared?.publish();
      } else {
        log.progress(`Applying ${summary.matchedProducts} product updates in one transaction`);
        applying = true;
        const res = await stage.apply({
          clear: config.inventory.clearPreviousQuantities,
          at: clock().toISOString(),
          cleared,
          fence: lock,
          run: runId !== undefined && summary.reportPath ? { id: runId, reportPath: summary.reportPath } : undefined,
        });
        committed = true;
        // Committed: only now do the report and the cleared list take their real names.
        try {
          publishReport(summary.reportPath);
        } catch {
          log.warn(`The report could not be renamed; it is complete at ${summary.reportPath}.partial`);
          summary.reportPath = `${summary.reportPath}.partial`;
        }
        publishVendors();
        summary.productsUpdated = res.updated;
        summary.cleared = res.cleared;
        summary.reindexQueued = res.reindexQueued;
        if (cleared && !cleared.publish()) {
          log.warn(`The cleared list could not be renamed; it is complete at ${cleared.path}`);
        }
      }
      summary.clearedReportPath = cleared?.path;
      cleared = undefined; // applied (or a dry run): the list stays whatever happens next
      // Once the apply has committed, the run is what it applied: a database that fails now
      // (the connection dropped right after the COMMIT) cannot undo it, and calling the run
      // failed with "nothing was changed" was wrong (found by a break-it pass).
      const afterCommit = async (what: string, step: () => Promise<void>) => {
        try {
          await step();
        } catch (err) {
          if (!committed) throw err;
          log.warn(`The feed was applied and committed, but ${what} failed afterwards: ${redact((err as Error).message)}`);
        }
      };
      await afterCommit('dropping the temporary tables', () => stage.close());
      summary.status = summary.counts.invalid > 0 ? 'needs_attention' : 'success';
      finish();
      if (runId !== undefined) {
        await afterCommit("recording the run's end (the next run marks it interrupted; its report names what it applied)", () =>
          store.finishRun(runId!, {
            finishedAt: summary.finishedAt,
            status: summary.status,
            counts: runCounts(summary),
            reportPath: summary.reportPath ?? null,
            error: null,
          }),
        );
      }
      return summary;
    } catch (caught) {
      await report?.abandon();
      cleared?.abandon();
      // The report was written before the apply and shows the changes planned; none of them
      // happened, so its name says so (a report of "updated 1 → 7" must not look applied).
      // The unrecognized vendors are what the feed sent, applied or not: the list keeps its name.
      if (!opts.dryRun && !committed) publishVendors();
      if (summary.reportPath && !opts.dryRun && !committed) {
        const notApplied = summary.reportPath.replace(/\.csv$/, '-NOT-APPLIED.csv');
        try {
          publishReport(summary.reportPath, notApplied);
          summary.reportPath = notApplied;
        } catch {
          // the report keeps its name; the run record and the error say it was not applied
        }
      }
      await stage.close().catch(() => undefined);
      let err = caught;
      let interrupted = false;
      // A deadline or a shutdown ends a run early by aborting its fetch or stopping it before
      // the apply; an error of the database, or any error once the apply began, is itself
      // the outcome and is reported as it is, even if a stop came at the same moment.
      if (opts.signal?.aborted && !applying && !(err instanceof GuardTripped) && !(asKnownError(err) instanceof StoreError)) {
        const timedOut = abortedByDeadline(opts.signal);
        interrupted = !timedOut;
        err = timedOut
          ? new RunTimeout(`The inventory run hit its deadline (runTimeoutMinutes: ${config.runTimeoutMinutes}) before it applied anything; nothing was changed.`, {
              hint: 'Lizzy may be slow or hung; the next run tries again.',
            })
          : new RunTimeout('The inventory run was stopped before it applied anything; nothing was changed.');
      }
      // A refused plan is worth reading: the hint names its report under the name it now has.
      if (err instanceof GuardTripped && summary.reportPath && !opts.dryRun) {
        err = new GuardTripped(err.message, { hint: `${err.hint ? `${err.hint} ` : ''}The plan (not applied) is in ${summary.reportPath}.`, cause: err.cause });
      }
      summary.status = 'failed';
      const e = err instanceof LizzySyncError ? err : undefined;
      summary.error = { type: e?.name ?? 'Error', message: redact((err as Error).message), hint: e?.hint };
      finish();
      if (runId !== undefined) {
        await store
          .finishRun(runId, {
            finishedAt: summary.finishedAt,
            status: interrupted ? 'interrupted' : 'failed',
            counts: runCounts(summary),
            reportPath: summary.reportPath ?? null,
            error: summary.error.message,
          })
          .catch(() => undefined);
      }
      // --json prints the counts and report path of the failed run with the error.
      if (e) e.details = { ...summary };
      throw err;
    }
  };
  return opts.dryRun ? body() : withJobLock(store, 'inventory', clock, log, body, { timeZone: config.schedule.timezone });
}

/** The vendor names the feed sends: the unrecognized ones and the mapped ones with items. */
function feedVendors(unrecognized: VendorCount[], mappings: VendorMapping[], present: Set<number>): Map<string, number> {
  const out = new Map(unrecognized.map((u) => [u.vendor, u.items]));
  for (const m of mappings) if (present.has(m.index)) out.set(m.vendor, out.get(m.vendor) ?? 0);
  return out;
}

const items = (x: number): string => `${n(x)} item${x === 1 ? '' : 's'}`;

/** 1320 → "1,320", as the summaries write counts. */
const n = (x: number): string => x.toLocaleString('en-US');

function runCounts(s: InventorySummary): Record<string, unknown> {
  return {
    matchedByMapping: s.matchedByMapping ?? {},
    ...s.counts,
    feedItems: s.feedItems,
    duplicates: s.duplicates,
    matchedProducts: s.matchedProducts,
    productsUpdated: s.productsUpdated,
    cleared: s.cleared,
    reindexQueued: s.reindexQueued,
    durationMs: s.durationMs,
  };
}

/**
 * With clearing on, an empty feed or one that matches far fewer products than last time
 * would zero the webstore's stock. Refuse; --force overrides.
 */
export async function guardAgainstWipe(store: Store, feedItems: number, matched: number, now: Date): Promise<void> {
  if (feedItems === 0) {
    throw new GuardTripped('The Lizzy feed is empty and clearPreviousQuantities is on: applying it would set every shelf quantity to 0. Nothing was changed.', {
      hint: 'If Lizzy really has no stock changes, run again with --force.',
    });
  }
  const last = await lastFinishedRun(store, 'inventory', now);
  const before = Number(last?.counts.matchedProducts ?? 0);
  if (before > 0 && matched < before / 2) {
    throw new GuardTripped(
      `The feed matches ${n(matched)} products, fewer than half of the ${n(before)} the last successful run matched (${last!.startedAt}). With clearPreviousQuantities on, applying it would zero the rest. Nothing was changed.`,
      { hint: 'Check the report and the vendor mappings; if the drop is real, run again with --force.' },
    );
  }
}

/**
 * What a mapping row feeds: a catalog and distributor/manufacturer. The run log keeps the
 * products matched per target, so a renamed vendor row is still compared with its past.
 */
export function mappingKey(m: VendorMapping): string {
  return `${m.catalog} ${productKeyFor(m, '').brand}`;
}

/**
 * With clearing on, a mapping row that suddenly matches nothing would zero that whole
 * distributor's or manufacturer's stock: typically a vendor name edited into the wrong case,
 * misspelt in a new config, or renamed in Lizzy. Refuse when
 * - a row's target matched products in the last successful run and matches none now; or
 * - no feed item names a row's vendor, while the feed sends a near-miss or misspelt name
 *   ("Parts Unlimited", "PARTS UNLIMTED") whose items are part numbers of that row's target:
 *   the evidence that fixing the name would change what the pull does. A similar name alone
 *   (SKI-DOO and SEA-DOO, KTM and KTN) is no evidence: those are other brands (found by a
 *   break-it pass, after a first version refused on the name alone).
 */
export async function guardAgainstLostMappings(
  store: Store,
  stage: Pick<FeedStage, 'vendorEvidence'>,
  mappings: VendorMapping[],
  matchedByMapping: Record<string, number>,
  feedVendors: Map<string, number>,
  now: Date,
): Promise<void> {
  const last = await lastFinishedRun(store, 'inventory', now);
  const before = (last?.counts.matchedByMapping ?? {}) as Record<string, number>;
  const problems: string[] = [];
  const seen = new Set<string>();
  let brands: Awaited<ReturnType<Store['catalogBrands']>> | undefined;
  for (const m of mappings) {
    const k = mappingKey(m);
    const prev = Number(before[k] ?? 0);
    const lost = (matchedByMapping[k] ?? 0) === 0 && prev > 0;
    const absent = !feedVendors.has(m.vendor);
    // The row's vendor is in the feed but its target matched nothing: a distributor or
    // manufacturer spelt unlike the catalog ("Polaris" for POLARIS) zeroes that whole brand
    // on the first run too (found by a new-user walkthrough). Evidence: the vendor's items are
    // part numbers of a similarly spelt brand of the catalog.
    if (!lost && !absent && (matchedByMapping[k] ?? 0) === 0) {
      const brand = productKeyFor(m, '').brand;
      brands ??= await store.catalogBrands();
      for (const b of brands) {
        if (b.catalog !== m.catalog || b.brand === brand || !similarNames(brand, [b.brand]).length) continue;
        const e = await stage.vendorEvidence(m.vendor, m.catalog, b.brand);
        if (e.matching === 0) continue;
        const kind = m.catalog === 'aftermarket' ? 'distributor' : 'manufacturer';
        problems.push(
          `vendors[${m.index}] (line ${m.line}) "${m.vendor}" → ${k} matches no product: the catalog has no ${m.catalog} products of "${brand}", but ${n(e.matching)} of the vendor's ${items(e.items)} are part numbers of ${m.catalog} "${b.brand}": the ${kind} must be spelt as in the catalog`,
        );
        break;
      }
      continue;
    }
    if (!lost && !absent) continue;
    if (seen.has(`${m.vendor}\u0000${k}`)) continue;
    seen.add(`${m.vendor}\u0000${k}`);
    // Feed vendors whose name resembles the row's, with their items that are part numbers of the row's target.
    let evidence: { vendor: string; items: number; matching: number } | undefined;
    if (absent) {
      for (const v of similarNames(m.vendor, feedVendors.keys())) {
        const e = await stage.vendorEvidence(v, m.catalog, productKeyFor(m, '').brand);
        if (e.matching > 0 && (!evidence || e.matching > evidence.matching)) evidence = { vendor: v, ...e };
      }
    }
    if (!lost && !evidence) continue;
    problems.push(
      `vendors[${m.index}] (line ${m.line}) "${m.vendor}" → ${k} ${(matchedByMapping[k] ?? 0) === 0 ? (lost ? 'matches no product now' : 'matches no product') : `matches nothing: no feed item names "${m.vendor}"`}` +
        (prev > 0 && lost ? ` (it matched ${n(prev)} in the last successful run)` : '') +
        (evidence
          ? `; the feed sends "${evidence.vendor}" (${items(feedVendors.get(evidence.vendor) || evidence.items)}, ${n(evidence.matching)} of them ${k} part numbers): vendor names must match exactly`
          : absent
            ? '; no feed item names this vendor'
            : ''),
    );
  }
  if (problems.length === 0) return;
  throw new GuardTripped(
    `clearPreviousQuantities is on, and applying this feed would zero every product of ${problems.length === 1 ? 'a mapping that matches' : `${problems.length} mappings that match`} nothing: ${problems.join('; ')}. Nothing was changed.`,
    {
      hint: 'Fix the vendor name in the config (lizzy-sync mappings validate shows the exact spelling), or run again with --force if the vendor really has nothing in Lizzy any more.',
    },
  );
}
