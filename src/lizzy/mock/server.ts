/**
 * A mock Lizzy that speaks the same contract as the client (through wire.ts): it serves a
 * feed file, checks the API key and Webstore ID, records what it receives, and can be told
 * to fail, delay or drop a connection so tests and users' CI smoke tests can reproduce
 * each failure. Listens on 127.0.0.1 only.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { authorizationHeader, field, PATHS, pickItemFields, type WireSubmitResult } from '../wire.js';

export interface MockOptions {
  port?: number;
  /** Folder holding lizzy-feed.json (the inventory feed served as-is). */
  dataDir?: string;
  apiKey: string;
  /** When set, submitorder and orderstatus require it. */
  webstoreId?: string;
  /** Answer every request this long after it arrived (see waitUntil). */
  delayMs?: number;
  /** Answer submitorder with 204 and no body instead of 200 with invoice numbers. */
  submitNoContent?: boolean;
  /** Most orders accepted in one submitorder request. */
  maxBatch?: number;
  log?: (line: string) => void;
}

/** A one-shot (or n-shot) behaviour for the next requests to a path. */
export interface Behaviour {
  path: string;
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** before: close the connection without answering or recording; after: record the orders, then close without answering. */
  drop?: 'before' | 'after';
  /** Send only the first N bytes of the normal body, then close (a truncated feed). */
  truncateAt?: number;
  /** submitorder with status: take the orders first, then answer with that status (a 202, a redirect or a gateway timeout after Lizzy queued them). */
  takeOrders?: boolean;
  /** Only for submitorder requests carrying one of these order numbers (for example: Lizzy rejects one bad order). */
  orders?: string[];
  times?: number;
}

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  payload: unknown;
  status: number | 'dropped';
}

export interface MockState {
  requests: RecordedRequest[];
  /** Every order received, in order of arrival (duplicates included). */
  received: Array<{ orderNumber: string; order: unknown; batch: number }>;
  behaviours: Behaviour[];
}

export interface RunningMock {
  url: string;
  port: number;
  state: MockState;
  close(): Promise<void>;
}

export const FEED_FILE = 'lizzy-feed.json';

/**
 * Wait until performance.now() reaches `deadline`. A delay stands for Lizzy's answer time,
 * counted from the request's arrival, so it includes the mock's own reading of the request
 * and is not stretched by timer lateness: a plain setTimeout(20) fired at 21-22 ms on our
 * machines, which made a benchmark against a 20 ms floor measure the mock. The last
 * millisecond is waited out with setImmediate, which keeps serving other connections.
 */
export async function waitUntil(deadline: number): Promise<void> {
  const early = deadline - performance.now() - 1.5;
  if (early > 0) await new Promise((r) => setTimeout(r, early));
  while (performance.now() < deadline) await new Promise((r) => setImmediate(r));
}

