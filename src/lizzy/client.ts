import type { ClientRequest } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import got, { type Got, type Response } from 'got';
import { LizzyError } from '../errors.js';
import { clip, redact, registerSecret } from '../util/redact.js';
import { JsonArraySplitter } from './json-array-stream.js';
import {
  ACCEPTED_STATUSES,
  authorizationHeader,
  encodePayload,
  field,
  inventoryFeedPayload,
  inventoryItemPayload,
  orderStatusPayload,
  PATHS,
  submitOrderPayload,
  type WireOrder,
  type WireOrderStatus,
  type WireSubmitResult,
} from './wire.js';

export interface LizzyClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Whole-request deadline for one attempt. */
  timeoutMs: number;
  /** Retries after the first attempt, for GETs only. */
  retries: number;
  /** A Retry-After longer than this ends the run instead of waiting. */
  maxRetryAfterMs: number;
  /** First backoff step; doubles each retry. */
  retryBaseMs?: number;
  userAgent?: string;
  /** Aborts waits and requests when the run is cancelled or hits its deadline. */
  signal?: AbortSignal;
}

/** Receives the feed's elements; begin() is called before each attempt, so a retry starts clean. */
export interface FeedSink {
  begin(): void | Promise<void>;
  element(value: unknown, position: number): void | Promise<void>;
}

export interface SubmitOutcome {
  status: number;
  results: WireSubmitResult[];
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);

class Retryable extends Error {
  constructor(
    readonly error: LizzyError,
    readonly waitMs?: number,
  ) {
    super(error.message);
  }
}

/**
 * How long to wait before retry number `retry` (1, 2, ...): what Lizzy's Retry-After asked
 * for, in full (a wait longer than lizzy.maxRetryAfterSeconds ends the run before this), or
 * else backoff doubling from `baseMs`, at most a minute. Retrying before the Retry-After
 * (it was cut to 60 s) asks to be throttled further (found by a break-it pass).
 */
export function retryWait(retryAfterMs: number | undefined, retry: number, baseMs: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return Math.min(baseMs * 2 ** (retry - 1), 60_000);
}

export class LizzyClient {
  private readonly http: Got;
  private readonly opts: Required<Omit<LizzyClientOptions, 'signal' | 'userAgent'>> & Pick<LizzyClientOptions, 'signal'>;

  constructor(opts: LizzyClientOptions) {
    registerSecret(opts.apiKey);
    this.opts = { retryBaseMs: 1000, ...opts };
    this.http = got.extend({
      headers: {
        authorization: authorizationHeader(opts.apiKey),
        'user-agent': opts.userAgent ?? 'lizzy-sync',
        accept: 'application/json, text/plain;q=0.9',
      },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      timeout: { connect: Math.min(15_000, opts.timeoutMs), request: opts.timeoutMs },
      signal: opts.signal,
    });
  }

  private url(path: string): string {
    return `${this.opts.baseUrl}${path}`;
  }

