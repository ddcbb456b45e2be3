/**
 * The reference for the order push row: the same batches of 5 orders, one request at a time
 * over one keep-alive connection, from a bare node:http client with no database, no got and
 * no report. What it takes beyond requests x 20 ms is the mock's own answer time and the
 * loopback round trip, which no client can avoid on this machine.
 *
 *   node bench/raw-push.mjs BASE_URL API_KEY ORDERS_JSON   (prints seconds and requests as JSON)
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [baseUrl, key, file] = process.argv.slice(2);
const wire = await import(path.join(root, 'dist/lizzy/wire.js'));
const { readOrderExport } = await import(path.join(root, 'dist/orders/import.js'));
const { batchPayload } = await import(path.join(root, 'dist/orders/payload.js'));
const orders = readOrderExport(JSON.parse(readFileSync(file, 'utf8'))).orders;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL(baseUrl + wire.PATHS.submitOrder);
const auth = wire.authorizationHeader(key);
const started = process.hrtime.bigint();
let requests = 0;
for (let i = 0; i < orders.length; i += 5) {
  const body = new URLSearchParams({ payload: wire.encodePayload(batchPayload('12345', orders.slice(i, i + 5), 'America/Los_Angeles')) }).toString();
  const status = await new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
  if (status !== 200) throw new Error(`mock answered ${status}`);
  requests++;
}
agent.destroy();
console.log(JSON.stringify({ seconds: Number(process.hrtime.bigint() - started) / 1e9, requests }));