export async function startMockLizzy(opts: MockOptions): Promise<RunningMock> {
  const state: MockState = { requests: [], received: [], behaviours: [] };
  const expectedAuth = authorizationHeader(opts.apiKey);
  let batchNo = 0;
  const log = opts.log ?? (() => undefined);

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`mock error: ${(err as Error).message}`);
      if (!res.headersSent) send(res, 500, `mock failure: ${(err as Error).message}`);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const arrived = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);

    // ---- control endpoints (no auth: loopback only) ----
    if (url.pathname.startsWith('/__mock/')) return control(url.pathname, req.method ?? 'GET', body, res);

    const record = (payload: unknown, status: number | 'dropped') =>
      state.requests.push({ at: new Date().toISOString(), method: req.method ?? '', path: url.pathname, payload, status });

    const rawPayload = req.method === 'GET' ? url.searchParams.get('payload') : new URLSearchParams(body).get('payload');
    const carried = orderNumbersIn(rawPayload);
    const idx = state.behaviours.findIndex((b) => b.path === url.pathname && (!b.orders || b.orders.some((n) => carried.includes(n))));
    const behaviour = idx >= 0 ? state.behaviours[idx] : undefined;
    if (behaviour) {
      behaviour.times = (behaviour.times ?? 1) - 1;
      if (behaviour.times <= 0) state.behaviours.splice(idx, 1);
    }
    const delay = behaviour?.delayMs ?? opts.delayMs ?? 0;
    if (delay > 0) await waitUntil(arrived + delay);

    let payload: unknown;

    if (behaviour?.drop === 'before') {
      record(null, 'dropped');
      req.socket.destroy();
      return;
    }
    if (req.headers.authorization !== expectedAuth) {
      record(null, 401);
      // Lizzy slows failed authentication down.
      await new Promise((r) => setTimeout(r, 100));
      return send(res, 401, 'Unauthorized: invalid API key');
    }
    if (rawPayload === null) {
      record(null, 400);
      return send(res, 400, 'Missing payload parameter');
    }
    try {
      payload = JSON.parse(rawPayload);
    } catch {
      record(rawPayload, 400);
      return send(res, 400, 'Malformed payload: not JSON');
    }
    if (behaviour?.status !== undefined && !behaviour.drop && !(behaviour.takeOrders && url.pathname === PATHS.submitOrder)) {
      record(payload, behaviour.status);
      res.writeHead(behaviour.status, { 'content-type': behaviour.contentType ?? 'text/plain; charset=utf-8', ...behaviour.headers });
      return res.end(behaviour.body ?? '');
    }

    switch (url.pathname) {
      case PATHS.inventoryFeed: {
        if (req.method !== 'GET') return send(res, 405, 'Method not allowed');
        const since = field(payload, 'modifiedsince');
        if (typeof since !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(since)) {
          record(payload, 400);
          return send(res, 400, 'modifiedsince must be a date YYYY-MM-DD');
        }
        const file = opts.dataDir ? path.join(opts.dataDir, FEED_FILE) : undefined;
        if (!file || !existsSync(file) || statSync(file).size === 0) {
          record(payload, 204);
          res.writeHead(204);
          return res.end();
        }
        record(payload, 200);
        const size = statSync(file).size;
        if (behaviour?.truncateAt !== undefined) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(size) });
          const s = createReadStream(file, { start: 0, end: Math.max(0, behaviour.truncateAt - 1) });
          s.on('end', () => setImmediate(() => res.destroy()));
          s.pipe(res, { end: false });
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(size) });
        createReadStream(file).pipe(res);
        return;
      }
      case PATHS.inventoryItem: {
        const vendor = field(payload, 'vendorname');
        const part = field(payload, 'partnumber');
        const file = opts.dataDir ? path.join(opts.dataDir, FEED_FILE) : undefined;
        const items: unknown[] = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8') || '[]') as unknown[]) : [];
        const hit = items.findLast((it) => {
          const f = pickItemFields(it as Record<string, unknown>);
          return f.vendorName === vendor && String(f.itemNumber) === part;
        });
        if (!hit) {
          record(payload, 404);
          return send(res, 404, 'Item not found');
        }
        record(payload, 200);
        return json(res, 200, hit);
      }
      case PATHS.submitOrder: {
        if (req.method !== 'POST') return send(res, 405, 'Method not allowed');
        const ws = field(payload, 'webstoreid');
        if (opts.webstoreId !== undefined && String(ws) !== opts.webstoreId) {
          record(payload, 400);
          return send(res, 400, `Unknown webstore ${String(ws)}`);
        }
        const orders = field(payload, 'orders');
        if (!Array.isArray(orders) || orders.length === 0) {
          record(payload, 400);
          return send(res, 400, 'orders must be a non-empty array');
        }
        if (orders.length > (opts.maxBatch ?? 5)) {
          record(payload, 400);
          return send(res, 400, `At most ${opts.maxBatch ?? 5} orders per request`);
        }
        const problems = orders.map(validateOrder).filter(Boolean);
        if (problems.length > 0) {
          record(payload, 400);
          return send(res, 400, `Rejected: ${problems.join('; ')}`);
        }
        batchNo++;
        const results: WireSubmitResult[] = [];
        for (const o of orders) {
          const orderNumber = String(field(o, 'OrderNumber'));
          state.received.push({ orderNumber, order: o, batch: batchNo });
          results.push({ OrderNumber: orderNumber, InvoiceNumber: invoiceFor(orderNumber) });
        }
        if (behaviour?.drop === 'after') {
          record(payload, 'dropped');
          req.socket.destroy();
          return;
        }
        const status = behaviour?.status ?? (opts.submitNoContent ? 204 : 200);
        record(payload, status);
        if (behaviour?.takeOrders) {
          res.writeHead(status, { 'content-type': behaviour.contentType ?? 'text/plain; charset=utf-8', ...behaviour.headers });
          return res.end(behaviour.body ?? '');
        }
        if (status === 204) {
          res.writeHead(204);
          return res.end();
        }
        return json(res, status, results);
      }
      case PATHS.orderStatus: {
        const ws = field(payload, 'webstoreid');
        if (opts.webstoreId !== undefined && String(ws) !== opts.webstoreId) {
          record(payload, 400);
          return send(res, 400, `Unknown webstore ${String(ws)}`);
        }
        let numbers = field(payload, 'ordernumbers');
        if (typeof numbers === 'string') numbers = numbers.split(',');
        if (!Array.isArray(numbers)) {
          record(payload, 400);
          return send(res, 400, 'ordernumbers must be a list');
        }
        const have = new Set(state.received.map((r) => r.orderNumber));
        const rows = (numbers as unknown[]).map(String).filter((n) => have.has(n)).map((n) => ({ OrderNumber: n, Status: 'Queued', InvoiceNumber: invoiceFor(n) }));
        record(payload, 200);
        return json(res, 200, rows);
      }
      default:
        record(payload, 404);
        return send(res, 404, `No such method ${url.pathname}`);
    }
  }

  function control(p: string, method: string, body: string, res: ServerResponse) {
    if (p === '/__mock/requests') return json(res, 200, state.requests);
    if (p === '/__mock/orders') return json(res, 200, state.received);
    if (p === '/__mock/reset' && method === 'POST') {
      state.requests.length = 0;
      state.received.length = 0;
      state.behaviours.length = 0;
      batchNo = 0;
      return json(res, 200, { ok: true });
    }
    if (p === '/__mock/next' && method === 'POST') {
      try {
        const b = JSON.parse(body) as Behaviour | Behaviour[];
        for (const x of Array.isArray(b) ? b : [b]) state.behaviours.push({ times: 1, ...x });
        return json(res, 200, { ok: true, queued: state.behaviours.length });
      } catch (err) {
        return send(res, 400, `bad behaviour: ${(err as Error).message}`);
      }
    }
    return send(res, 404, 'unknown control endpoint');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The order numbers a submitorder payload carries (none when it is not one). */
function orderNumbersIn(rawPayload: string | null): string[] {
  if (rawPayload === null) return [];
  try {
    const orders = field(JSON.parse(rawPayload), 'orders');
    return Array.isArray(orders) ? orders.map((o) => String(field(o, 'OrderNumber'))) : [];
  } catch {
    return [];
  }
}

function invoiceFor(orderNumber: string): string {
  let h = 0;
  for (const c of orderNumber) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `INV${String(h % 1_000_000).padStart(6, '0')}`;
}

function validateOrder(o: unknown, i: number): string | undefined {
  const n = field(o, 'OrderNumber');
  if (typeof n !== 'string' || !n) return `order ${i + 1}: OrderNumber missing`;
  for (const k of ['OrderDate', 'OrderTime', 'ShipTo', 'BillTo', 'Total', 'Items']) {
    if (field(o, k) === undefined) return `order ${n}: ${k} missing`;
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