  /** Stream /inventoryfeed into the sink. 204 is an empty feed. */
  async fetchInventoryFeed(modifiedSince: string, sink: FeedSink): Promise<{ items: number; status: number }> {
    return this.withRetries('inventory feed', async () => {
      await sink.begin();
      const stream = this.http.stream(this.url(PATHS.inventoryFeed), {
        searchParams: { payload: encodePayload(inventoryFeedPayload(modifiedSince)) },
      });
      let response: Response;
      try {
        response = await new Promise<Response>((resolve, reject) => {
          stream.once('response', resolve);
          stream.once('error', reject);
        });
      } catch (err) {
        throw this.networkError('inventory feed', err);
      }
      const status = response.statusCode;
      if (status === 204) {
        stream.resume();
        return { items: 0, status };
      }
      if (status < 200 || status >= 300) {
        const body = await readSome(stream);
        throw this.statusError('inventory feed', status, body, response.headers['retry-after'], response.headers.location);
      }
      // Decode ourselves: a network read may end inside a multi-byte character, and a stream
      // in utf8 mode stalls on a chunk that decodes to nothing.
      const decoder = new StringDecoder('utf8');
      const splitter = new JsonArraySplitter();
      let position = 0;
      try {
        for await (const buf of stream as AsyncIterable<Buffer>) {
          const chunk = decoder.write(buf);
          if (chunk === '') continue;
          let parts: string[];
          try {
            parts = splitter.push(chunk);
          } catch (err) {
            stream.destroy();
            throw new LizzyError(`Lizzy answered HTTP ${status} but the body is not the JSON inventory feed: ${(err as Error).message}${looksLikeHtml(chunk) ? ' (it looks like an HTML page: a proxy or login page?)' : ''}.`, {
              hint: 'Nothing was changed. Check lizzy.baseUrl; if it is right, Lizzy may be having trouble: the next run retries.',
            });
          }
          for (const text of parts) {
            position++;
            let value: unknown;
            try {
              value = JSON.parse(text);
            } catch (err) {
              stream.destroy();
              throw new LizzyError(`The inventory feed's element ${position} is not valid JSON (${(err as Error).message}).`, {
                hint: 'Nothing was changed. The feed is unreadable; the next run tries again.',
              });
            }
            await sink.element(value, position);
          }
        }
        splitter.end();
      } catch (err) {
        if (err instanceof LizzyError) throw err;
        const msg = redact((err as Error).message);
        if (/the body is empty/.test(msg)) {
          throw new LizzyError(`Lizzy answered HTTP ${status} with an empty body instead of the inventory feed (an empty feed is HTTP 204).`, {
            hint: 'Nothing was changed.',
          });
        }
        if ((err as Error).name === 'AbortError' || (err as { code?: string }).code === 'ERR_CANCELED') throw this.networkError('inventory feed', err);
        if (err instanceof RangeError) {
          throw new LizzyError(`The inventory feed is unreadable after ${position} items: ${msg}.`, { hint: 'Nothing was changed. The feed holds an element this tool cannot read; Lizzy support may need to look at it.' });
        }
        // The body stopped coming (closed connection, short body, timeout mid-stream): a
        // partial feed is never used; the whole fetch is tried again.
        const code = (err as { code?: string }).code;
        throw new Retryable(
          new LizzyError(`The inventory feed broke off after ${position} items: ${msg.replace(/\.$/, '')}${code && !msg.includes(code) ? ` (${code})` : ''}.`, {
            hint: 'Nothing was changed. The next run tries again.',
          }),
        );
      }
      return { items: position, status };
    });
  }

  /** One part, or null when Lizzy does not have it. */
  async inventoryItem(vendorName: string, partNumber: string): Promise<unknown | null> {
    return this.withRetries('inventory item', async () => {
      const res = await this.get(PATHS.inventoryItem, inventoryItemPayload(vendorName, partNumber), 'inventory item');
      if (res.statusCode === 404 || res.statusCode === 204) return null;
      return parseJsonBody(res, 'inventory item');
    });
  }

  /** Which of these orders Lizzy already has. */
  async orderStatus(webstoreId: string, orderNumbers: string[]): Promise<WireOrderStatus[]> {
    return this.withRetries('order status', async () => {
      const res = await this.get(PATHS.orderStatus, orderStatusPayload(webstoreId, orderNumbers), 'order status');
      if (res.statusCode === 204) return [];
      const body = parseJsonBody(res, 'order status');
      if (!Array.isArray(body)) throw new LizzyError('Lizzy answered the order status request with something other than a list.');
      return body.map((r) => ({
        OrderNumber: String(field(r, 'OrderNumber') ?? ''),
        Status: field(r, 'Status') === undefined ? undefined : String(field(r, 'Status')),
        InvoiceNumber: field(r, 'InvoiceNumber') === undefined || field(r, 'InvoiceNumber') === null ? undefined : String(field(r, 'InvoiceNumber')),
      }));
    });
  }

