/**
 * Where the diagnostics get Lizzy's feed: live (the same fetch the pull makes) or a saved
 * file (`lizzy-sync inventory fetch --out FILE`). Either way the items go through the same
 * tolerant reader as the pull.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { requireApiKey } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { InputError } from '../errors.js';
import { readFeedItem, type FeedItem } from '../inventory/item.js';
import { pickItemFields } from '../lizzy/wire.js';
import { clientFor, fetchFeed, modifiedSinceFor } from '../inventory/pull.js';
import type { Logger } from '../log.js';

export interface FeedSource {
  kind: 'live' | 'file';
  /** The saved feed (kind file). */
  file?: string;
  /** The date asked for (kind live). */
  modifiedSince?: string;
  items: FeedItem[];
}

function emptyFeedFile(abs: string): InputError {
  return new InputError(`The feed file ${abs} is empty: a saved feed is a JSON array ("[]" when Lizzy had no changes).`, {
    hint: 'Save one with: lizzy-sync inventory fetch --out FILE',
  });
}

/** Read a saved feed: a JSON array of items, as `inventory fetch --out` writes it. */
export function readFeedFile(file: string): FeedSource {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new InputError(`Cannot read the feed file ${abs}: ${(err as Error).message}`, {
      hint: 'Save one with: lizzy-sync inventory fetch --out FILE',
    });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // inventory fetch --out writes "[]" for an empty feed; an empty file is a save that failed,
  // or the wrong file, not a feed without items (break-it pass: it validated as one, exit 0).
  if (text.trim() === '') throw emptyFeedFile(abs);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`The feed file ${abs} is not JSON: ${(err as Error).message}`, {
      hint: 'Save one with: lizzy-sync inventory fetch --out FILE',
    });
  }
  if (!Array.isArray(value)) {
    throw new InputError(`The feed file ${abs} is not a JSON array of feed items.`, { hint: 'Save one with: lizzy-sync inventory fetch --out FILE' });
  }
  return { kind: 'file', file: abs, items: value.map((v, i) => readFeedItem(v, i + 1)) };
}

/** Fetch the live feed (needs the API key); a failed fetch throws LizzyError (exit 3). */
export async function fetchLiveFeed(config: Config, clock: Clock, log: Logger): Promise<FeedSource> {
  const apiKey = requireApiKey(config);
  const modifiedSince = modifiedSinceFor(config, clock());
  log.progress(`Fetching the Lizzy inventory feed (changed since ${modifiedSince})`);
  const client = clientFor(config, apiKey, AbortSignal.timeout(config.runTimeoutMinutes * 60_000));
  const items = await fetchFeed(client, modifiedSince, log);
  return { kind: 'live', modifiedSince, items };
}

/**
 * One part from a saved feed, the way /inventoryitem finds it: the last element with exactly
 * this vendor name and item number. Null when the file does not have it.
 */
export function findInFeedFile(file: string, vendor: string, itemNumber: string): unknown | null {
  const abs = path.resolve(file);
  let list: unknown;
  try {
    const text = readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') throw emptyFeedFile(abs);
    list = JSON.parse(text);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`Cannot read the feed file ${abs}: ${(err as Error).message}`, { hint: 'Save one with: lizzy-sync inventory fetch --out FILE' });
  }
  if (!Array.isArray(list)) throw new InputError(`The feed file ${abs} is not a JSON array of feed items.`);
  for (let i = list.length - 1; i >= 0; i--) {
    const el = list[i];
    if (!el || typeof el !== 'object' || Array.isArray(el)) continue;
    const f = pickItemFields(el as Record<string, unknown>);
    if (f.vendorName === vendor && f.itemNumber !== undefined && String(f.itemNumber) === itemNumber) return el;
  }
  return null;
}
