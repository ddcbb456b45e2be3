/**
 * End to end: `orders import` (idempotent, changed-unsent updated, sent never changed, bad
 * orders reported with their position) and amounts surviving to the cent all the way into
 * the mock Lizzy. The built CLI, real SQLite in a temp dir, the real mock.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningMock } from '../src/lizzy/mock/server.js';
import { cliEnv, FIXTURES, runCli, startMock, tempDir } from './helpers.js';

const NOW = '2026-12-03T18:00:00Z';
const fixture = JSON.parse(readFileSync(path.join(FIXTURES, 'orders.json'), 'utf8')) as Array<Record<string, any>>;
const copy = () => structuredClone(fixture);

let tmp: { dir: string; cleanup(): void };
let mock: RunningMock;
let config: string;

beforeEach(async () => {
  tmp = tempDir('lizzy-orders-import-');
  mock = await startMock(tmp.dir);
  config = path.join(tmp.dir, 'lizzy-sync.yaml');
  writeFileSync(
    config,
    `lizzy:
  baseUrl: ${mock.url}
  apiKey: \${LIZZY_API_KEY}
  webstoreId: 12345
  retries: 0
database:
  sqlite: ./data/lizzy-sync.db
reports:
  dir: ./reports
`,
  );
});
afterEach(async () => {
  await mock.close();
  tmp.cleanup();
});

const cli = (args: string[]) => runCli(['-c', config, ...args], { env: cliEnv({ LIZZY_SYNC_NOW: NOW }), cwd: tmp.dir });

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

async function importJson(file: string) {
  const r = await cli(['orders', 'import', file, '--json']);
  return { ...r, json: JSON.parse(r.stdout) };
}

function dbOrder(n: string): Record<string, any> {
  const d = new Database(path.join(tmp.dir, 'data', 'lizzy-sync.db'), { readonly: true });
  try {
    return d.prepare('SELECT * FROM orders WHERE order_number = ?').get(n) as Record<string, any>;
  } finally {
    d.close();
  }
}

async function receivedOrders(): Promise<Array<{ orderNumber: string; order: any }>> {
  return (await (await fetch(`${mock.url}/__mock/orders`)).json()) as Array<{ orderNumber: string; order: any }>;
}

describe('orders import', () => {
  it('importing the same file twice changes nothing', async () => {
    const file = writeJson('orders.json', fixture);
    const first = await importJson(file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ ok: true, orders: 30, added: 30, updated: 0, unchanged: 0, bad: [] });
    const before = dbOrder('W100113');
    const second = await importJson(file);
    expect(second.json).toMatchObject({ orders: 30, added: 0, updated: 0, unchanged: 30, keptSent: [], bad: [] });
    expect(dbOrder('W100113')).toEqual(before); // not even updated_at moved
    const human = await cli(['orders', 'import', file]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/30 orders: 0 new, 0 updated, 30 unchanged\./);
  });

  it('a changed order not yet sent is updated, and the new content is what Lizzy gets', async () => {
    await importJson(writeJson('orders.json', fixture));
    const changed = copy();
    const o = changed.find((x) => x.orderNumber === 'W100125')!;
    o.shipTo.address1 = '77 New Address Rd';
    o.shipTo.address2 = 'Unit 5';
    const r = await importJson(writeJson('orders-2.json', changed));
    expect(r.json).toMatchObject({ added: 0, updated: 1, unchanged: 29 });
    expect(dbOrder('W100125')).toMatchObject({ ship_address1: '77 New Address Rd', ship_address2: 'Unit 5', state: 'pending' });
    const push = await cli(['orders', 'push']);
    expect(push.code, push.stderr).toBe(0);
    const sent = (await receivedOrders()).find((x) => x.orderNumber === 'W100125')!;
    expect(sent.order.ShipTo).toMatchObject({ Address1: '77 New Address Rd', Address2: 'Unit 5' });
  });

  it('a sent order is never changed by an import', async () => {
    await importJson(writeJson('orders.json', fixture));
    expect((await cli(['orders', 'push'])).code).toBe(0);
    const before = dbOrder('W100119');
    expect(before.state).toBe('sent');
    const changed = copy();
    const o = changed.find((x) => x.orderNumber === 'W100119')!;
    o.shipTo.name = 'Somebody Else';
    o.total = 1;
    const r = await cli(['orders', 'import', writeJson('orders-2.json', changed)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 already sent and left as sent/);
    expect(r.stderr).toMatch(/already sent to Lizzy, so the mirror keeps what was sent.*W100119/);
    expect(dbOrder('W100119')).toEqual(before);
    const j = await importJson(writeJson('orders-2.json', changed));
    expect(j.json.keptSent).toEqual(['W100119']);
    // The next push does not resend it.
    const again = await cli(['orders', 'push', '--json']);
    expect(JSON.parse(again.stdout).requests).toBe(0);
  });

  it('one order and one bad order are counted in the singular', async () => {
    const bad = { ...copy()[14]! };
    delete bad.placedAt;
    const r = await cli(['orders', 'import', writeJson('one.json', [bad])]);
    expect(r.stdout).toMatch(/: 1 order: 0 new, 0 updated, 0 unchanged, 1 bad order skipped\./);
  });

  it('bad orders are reported with their position and reason; the good ones are kept', async () => {
    const good1 = copy()[12]!; // W100113
    const good2 = copy()[29]!; // W100130
    const numeric = { ...copy()[13]!, orderNumber: 100114 };
    const noPlaced = { ...copy()[14]! };
    delete noPlaced.placedAt;
    const subCent = copy()[15]!;
    subCent.tax = '1.234';
    const file = writeJson('orders.json', [good1, numeric, noPlaced, subCent, good2]);
    const r = await cli(['orders', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/5 orders: 2 new, 0 updated, 0 unchanged, 3 bad orders skipped\./);
    expect(r.stderr).toMatch(/^skipped: orders\.json: order 2: orderNumber must be text in quotes, found the number 100114/m);
    expect(r.stderr).toMatch(/orders\.json: order 3 \(W100115\): placedAt is missing/);
    expect(r.stderr).toMatch(/orders\.json: order 4 \(W100116\): tax "1\.234" has a fraction of a cent/);
    expect(dbOrder('W100113')).toBeTruthy();
    expect(dbOrder('W100130')).toBeTruthy();
    expect(dbOrder('W100115')).toBeUndefined();
    const j = await importJson(file);
    expect(j.code).toBe(1);
    expect(j.json.bad.map((b: any) => [b.position, b.orderNumber ?? null])).toEqual([
      [2, null],
      [3, 'W100115'],
      [4, 'W100116'],
    ]);
    expect(j.json).toMatchObject({ added: 0, unchanged: 2 });
  });

  it('a file that cannot be read as orders is a usage error (exit 2), and nothing is imported', async () => {
    const notJson = await cli(['orders', 'import', writeJson('broken.json', '[{"orderNumber": "W1",')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/is not valid JSON/);
    const notArray = await cli(['orders', 'import', writeJson('object.json', { orders: fixture })]);
    expect(notArray.code).toBe(2);
    expect(notArray.stderr).toMatch(/must hold a JSON array of orders/);
    const missing = await cli(['orders', 'import', path.join(tmp.dir, 'nope.json')]);
    expect(missing.code).toBe(2);
  });

  it('orders the webstore already sent (sentAt) are not sent again', async () => {
    const marked = copy().map((o) => (o.orderNumber >= 'W100109' && o.orderNumber <= 'W100118' ? { ...o, sentAt: '2026-12-01T09:00:00-08:00', invoiceNumber: `OLD-${o.orderNumber}` } : o));
    const r = await importJson(writeJson('orders.json', marked));
    expect(r.json.added).toBe(30);
    expect(dbOrder('W100110')).toMatchObject({ state: 'sent', invoice_number: 'OLD-W100110', sent_at: '2026-12-01T17:00:00.000Z' });
    const push = JSON.parse((await cli(['orders', 'push', '--json'])).stdout);
    expect(push.counts).toMatchObject({ sent: 12, already_sent: 10, expired: 8 });
  });
});

describe('amounts survive to the cent, into Lizzy', () => {
  it('W100113: 0.10 + 0.20 + 19.99 with tax 1.63 arrives as exactly those amounts, total 21.92', async () => {
    const w113 = copy().find((o) => o.orderNumber === 'W100113')!;
    expect((await importJson(writeJson('orders.json', [w113]))).json.added).toBe(1);
    const r = await cli(['orders', 'push', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [got] = await receivedOrders();
    expect(got!.orderNumber).toBe('W100113');
    const o = got!.order;
    expect(o.Items.map((i: any) => [i.ProductId, i.Price, i.Quantity])).toEqual([
      ['RM-STICKER-SM', '0.10', 1],
      ['94109-12000', '0.20', 1],
      ['RM-1001', '19.99', 1],
    ]);
    expect([o.Tax, o.Shipping, o.Total]).toEqual(['1.63', '0.00', '21.92']);
    expect([o.OrderDate, o.OrderTime]).toEqual(['2026-11-27', '17:29:29']);
    expect(o.ShipTo.State).toBe('OR');
    // The raw request as it went over the wire (form-encoded payload) carries the same text.
    const req = ((await (await fetch(`${mock.url}/__mock/requests`)).json()) as any[]).find((x) => x.path === '/submitorder');
    expect(JSON.stringify(req.payload)).toContain('"Price":"0.10"');
    expect(req.payload.webstoreid).toBe('12345');
    expect(dbOrder('W100113')).toMatchObject({ total_cents: 2192, tax_cents: 163, shipping_cents: 0 });
  });
});
