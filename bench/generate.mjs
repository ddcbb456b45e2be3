/**
 * Deterministic benchmark data (fixed seed): a 1,000,000-product catalog across 10
 * distributors and OEM manufacturers, and Lizzy feeds of 100,000 (S1) and 1,000,000 (S2)
 * items from 10 vendors with mapped, unmapped, not-found and invalid items mixed in.
 * Writes bench/.data/ (git-ignored); skips files that already exist.
 */
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), '.data');

// 6 aftermarket distributors and 4 OEM manufacturers, 100,000 products each.
export const BRANDS = [
  { vendor: 'PARTS UNLIMITED', catalog: 'aftermarket', brand: 'PU', shape: (n) => `${pad(Math.floor(n / 10000), 4)}-${pad(n % 10000, 4)}` },
  { vendor: 'TUCKER ROCKY', catalog: 'aftermarket', brand: 'TR', shape: (n) => `${pad(n % 100, 2)}-${pad(Math.floor(n / 100), 4)}` },
  { vendor: 'WESTERN POWER SPORTS', catalog: 'aftermarket', brand: 'WPS', shape: (n) => `DS-${pad(n, 6)}` },
  { vendor: 'DRAG SPECIALTIES', catalog: 'aftermarket', brand: 'DS', shape: (n) => `${pad(n, 7)}` },
  { vendor: 'KURYAKYN', catalog: 'aftermarket', brand: 'KY', shape: (n) => `KY-${pad(n, 6)}` },
  { vendor: 'MOOSE RACING', catalog: 'aftermarket', brand: 'MR', shape: (n) => `M${pad(n, 6)}` },
  { vendor: 'HONDA', catalog: 'oem', brand: 'HONDA', shape: (n) => `${pad(10000 + (n % 90000), 5)}-K${pad(Math.floor(n / 90000), 2)}-${pad(n % 1000, 3)}` },
  { vendor: 'YAMAHA', catalog: 'oem', brand: 'YAMAHA', shape: (n) => `5TA-${pad(n, 6)}-00` },
  { vendor: 'KAWASAKI', catalog: 'oem', brand: 'KAWASAKI', shape: (n) => `11013-${pad(n, 6)}` },
  { vendor: 'POLARIS', catalog: 'oem', brand: 'POLARIS', shape: (n) => `${2200000 + n}` },
];
export const PER_BRAND = 100_000;
/** Mapped in the bench config: the first 8; the last 2 vendors stay unmapped. */
export const MAPPED = BRANDS.slice(0, 8);

function pad(n, w) {
  return String(n).padStart(w, '0');
}

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function writeLines(file, gen) {
  const ws = createWriteStream(file);
  let buf = '';
  for (const line of gen()) {
    buf += line;
    if (buf.length > 1 << 16) {
      if (!ws.write(buf)) await new Promise((r) => ws.once('drain', r));
      buf = '';
    }
  }
  ws.end(buf);
  await new Promise((r) => ws.on('finish', r));
}

export async function generate() {
  mkdirSync(DATA, { recursive: true });
  const catalog = path.join(DATA, 'catalog-1m.csv');
  if (!existsSync(catalog)) {
    const r = rng(7);
    await writeLines(catalog, function* () {
      yield 'catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty\n';
      for (const b of BRANDS) {
        for (let n = 0; n < PER_BRAND; n++) {
          const dist = b.catalog === 'aftermarket' ? b.brand : '';
          const mfr = b.catalog === 'aftermarket' ? '' : b.brand;
          const price = (1 + Math.floor(r() * 50000)) / 100;
          yield `${b.catalog},${dist},${mfr},${b.shape(n)},Part ${n} of ${b.brand},${price.toFixed(2)},${Math.floor(r() * 20)}\n`;
        }
      }
    });
  }
  for (const [name, size, seed] of [
    ['feed-100k', 100_000, 11],
    ['feed-1m', 1_000_000, 13],
  ]) {
    const json = path.join(DATA, `${name}.json`);
    const csv = path.join(DATA, `${name}.csv`);
    if (existsSync(json) && existsSync(csv)) continue;
    const r = rng(seed);
    const items = function* () {
      for (let i = 0; i < size; i++) {
        // A permutation of the catalog (a feed lists each part once), with ~0.5% repeats,
        // ~4% not in the catalog and ~1% invalid quantities mixed in.
        const k = r() < 0.005 && i > 0 ? ((i - 1) * 7919) % (BRANDS.length * PER_BRAND) : (i * 7919) % (BRANDS.length * PER_BRAND);
        const b = BRANDS[Math.floor(k / PER_BRAND)];
        const roll = r();
        const n = k % PER_BRAND;
        const item = roll < 0.04 ? `NF-${i}` : b.shape(n);
        const qty = roll > 0.99 ? 'N/A' : Math.floor(r() * 30);
        const price = (1 + Math.floor(r() * 50000)) / 100;
        yield { VendorName: b.vendor, ItemNumber: item, ListPrice: price, Quantity: qty, LastModified: '2026-11-20T10:00:00Z' };
      }
    };
    // JSON for the mock Lizzy; CSV of the same items for the sqlite3 shell (the limit).
    const jsonWs = createWriteStream(json);
    const csvWs = createWriteStream(csv);
    jsonWs.write('[\n');
    csvWs.write('vendor,item,qty,price\n');
    let first = true;
    for (const it of items()) {
      const ok1 = jsonWs.write(`${first ? '' : ',\n'}${JSON.stringify(it)}`);
      first = false;
      const cents = Math.round(it.ListPrice * 100);
      const ok2 = it.Quantity === 'N/A' ? true : csvWs.write(`${it.VendorName},${it.ItemNumber},${it.Quantity},${cents}\n`);
      if (!ok1) await new Promise((res) => jsonWs.once('drain', res));
      if (!ok2) await new Promise((res) => csvWs.once('drain', res));
    }
    jsonWs.end('\n]\n');
    csvWs.end();
    await Promise.all([new Promise((res) => jsonWs.on('finish', res)), new Promise((res) => csvWs.on('finish', res))]);
  }
  writeFileSync(
    path.join(DATA, 'vendors.csv'),
    `vendor,catalog,brand\n${MAPPED.map((b) => `${b.vendor},${b.catalog},${b.brand}`).join('\n')}\n`,
  );
  return DATA;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t = Date.now();
  await generate();
  console.log(`bench data in ${DATA} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