  /**
   * POST one batch of orders. Never retried here: a POST whose outcome is unknown must be
   * reconciled with /orderstatus, not resent blindly. Throws LizzyError with
   * outcomeUnknown when the request may have reached Lizzy. `onSent` is called once the
   * whole request has been handed to the network (not called when it never was), so the
   * caller can do other work while Lizzy answers without holding the request back.
   */
  async submitOrders(webstoreId: string, orders: WireOrder[], onSent?: () => void): Promise<SubmitOutcome> {
    let res: Response<string>;
    try {
      const call = this.http.post(this.url(PATHS.submitOrder), {
        form: { payload: encodePayload(submitOrderPayload(webstoreId, orders)) },
      });
      if (onSent) call.on('request', (req: ClientRequest) => req.once('finish', () => setImmediate(onSent)));
      res = await call;
    } catch (err) {
      const e = this.networkError('order submission', err, true);
      const inner = e instanceof Retryable ? e.error : (e as LizzyError);
      // Refused connections never reached Lizzy; anything else may have.
      const code = (err as { code?: string }).code;
      const outcomeUnknown = code !== 'ECONNREFUSED' && code !== 'ENOTFOUND' && code !== 'EAI_AGAIN';
      throw new LizzyError(inner.message, {
        hint: outcomeUnknown
          ? 'The orders may or may not have reached Lizzy. They stay "sending"; the next run asks Lizzy (/orderstatus) which it has before sending any again.'
          : inner.hint,
        outcomeUnknown,
      });
    }
    const status = res.statusCode;
    if (!ACCEPTED_STATUSES.has(status)) {
      // Never retried here, so a retryable answer (5xx, 429) is handed over as the plain error.
      const e = this.statusError('order submission', status, res.body, res.headers['retry-after'], res.headers.location);
      const err = e instanceof Retryable ? e.error : (e as LizzyError);
      // Only a 4xx says for certain that Lizzy did not take the orders. Any other answer (202,
      // a redirect, a 5xx from Lizzy or a gateway in front of it) may come after Lizzy queued
      // them: the outcome is unknown, and the next run asks /orderstatus before resending.
      if (status >= 400 && status < 500) throw err;
      throw new LizzyError(err.message, {
        status,
        outcomeUnknown: true,
        hint: 'The orders may or may not have reached Lizzy. They stay "sending"; the next run asks Lizzy (/orderstatus) which it has before sending any again.',
      });
    }
    const text = res.body.trim();
    if (text === '') return { status, results: [] };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new LizzyError(
        `Lizzy answered the order submission with HTTP ${status} but an unreadable body${looksLikeHtml(text) ? ' (an HTML page)' : ''}; the orders are not taken as accepted.`,
        { status, outcomeUnknown: true },
      );
    }
    const rows = Array.isArray(body) ? body : [];
    return {
      status,
      results: rows.map((r) => ({
        OrderNumber: String(field(r, 'OrderNumber') ?? ''),
        InvoiceNumber: field(r, 'InvoiceNumber') == null ? undefined : String(field(r, 'InvoiceNumber')),
      })),
    };
  }

  // ---- plumbing -------------------------------------------------------------------------

  private async get(path: string, payload: unknown, what: string): Promise<Response<string>> {
    let res: Response<string>;
    try {
      res = await this.http.get(this.url(path), { searchParams: { payload: encodePayload(payload) } });
    } catch (err) {
      throw this.networkError(what, err);
    }
    if (res.statusCode === 404 && path === PATHS.inventoryItem) return res;
    if (res.statusCode < 200 || res.statusCode >= 300) throw this.statusError(what, res.statusCode, res.body, res.headers['retry-after'], res.headers.location);
    return res;
  }

  private async withRetries<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    let lastError: LizzyError | undefined;
    for (let i = 0; i <= this.opts.retries; i++) {
      if (i > 0 && lastError) {
        const wait = retryWait((lastError as LizzyError & { waitMs?: number }).waitMs, i, this.opts.retryBaseMs);
        await sleep(wait, undefined, { signal: this.opts.signal }).catch(() => {
          throw new LizzyError(`The ${what} request was cancelled.`);
        });
      }
      try {
        return await attempt();
      } catch (err) {
        if (err instanceof Retryable) {
          lastError = Object.assign(err.error, { waitMs: err.waitMs });
          continue;
        }
        throw err;
      }
    }
    const attempts = this.opts.retries + 1;
    throw new LizzyError(`${lastError!.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, {
      hint: lastError!.hint,
      status: lastError!.status,
    });
  }

  private statusError(what: string, status: number, body: string, retryAfter?: string | string[], location?: string): Error {
    const text = plainText(body);
    const said = text ? `: ${text}` : '';
    if (status >= 300 && status < 400) {
      return new LizzyError(`Lizzy answered the ${what} request with a redirect (HTTP ${status})${location ? ` to ${redact(location)}` : ''}; lizzy-sync does not follow redirects.`, {
        status,
        hint: `Check lizzy.baseUrl (${this.opts.baseUrl})${location ? ': use the address it redirects to' : ''}. The default is https://api.nizex.com.`,
      });
    }
    if (status === 401 || status === 403) {
      return new LizzyError(`Lizzy rejected the API key (HTTP ${status}${said}).`, {
        status,
        hint: 'Check lizzy.apiKey in the config or the LIZZY_API_KEY environment variable. Lizzy technical support issues keys.',
      });
    }
    if (status === 429) {
      const waitMs = parseRetryAfter(retryAfter);
      if (waitMs !== undefined && waitMs > this.opts.maxRetryAfterMs) {
        return new LizzyError(`Lizzy is throttling requests and asks to wait ${Math.round(waitMs / 1000)} s; retry later.`, {
          status,
          hint: `Nothing was changed. lizzy.maxRetryAfterSeconds (${Math.round(this.opts.maxRetryAfterMs / 1000)} s) caps how long a run waits.`,
        });
      }
      return new Retryable(new LizzyError(`Lizzy is throttling requests (HTTP 429${said}); retry later.`, { status }), waitMs ?? undefined);
    }
    if (RETRY_STATUSES.has(status) || status >= 500) {
      const err = new LizzyError(`Lizzy answered the ${what} request with HTTP ${status}${said}.`, {
        status,
        hint: 'Nothing was changed. Lizzy is having trouble; the next scheduled run tries again.',
      });
      return RETRY_STATUSES.has(status) ? new Retryable(err, parseRetryAfter(retryAfter)) : err;
    }
    if (status === 404) {
      return new LizzyError(`Lizzy answered the ${what} request with HTTP 404${said}.`, {
        status,
        hint: `Check lizzy.baseUrl (${this.opts.baseUrl}); the default is https://api.nizex.com.`,
      });
    }
    // A 2xx that is not the answer expected (202 Accepted: queued, not done) is no refusal.
    if (status >= 200 && status < 300) return new LizzyError(`Lizzy answered the ${what} request with HTTP ${status}${said}, not the answer expected.`, { status });
    return new LizzyError(`Lizzy refused the ${what} request with HTTP ${status}${said}.`, { status });
  }

  private networkError(what: string, err: unknown, noRetry = false): Error {
    if (err instanceof LizzyError || err instanceof Retryable) return err;
    const code = (err as { code?: string }).code ?? '';
    const base = this.opts.baseUrl;
    let message: string;
    if (code === 'ECONNREFUSED') message = `Cannot reach Lizzy at ${base}: connection refused.`;
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') message = `Cannot reach Lizzy at ${base}: the host name does not resolve.`;
    else if (code === 'ETIMEDOUT' || (err as Error).name === 'TimeoutError')
      message = `Lizzy did not answer the ${what} request within ${Math.round(this.opts.timeoutMs / 1000)} s.`;
    else if (code === 'ERR_CANCELED' || (err as Error).name === 'AbortError' || code === 'ABORT_ERR') message = `The ${what} request was cancelled.`;
    // OpenSSL's own text ("ssl3_get_record:wrong version number") told a dealer nothing
    // (found by a new-user walkthrough): name the usual cause.
    else if (code === 'EPROTO' || code.startsWith('ERR_SSL_'))
      message = `The ${what} request to ${base} failed: the TLS (https) handshake failed (${code})${base.startsWith('https:') ? '; if the server speaks plain HTTP, lizzy.baseUrl should start with http://' : ''}.`;
    else if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(code))
      message = `The ${what} request to ${base} failed: the server's TLS certificate was not accepted (${code}).`;
    else message = `The ${what} request to ${base} failed: ${redact((err as Error).message ?? String(err))}${code ? ` (${code})` : ''}.`;
    const e = new LizzyError(message, { hint: 'Nothing was changed. Check the network and lizzy.baseUrl; the next run tries again.' });
    if (noRetry && !RETRY_CODES.has(code)) return e;
    if (code === 'ERR_CANCELED' || code === 'ABORT_ERR') return e;
    return RETRY_CODES.has(code) || (err as Error).name === 'TimeoutError' || (err as Error).name === 'ReadError' ? new Retryable(e) : e;
  }
}

function parseJsonBody(res: Response<string>, what: string): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    throw new LizzyError(`Lizzy answered the ${what} request with HTTP ${res.statusCode} but the body is not JSON${looksLikeHtml(res.body) ? ' (an HTML page)' : ''}.`);
  }
}

async function readSome(stream: NodeJS.ReadableStream, limit = 2048): Promise<string> {
  let out = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      out += chunk.toString();
      if (out.length > limit) break;
    }
  } catch {
    /* the error body is best effort */
  }
  return clip(out, limit);
}

/** A short, redacted, tag-free excerpt of an error body (redacted before it is cut). */
function plainText(body: string): string {
  return clip((body ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim(), 200);
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body|\?xml)/i.test(text);
}

export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}
