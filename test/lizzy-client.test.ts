/**
 * The Lizzy client against the real mock over HTTP on an ephemeral port: the order push
 * claims the next batch while Lizzy answers, and it learns when a request is on the wire
 * from submitOrders' onSent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LizzyClient, retryWait } from '../src/lizzy/client.js';
import { waitUntil, type RunningMock } from '../src/lizzy/mock/server.js';
import { LizzyError } from '../src/errors.js';
import { API_KEY, startMock, tempDir } from './helpers.js';

const ORDER = {
  OrderNumber: 'T1',
  OrderDate: '2026-12-03',
  OrderTime: '10:00:00',
  ShipTo: {},
  BillTo: {},
  Total: '1.00',
  Items: [],
};

describe('submitOrders onSent', () => {
  let t: { dir: string; cleanup(): void };
  let mock: RunningMock;
  beforeAll(async () => {
    t = tempDir();
    mock = await startMock(t.dir, { delayMs: 300 });
  });
  afterAll(async () => {
    await mock.close();
    t.cleanup();
  });

  it('is called once, when the request has gone out, long before Lizzy answers', async () => {
    const client = new LizzyClient({ baseUrl: mock.url, apiKey: API_KEY, timeoutMs: 10_000, retries: 0, maxRetryAfterMs: 1000 });
    const events: Array<[string, number]> = [];
    const res = await client.submitOrders('12345', [ORDER as never], () => events.push(['sent', performance.now()]));
    events.push(['answered', performance.now()]);
    expect(res.status).toBe(200);
    expect(events.map((e) => e[0])).toEqual(['sent', 'answered']);
    // The mock answers 300 ms after the request arrived: "sent" came before that wait.
    expect(events[1]![1] - events[0]![1]).toBeGreaterThan(200);
    expect(mock.state.received.map((r) => r.orderNumber)).toEqual(['T1']);
  });

  it('is never called for a request that never left (connection refused)', async () => {
    const client = new LizzyClient({ baseUrl: 'http://127.0.0.1:9', apiKey: API_KEY, timeoutMs: 5_000, retries: 0, maxRetryAfterMs: 1000 });
    let sent = 0;
    const err = await client.submitOrders('12345', [ORDER as never], () => sent++).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LizzyError);
    expect((err as LizzyError).outcomeUnknown).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toBe(0);
  });
});

describe('mock delay', () => {
  it('waitUntil never returns before its deadline', async () => {
    for (const ms of [0, 1, 3, 20]) {
      const deadline = performance.now() + ms;
      await waitUntil(deadline);
      expect(performance.now()).toBeGreaterThanOrEqual(deadline);
    }
  });
});

describe('retry waits', () => {
  // Found by a break-it pass: a Retry-After of 75 s (under maxRetryAfterSeconds, 120 s) was
  // cut to 60 s, so the retry came before Lizzy said it would take one.
  it('wait what Retry-After asks for in full, or back off doubling to at most a minute', () => {
    expect(retryWait(75_000, 1, 1000)).toBe(75_000);
    expect(retryWait(120_000, 3, 1000)).toBe(120_000);
    expect(retryWait(0, 1, 1000)).toBe(0);
    expect([1, 2, 3, 4].map((i) => retryWait(undefined, i, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryWait(undefined, 10, 1000)).toBe(60_000);
  });
});

// Found by a new-user walkthrough: https:// in front of a plain-HTTP server printed OpenSSL's
// "ssl3_get_record:wrong version number" and nothing a dealer could act on.
describe('network errors in plain words', () => {
  it('https:// to a plain-HTTP server names the TLS handshake and the likely fix', async () => {
    const t = tempDir();
    const mock = await startMock(t.dir);
    const client = new LizzyClient({ baseUrl: mock.url.replace('http:', 'https:'), apiKey: API_KEY, timeoutMs: 5_000, retries: 0, maxRetryAfterMs: 1000 });
    const err = await client.inventoryItem('HONDA', '1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LizzyError);
    expect((err as Error).message).toMatch(/the TLS \(https\) handshake failed \((EPROTO|ERR_SSL_[A-Z_]+)\); if the server speaks plain HTTP, lizzy\.baseUrl should start with http:\/\/\.$/);
    expect((err as Error).message).not.toContain('ssl3');
    await mock.close();
    t.cleanup();
  });
});
