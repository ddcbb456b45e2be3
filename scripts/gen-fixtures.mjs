#!/usr/bin/env node
// Deterministic sample-data generator for lizzy-sync.
//
//   node scripts/gen-fixtures.mjs          writes fixtures/{catalog.csv,lizzy-feed.json,orders.json,lizzy-sync.yaml}
//   import { makeOrders } from './gen-fixtures.mjs'   fresh orders for a demo, placedAt relative to `now`
//
// Plain Node ESM, no dependencies. Every random choice comes from a mulberry32 PRNG seeded from
// SEED, one independent stream per output, so the files are byte-identical on every run and
// changing one output does not reshuffle the others. Money is integer cents throughout.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SEED = 20261203;
/** The clock the order fixture is generated against (and the tests pin). */
export const PINNED_NOW = '2026-12-03T18:00:00Z';

// ---------------------------------------------------------------------------------------------
// PRNG

function mulberry32(a) {
  return function next() {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One PRNG stream per name, all derived from SEED (FNV-1a over the name). */
function rng(name, seed = SEED) {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const next = mulberry32(h);
  const r = {
    next,
    /** Integer in [lo, hi], inclusive. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    digits: (n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += String(Math.floor(next() * 10));
      return s;
    },
    letters: (n, alphabet = 'ABCDEFGHJKLMNPRSTUVWXYZ') => {
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
    /** Fisher-Yates, in place; returns the array. */
    shuffle: (arr) => {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [arr[i], arr[j]] = [arr[j], arr[i]];
      }
      return arr;
    },
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// Money helpers (integer cents inside)

const fmtCents = (c) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
const fmtDollars = (c) => `$${Math.floor(c / 100).toLocaleString('en-US')}.${String(c % 100).padStart(2, '0')}`;
/** Snap a price to a retail-looking ending: .95, .99, .49 or .00 for big tickets. */
function retail(r, cents) {
  if (cents >= 50000) return Math.round(cents / 500) * 500 - (r.chance(0.5) ? 0 : 5);
  const dollars = Math.max(0, Math.floor(cents / 100));
  return dollars * 100 + r.pick([95, 95, 99, 49, 45, 50]);
}

// ---------------------------------------------------------------------------------------------
// Catalog

/** The mapped vendors: Lizzy vendor name -> catalog key. Same rows as fixtures/lizzy-sync.yaml. */
export const VENDORS = [
  { vendor: 'PARTS UNLIMITED', catalog: 'aftermarket', distributor: 'PU', usePricing: false },
  { vendor: 'TUCKER ROCKY', catalog: 'aftermarket', distributor: 'TR', usePricing: false },
  { vendor: 'WESTERN POWER SPORTS', catalog: 'aftermarket', distributor: 'WPS', usePricing: false },
  { vendor: 'HONDA', catalog: 'oem', manufacturer: 'HONDA', usePricing: true },
  { vendor: 'YAMAHA', catalog: 'oem', manufacturer: 'YAMAHA', usePricing: true },
  { vendor: 'KAWASAKI', catalog: 'oem', manufacturer: 'KAWASAKI', usePricing: true },
  { vendor: 'POLARIS', catalog: 'oem', manufacturer: 'POLARIS', usePricing: true },
  { vendor: 'RIVERSIDE MOTO', catalog: 'private', manufacturer: 'RIVERSIDE MOTO', usePricing: true },
];
const vendorKey = (v) => v.distributor ?? v.manufacturer; // PU, TR, WPS, HONDA, ...

/** Products per catalog key. Total 5,400. */
export const CATALOG_COUNTS = { PU: 1400, TR: 950, WPS: 950, HONDA: 650, YAMAHA: 550, KAWASAKI: 350, POLARIS: 400, 'RIVERSIDE MOTO': 150 };

const BRANDS = {
  PU: ['Moose Racing', 'Hiflofiltro', 'EBC', 'NGK', 'Twin Air', 'Renthal', 'Kuryakyn', 'Shinko', 'Barnett', 'Moose Utility'],
  TR: ['Pro Taper', 'Fly Racing', 'Bikemaster', 'Emgo', 'Kuryakyn', 'Dunlop', 'Hiflofiltro', 'Motion Pro', 'Galfer'],
  WPS: ['Fly Racing', 'Pro Taper', 'EBC', 'Hiflofiltro', 'All Balls', 'Vortex', 'Maxima', 'Motion Pro', 'ProX', 'Kenda'],
};

// [description, min cents, max cents, qualifier kind]
const AFTERMARKET_ITEMS = [
  ['Air Filter', 1295, 3995, 'fit'],
  ['Oil Filter', 595, 1495, 'fit'],
  ['Brake Pad Set - Front', 2495, 5995, 'fit'],
  ['Brake Pad Set - Rear', 2495, 5495, 'fit'],
  ['Spark Plug', 399, 1499, 'plug'],
  ['Clutch Cable', 1495, 3495, 'fit'],
  ['Throttle Cable', 1495, 3295, 'fit'],
  ['Chain 520 x 120 Links', 3995, 14995, 'color'],
  ['Sprocket - Rear', 3495, 8995, 'teeth'],
  ['Sprocket - Front', 1995, 3995, 'teeth'],
  ['Grips', 995, 3495, 'color'],
  ['Wheel Bearing Kit', 1995, 4995, 'fit'],
  ['Fork Seal Kit', 1995, 4495, 'fit'],
  ['Battery', 4995, 18995, 'battery'],
  ['Gasket Kit - Top End', 2495, 7995, 'fit'],
  ['Piston Kit', 12995, 29995, 'fit'],
  ['Clutch Kit', 9995, 24995, 'fit'],
  ['Brake Rotor - Front', 8995, 22995, 'fit'],
  ['Tire - Front', 6995, 17995, 'tireF'],
  ['Tire - Rear', 8995, 24995, 'tireR'],
  ['Mirror - Left', 1495, 4995, 'color'],
  ['Mirror - Right', 1495, 4995, 'color'],
  ['Lever - Clutch', 1995, 5995, 'fit'],
  ['Lever - Brake', 1995, 5995, 'fit'],
  ['Foot Pegs', 4995, 14995, 'fit'],
  ['Skid Plate', 7995, 19995, 'fit'],
  ['Winch 3500 lb', 29995, 59995, null],
  ['Exhaust Slip-On', 29995, 89995, 'fit'],
  ['Full Exhaust System', 79995, 149995, 'fit'],
  ['Seat Cover', 4995, 12995, 'fit'],
  ['Handguards', 3995, 8995, 'color'],
  ['Gloves', 1995, 5995, 'size'],
  ['Goggles', 2495, 8995, 'color'],
  ['Helmet', 14995, 69995, 'size'],
  ['Jersey', 2995, 6995, 'size'],
  ['Windshield', 9995, 29995, 'fit'],
  ['Saddlebag Set', 39995, 129900, null],
  ['Valve Stem Cap', 195, 795, null],
  ['Fuel Filter', 495, 1495, null],
  ['Cable Lube', 795, 1495, null],
  ['Radiator Hose Kit', 5995, 14995, 'fit'],
  ['Shift Lever', 2995, 7995, 'fit'],
];
const FITMENTS = [
  'Honda CRF450R', 'Honda CRF250R', 'Honda TRX420', 'Yamaha YZ250F', 'Yamaha YZ450F', 'Yamaha Grizzly 700',
  'Kawasaki KX450', 'Kawasaki KLR650', 'Polaris RZR XP 1000', 'Polaris Sportsman 570', 'Harley-Davidson Touring',
  'KTM 350 SX-F', 'Suzuki RM-Z250', 'Can-Am Outlander',
];
const COLORS = ['Black', 'Red', 'Blue', 'White', 'Orange', 'Chrome', 'Gray', 'Yellow'];
const SIZES = ['S', 'M', 'L', 'XL', '2XL'];

const OEM_STYLE = {
  // Honda/Yamaha: "NOUN, QUALIFIER" upper case; Kawasaki: "NOUN-QUALIFIER"; Polaris: title case.
  HONDA: [
    ['ELEMENT, AIR CLEANER', 1500, 4000], ['GASKET, CYLINDER HEAD', 1200, 4500], ['BOLT, FLANGE (6X12)', 50, 250],
    ['O-RING (22.5X2.4)', 50, 300], ['SEAL, OIL (20X32X6)', 300, 1200], ['CABLE COMP., CLUTCH', 1800, 4500],
    ['PAD SET, BRAKE', 3000, 7000], ['PLUG, SPARK (CR8E) (NGK)', 800, 1600], ['CHAIN, DRIVE (DID520)', 8000, 16000],
    ['SPROCKET, FINAL DRIVEN (48T)', 5000, 9000], ['FILTER, OIL', 900, 1800], ['PISTON SET', 9000, 20000],
    ['CYLINDER COMP.', 30000, 90000], ['RADIATOR COMP., R.', 25000, 70000], ['CRANKSHAFT COMP.', 60000, 160000],
    ['LEVER, R. STEERING HANDLE', 1500, 4000], ['WASHER, PLAIN (8MM)', 30, 150], ['SPRING, CLUTCH', 300, 900],
  ],
  YAMAHA: [
    ['ELEMENT, AIR CLEANER', 1500, 4000], ['GASKET, CYLINDER HEAD 1', 1500, 5000], ['BOLT, FLANGE', 60, 300],
    ['O-RING', 60, 350], ['OIL SEAL', 300, 1200], ['CABLE, CLUTCH', 1800, 4500], ['BRAKE PAD KIT', 3000, 7000],
    ['SPARK PLUG (CR8E)', 800, 1600], ['CHAIN (DID520DMA2-114)', 8000, 16000], ['SPROCKET, DRIVEN (49T)', 5000, 9000],
    ['ELEMENT ASSY, OIL CLEANER', 900, 1800], ['PISTON (STD)', 9000, 20000], ['CYLINDER 1', 30000, 90000],
    ['RADIATOR ASSY', 25000, 70000], ['CRANKSHAFT ASSY', 60000, 160000], ['LEVER 1', 1500, 4000], ['WASHER, PLATE', 30, 150],
  ],
  KAWASAKI: [
    ['ELEMENT-AIR FILTER', 1500, 4000], ['GASKET-HEAD', 1200, 4500], ['BOLT-FLANGED,6X12', 50, 250], ['O RING,22.5X2.4', 50, 300],
    ['SEAL-OIL,20X32X6', 300, 1200], ['CABLE-CLUTCH', 1800, 4500], ['PAD-ASSY-BRAKE', 3000, 7000], ['PLUG-SPARK,CR8E', 800, 1600],
    ['CHAIN,DRIVE,EK520MXU,114L', 8000, 16000], ['SPROCKET-HUB,48T', 5000, 9000], ['ELEMENT-OIL FILTER', 900, 1800],
    ['PISTON-ENGINE', 9000, 20000], ['CYLINDER-ENGINE', 30000, 90000], ['RADIATOR', 25000, 70000], ['WASHER,8MM', 30, 150],
  ],
  POLARIS: [
    ['Oil Filter', 900, 1800], ['Drive Belt', 12000, 25000], ['Brake Pad Kit', 3000, 7000], ['Spark Plug', 800, 1600],
    ['Air Filter', 2000, 5000], ['Tie Rod End', 2500, 6000], ['Wheel Bearing', 2500, 6000], ['Ball Joint', 2500, 6000],
    ['CV Axle Assembly - Front', 20000, 45000], ['Windshield, Full', 30000, 70000], ['Lock & Ride Cargo Box', 35000, 65000],
    ['Winch 4500 lb', 50000, 90000], ['Clutch Spring', 2000, 5000], ['Seat Assembly', 30000, 60000], ['Fuel Pump Assembly', 25000, 60000],
  ],
};

/** Part-number shapes per catalog key. */
const PART_SHAPES = {
  PU: (r) => {
    if (r.chance(0.01)) return '0' + r.digits(4); // purely numeric, leading zero: 01234
    const prefix = r.pick(['0101', '0102', '0110', '0111', '0200', '0213', '0301', '0401', '0450', '0501', '0601', '0610', '0701', '0802', '0901', '1001', '1010', '1020', '1104', '1120', '1140', '1201', '1301', '1401', '1501', '1601', '1701', '2001', '2101', '2120', '2501', '3001', '3101', '3401']);
    return `${prefix}-${r.digits(4)}`;
  },
  TR: (r) => `${r.int(10, 99)}-${r.digits(4)}`,
  WPS: (r) => {
    const x = r.next();
    if (x < 0.02) return '00' + r.digits(3); // purely numeric, leading zeros: 00123
    if (x < 0.6) return `${r.int(10, 99)}-${r.digits(4)}`; // 87-1234
    return `${r.pick(['DS', 'HP', 'ZA', 'MX', 'FR'])}-${r.digits(6)}`; // DS-123456
  },
  HONDA: (r) => {
    if (r.chance(0.05)) return `${r.int(90001, 94999)}-${r.digits(5)}`; // hardware: 94109-12000
    const mid = r.pick([() => r.letters(3), () => r.letters(2) + r.digits(1), () => r.letters(1) + r.digits(2)])();
    const tail = r.chance(0.8) ? r.digits(3) : r.letters(1) + r.digits(2);
    return `${r.int(10000, 64999)}-${mid}-${tail}`;
  },
  YAMAHA: (r) => {
    const model = r.pick([() => r.digits(1) + r.letters(2), () => r.letters(1) + r.digits(1) + r.letters(1), () => r.digits(1) + r.letters(1) + r.digits(1)])();
    return `${model.replace(/^0/, '1')}-${r.int(10000, 29999)}-${r.digits(2)}-00`;
  },
  KAWASAKI: (r) => `${r.pick(['1', '3', '4', '5', '9'])}${r.digits(4)}-${r.digits(4)}`,
  POLARIS: (r) => `${r.pick(['2', '3', '5', '7'])}${r.digits(6)}`,
  'RIVERSIDE MOTO': (r) =>
    r.chance(0.35)
      ? `RM-${r.int(1002, 1998)}`
      : `RM-${r.pick(['TSHIRT', 'HOODIE', 'HAT', 'JERSEY', 'JACKET'])}-${r.pick(['BLK', 'WHT', 'RED', 'GRY', 'NVY'])}-${r.pick(['S', 'M', 'L', 'XL', '2XL'])}`,
};

/**
 * Fixed products that tests can name. Special descriptions (accents, commas, quotes, a leading
 * "=") live only here so their count is exact.
 */
export const ANCHORS = [
  // key, manufacturer (brand for aftermarket), part number, description, cents, shelf qty
  ['PU', 'Hiflofiltro', '0101-0042', 'Oil Filter - HF204', 895, 3],
  ['PU', 'Moose Racing', '0601-3351', 'Protège-main - Noir', 3995, 2],
  ['PU', 'Renthal', '0601-0007', 'Handlebar 7/8" - Black, Steel', 7995, 1],
  ['PU', 'Moose Racing', '00457', 'Valve Stem Cap - Aluminum', 495, 12],
  ['TR', 'Pro Taper', '12-3456', 'Handlebar - Evo, Mini High', 8995, 4],
  ['TR', 'Bikemaster', '25-1180', 'Señal Direccional LED - Ámbar', 2495, 6],
  ['TR', 'Emgo', '20-0419', 'Rétroviseur - Gauche', 1795, 0],
  ['WPS', 'Fly Racing', '87-1234', 'Goggle Lens - Clear', 995, 9],
  ['WPS', 'EBC', 'DS-123456', 'Brake Pad Set - Front', 3495, 2],
  ['WPS', 'Hiflofiltro', '00123', 'Oil Filter - HF303', 795, 5],
  ['WPS', 'Maxima', '123', 'Chain Lube 13 oz', 1295, 18], // same digits as 00123: part numbers are strings
  ['WPS', 'Kenda', '48-2100', 'Tire 80/100-21 "Washougal II" - Front', 8995, 3],
  ['HONDA', 'HONDA', '17210-KYJ-901', 'ELEMENT, AIR CLEANER', 2195, 4],
  ['HONDA', 'HONDA', '94109-12000', 'WASHER, DRAIN BOLT (12MM)', 20, 40],
  ['YAMAHA', 'YAMAHA', '5TA-14451-00-00', 'ELEMENT, AIR CLEANER', 2850, 2],
  ['KAWASAKI', 'KAWASAKI', '11013-0752', 'ELEMENT-AIR FILTER', 3412, 1],
  ['POLARIS', 'POLARIS', '2205386', 'Oil Filter', 1399, 8],
  ['POLARIS', 'POLARIS', '2203770', 'Filtre à huile / Oil Filter - Sportsman', 1699, 0],
  ['RIVERSIDE MOTO', 'RIVERSIDE MOTO', 'RM-TSHIRT-BLK-L', 'Riverside Moto T-Shirt - Black - L', 2499, 7],
  ['RIVERSIDE MOTO', 'RIVERSIDE MOTO', 'RM-1001', 'Riverside Moto Decal Kit', 1999, 10],
  ['RIVERSIDE MOTO', 'RIVERSIDE MOTO', 'RM-STICKER-SM', 'Riverside Moto Sticker - Small', 10, 40],
  ['RIVERSIDE MOTO', 'RIVERSIDE MOTO', 'RM-HOODIE-GRY-M', 'Riverside Moto Café Hoodie - Gray - M', 5499, 3],
  ['RIVERSIDE MOTO', 'RIVERSIDE MOTO', 'RM-1099', '=SUM(A1:A9) Sticker Pack', 500, 5],
];

/** TR and WPS share these part numbers on purpose: the distributor, not the number, picks the row. */
const CROSS_DISTRIBUTOR_SHARED = 10;

function keyInfo(key) {
  const v = VENDORS.find((x) => vendorKey(x) === key);
  return { catalog: v.catalog, distributor: v.distributor ?? '', vendor: v.vendor };
}

function describe(r, key) {
  if (key in OEM_STYLE) {
    const [d, lo, hi] = r.pick(OEM_STYLE[key]);
    return [d, Math.max(25, lo < 500 ? r.int(lo, hi) : retail(r, r.int(lo, hi)))];
  }
  if (key === 'RIVERSIDE MOTO') return null; // handled from the part number
  const [item, lo, hi, q] = r.pick(AFTERMARKET_ITEMS);
  let d = item;
  if (q === 'fit') d += ` - ${r.pick(FITMENTS)}`;
  else if (q === 'color') d += ` - ${r.pick(COLORS)}`;
  else if (q === 'size') d += ` - ${r.pick(COLORS)} - ${r.pick(SIZES)}`;
  else if (q === 'teeth') d += ` ${r.int(12, 52)}T - ${r.pick(FITMENTS)}`;
  else if (q === 'plug') d += ` ${r.pick(['CR8E', 'CR9EIX', 'BR8ES', 'DPR8EA-9', 'LMAR8A-9'])}`;
  else if (q === 'battery') d += ` ${r.pick(['YTX14-BS', 'YTZ10S', 'YTX20L-BS', 'YB16CL-B'])}`;
  else if (q === 'tireF') d += ` ${r.pick(['80/100-21', '90/90-21', '70/100-19'])}`;
  else if (q === 'tireR') d += ` ${r.pick(['110/90-19', '120/90-18', '100/100-18', '140/80-18'])}`;
  return [d, retail(r, r.int(lo, hi))];
}

function privateDescription(r, pn) {
  const m = /^RM-([A-Z]+)-([A-Z]+)-([A-Z0-9]+)$/.exec(pn);
  if (m) {
    const item = { TSHIRT: 'T-Shirt', HOODIE: 'Hoodie', HAT: 'Hat', JERSEY: 'Jersey', JACKET: 'Jacket' }[m[1]];
    const color = { BLK: 'Black', WHT: 'White', RED: 'Red', GRY: 'Gray', NVY: 'Navy' }[m[2]];
    const cents = { TSHIRT: 2499, HOODIE: 5499, HAT: 2799, JERSEY: 4999, JACKET: 12999 }[m[1]];
    return [`Riverside Moto ${item} - ${color} - ${m[3]}`, cents];
  }
  const [d, c] = r.pick([
    ['Riverside Moto Keychain', 699], ['Riverside Moto Coffee Mug', 1499], ['Riverside Moto Banner', 3999],
    ['Riverside Moto Gift Card $50', 5000], ['Riverside Moto Shop Rag Pack', 995], ['Riverside Moto License Plate Frame', 1995],
    ['Riverside Moto Tire Mounting Service', 2500], ['Riverside Moto Winterization Kit', 8995], ['Riverside Moto Water Bottle', 1295],
  ]);
  return [d, c];
}

function shelfQty(r) {
  const x = r.next();
  if (x < 0.7) return r.int(0, 5);
  if (x < 0.92) return r.int(6, 15);
  return r.int(16, 40);
}

let catalogCache;
/** The catalog: array of { catalog, distributor, manufacturer, partNumber, description, cents, shelfQty, key }. */
export function makeCatalog() {
  if (catalogCache) return catalogCache;
  const r = rng('catalog');
  const byKey = new Map(Object.keys(CATALOG_COUNTS).map((k) => [k, []]));
  const used = new Map(Object.keys(CATALOG_COUNTS).map((k) => [k, new Set()]));
  const add = (key, manufacturer, partNumber, description, cents, qty, anchor = false) => {
    if (used.get(key).has(partNumber)) throw new Error(`duplicate part ${key} ${partNumber}`);
    used.get(key).add(partNumber);
    const { catalog, distributor } = keyInfo(key);
    byKey.get(key).push({ catalog, distributor, manufacturer, partNumber, description, cents, shelfQty: qty, key, anchor });
  };
  for (const [key, brand, pn, d, c, q] of ANCHORS) add(key, brand, pn, d, c, q, true);
  for (const key of Object.keys(CATALOG_COUNTS)) {
    const list = byKey.get(key);
    while (list.length < CATALOG_COUNTS[key]) {
      let pn = PART_SHAPES[key](r);
      // Shared TR/WPS numbers: the first few WPS NN-NNNN parts copy a TR number.
      if (key === 'WPS' && list.filter((p) => p.shared).length < CROSS_DISTRIBUTOR_SHARED) {
        const tr = byKey.get('TR').filter((p) => !p.anchor && !used.get('WPS').has(p.partNumber));
        pn = tr[r.int(0, tr.length - 1)].partNumber;
      }
      if (used.get(key).has(pn)) continue;
      const [d, c] = key === 'RIVERSIDE MOTO' ? privateDescription(r, pn) : describe(r, key);
      const brand = BRANDS[key] ? r.pick(BRANDS[key]) : key;
      add(key, brand, pn, d, c, shelfQty(r));
      if (key === 'WPS' && byKey.get('TR').some((p) => p.partNumber === pn)) list[list.length - 1].shared = true;
    }
  }
  catalogCache = [...byKey.values()].flat();
  return catalogCache;
}

function csvField(v) {
  const s = String(v);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function catalogCsv(catalog = makeCatalog()) {
  const lines = ['catalog,distributor,manufacturer,part_number,description,list_price,shelf_qty'];
  for (const p of catalog) {
    lines.push([p.catalog, p.distributor, p.manufacturer, p.partNumber, p.description, fmtCents(p.cents), p.shelfQty].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Lizzy inventory feed

/** Distinct catalog products per vendor that the feed matches (canonical vendor name). */
export const FEED_MATCHED = { PU: 1320, TR: 890, WPS: 890, HONDA: 610, YAMAHA: 515, KAWASAKI: 330, POLARIS: 375, 'RIVERSIDE MOTO': 140 };
/** Items with a mapped vendor and a part number the catalog lacks. */
export const FEED_NOT_FOUND = { PU: 80, TR: 50, WPS: 50, HONDA: 35, YAMAHA: 30, KAWASAKI: 20, POLARIS: 20, 'RIVERSIDE MOTO': 5 };
export const FEED_UNMAPPED = { 'DRAG SPECIALTIES': 120, 'K&N ENGINEERING': 60, SHOEI: 15 };
const DRAG_SHARES_PU_NUMBERS = 10;
export const FEED_WRONG_CASE = [
  { as: 'Tucker Rocky', key: 'TR', count: 20 },
  { as: 'HONDA ', key: 'HONDA', count: 5 },
];
const N_DUPLICATES = 30;
const N_NEG = 20;
const N_FRAC = 10;
const MALFORMED_QTY = ['N/A', '', null, undefined /* missing key */, 'abc']; // 3 of each
const N_ALIAS = 170;
const N_LOWER_KEYS = 20;
const N_UPPER_KEYS = 20;
const PRICE_ANOMALIES = [0, '', undefined /* missing key */]; // 5 of each, on OEM/private items (usePricing: true)

// LastModified range: Pacific dates 2026-11-03 .. 2026-11-30, so any modifiedsince <= 2026-11-03 includes every item.
const LM_MIN = Date.parse('2026-11-03T09:00:00Z');
const LM_MAX = Date.parse('2026-11-30T20:00:00Z');

/** Fixed feed values for anchor products, so tests can assert exact outcomes. */
const ANCHOR_FEED = {
  'PU|0101-0042': { qty: 7, cents: 895 },
  'WPS|00123': { qty: 4, cents: 795 },
  'WPS|123': { qty: 11, cents: 1295 },
  'HONDA|17210-KYJ-901': { qty: 3, cents: 2295 },
  'YAMAHA|5TA-14451-00-00': { qty: 0, cents: 2850 },
  'KAWASAKI|11013-0752': { qty: 2, cents: 3412 },
  'POLARIS|2205386': { qty: 2, cents: 1399, numericItemNumber: true },
  'POLARIS|2203770': { qty: 0, cents: 4199, numericItemNumber: true },
  'RIVERSIDE MOTO|RM-1001': { qty: 12, cents: 2199 },
};

function feedQty(r) {
  const x = r.next();
  if (x < 0.3) return 0;
  if (x < 0.68) return r.int(1, 5);
  if (x < 0.92) return r.int(6, 15);
  return r.int(16, 40);
}

function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Build the feed. Returns { items, stats }: items are plain objects in output order, where money
 * values that should print as JSON numbers are { cents } markers (see feedJson).
 */
export function makeFeed(catalog = makeCatalog()) {
  const r = rng('feed');
  const byKey = new Map();
  for (const p of catalog) {
    if (!byKey.has(p.key)) byKey.set(p.key, []);
    byKey.get(p.key).push(p);
  }
  const catalogSets = new Map([...byKey].map(([k, ps]) => [k, new Set(ps.map((p) => p.partNumber))]));
  const entries = []; // { vendorName, itemNumber, description, cents, qty, lm, tags:Set, ... }
  const stats = { matchedDistinct: {}, notFound: {}, unmapped: {}, wrongCase: {}, tags: {} };
  const remainders = new Map();

  // 1. Matched products: anchors first, then a shuffled selection.
  const matched = [];
  for (const v of VENDORS) {
    const key = vendorKey(v);
    const ps = byKey.get(key);
    const anchors = ps.filter((p) => p.anchor);
    const rest = r.shuffle(ps.filter((p) => !p.anchor));
    const take = [...anchors, ...rest.slice(0, FEED_MATCHED[key] - anchors.length)];
    remainders.set(key, rest.slice(FEED_MATCHED[key] - anchors.length));
    stats.matchedDistinct[v.vendor] = take.length;
    for (const p of take) {
      const a = ANCHOR_FEED[`${key}|${p.partNumber}`];
      const cents = a ? a.cents : r.chance(0.25) ? Math.max(5, retail(r, Math.round(p.cents * (0.9 + r.next() * 0.25)))) : p.cents;
      matched.push({
        kind: 'matched', vendorName: v.vendor, itemNumber: p.partNumber, description: p.description, cents,
        qty: a ? a.qty : feedQty(r), lm: r.int(LM_MIN / 1000, LM_MAX / 1000) * 1000, tags: new Set(),
        anchor: p.anchor, key, fixed: !!a, numericItemNumber: !!a?.numericItemNumber,
      });
    }
  }

  // 2. Disjoint anomaly subsets among non-anchor matched entries.
  const pool = r.shuffle(matched.filter((e) => !e.anchor));
  const takeFrom = (n, pred = () => true) => {
    const out = [];
    for (let i = 0; i < pool.length && out.length < n; i++) {
      if (pred(pool[i])) {
        out.push(pool[i]);
        pool.splice(i, 1);
        i--;
      }
    }
    if (out.length < n) throw new Error('anomaly pool exhausted');
    return out;
  };
  const dups = takeFrom(N_DUPLICATES);
  dups.forEach((e) => {
    e.tags.add('dupOriginal');
    e.lm = r.int(LM_MIN / 1000, (LM_MAX - 3 * 86400000) / 1000) * 1000;
  });
  takeFrom(N_NEG).forEach((e, i) => ((e.qty = [-1, -3, -1, -2, -3][i % 5]), e.tags.add('negativeQty')));
  takeFrom(N_FRAC).forEach((e, i) => ((e.qty = [2.5, 1.5, 0.5, 2.5, 3.25][i % 5]), e.tags.add('fractionalQty')));
  takeFrom(MALFORMED_QTY.length * 3).forEach((e, i) => {
    e.qty = MALFORMED_QTY[i % MALFORMED_QTY.length];
    e.tags.add('malformedQty');
    e.tags.add(`malformedQty:${e.qty === undefined ? 'missing' : JSON.stringify(e.qty)}`);
  });
  const oemOrPrivate = (e) => ['HONDA', 'YAMAHA', 'KAWASAKI', 'POLARIS', 'RIVERSIDE MOTO'].includes(e.key);
  takeFrom(PRICE_ANOMALIES.length * 5, oemOrPrivate).forEach((e, i) => {
    const v = PRICE_ANOMALIES[i % PRICE_ANOMALIES.length];
    e.priceAnomaly = v === undefined ? 'missing' : v;
    e.tags.add('priceAnomaly');
    e.tags.add(`price:${v === undefined ? 'missing' : JSON.stringify(v)}`);
  });
  takeFrom(N_ALIAS).forEach((e) => e.tags.add('aliasKeys'));
  takeFrom(N_LOWER_KEYS).forEach((e) => e.tags.add('lowerKeys'));
  takeFrom(N_UPPER_KEYS).forEach((e) => e.tags.add('upperKeys'));
  entries.push(...matched);

  // 3. Not found: mapped vendor, part number absent from that vendor's catalog. A few near misses.
  const nearMisses = [
    ['PU', (pn) => pn.replace(/^0/, ''), (pn) => /^0\d{3}-/.test(pn), 5, 'leadingZeroDropped'],
    ['HONDA', (pn) => pn.toLowerCase(), (pn) => /[A-Z]/.test(pn), 3, 'lowerCase'],
    ['YAMAHA', (pn) => pn.replace(/-/g, ''), () => true, 2, 'dashesRemoved'],
  ];
  for (const v of VENDORS) {
    const key = vendorKey(v);
    const have = catalogSets.get(key);
    const made = new Set();
    let n = FEED_NOT_FOUND[key];
    const push = (pn, tag) => {
      made.add(pn);
      const d = key === 'RIVERSIDE MOTO' ? privateDescription(r, 'RM-1000') : describe(r, key);
      entries.push({ kind: 'notFound', vendorName: v.vendor, itemNumber: pn, description: d[0], cents: d[1], qty: feedQty(r), lm: r.int(LM_MIN / 1000, LM_MAX / 1000) * 1000, tags: new Set(tag ? ['notFound', `nearMiss:${tag}`] : ['notFound']), key });
      n--;
    };
    for (const [k, transform, ok, count, tag] of nearMisses) {
      if (k !== key) continue;
      const src = r.shuffle(byKey.get(key).filter((p) => ok(p.partNumber)));
      for (let i = 0, c = 0; c < count; i++) {
        const pn = transform(src[i].partNumber);
        if (have.has(pn) || made.has(pn)) continue;
        push(pn, tag);
        c++;
      }
    }
    while (n > 0) {
      const pn = PART_SHAPES[key](r);
      if (!have.has(pn) && !made.has(pn)) push(pn);
    }
    stats.notFound[v.vendor] = FEED_NOT_FOUND[key];
  }

  // 4. Unmapped vendors. Some DRAG SPECIALTIES numbers equal PU catalog numbers (PU distributes Drag):
  //    they must still be "Unrecognized Vendor", never matched by part number alone.
  const unmappedShapes = {
    'DRAG SPECIALTIES': [(rr) => `DS-${rr.int(2, 3)}${rr.digits(5)}`, ['Chrome Mirror Set', 'LED Headlight 7"', 'Engine Guard - Chrome', 'Sissy Bar Upright', 'Floorboard Kit', 'Derby Cover - Black']],
    'K&N ENGINEERING': [(rr) => `${rr.pick(['HA', 'YA', 'KA', 'PL', 'KN'])}-${rr.int(1, 9)}${rr.digits(rr.int(2, 3))}`, ['Air Filter', 'Oil Filter', 'Air Filter Cleaning Kit', 'Intake Kit']],
    SHOEI: [(rr) => `01${rr.int(10, 30)}-${rr.digits(4)}-0${rr.int(3, 8)}`, ['RF-1400 Helmet - Matte Black', 'X-Fifteen Helmet - White', 'Hornet X2 Helmet - Gray', 'CWR-1 Shield - Clear']],
  };
  const puPool = r.shuffle([...byKey.get('PU').filter((p) => !p.anchor)]);
  for (const [name, count] of Object.entries(FEED_UNMAPPED)) {
    const [shape, descs] = unmappedShapes[name];
    const made = new Set();
    for (let i = 0; i < count; ) {
      const pn = name === 'DRAG SPECIALTIES' && i < DRAG_SHARES_PU_NUMBERS ? puPool[i].partNumber : shape(r);
      if (made.has(pn)) continue;
      made.add(pn);
      let d = r.pick(descs);
      if (name === 'SHOEI') d += ` - ${r.pick(SIZES)}`;
      entries.push({ kind: 'unmapped', vendorName: name, itemNumber: pn, description: d, cents: retail(r, r.int(1995, name === 'SHOEI' ? 69995 : 29995)), qty: feedQty(r), lm: r.int(LM_MIN / 1000, LM_MAX / 1000) * 1000, tags: new Set(['unmapped', ...(name === 'DRAG SPECIALTIES' && i < DRAG_SHARES_PU_NUMBERS ? ['unmappedSharesPuNumber'] : [])]) });
      i++;
    }
    stats.unmapped[name] = count;
  }

  // 5. Near-miss vendor names on real catalog parts that are not otherwise in the feed.
  for (const { as, key, count } of FEED_WRONG_CASE) {
    const rem = remainders.get(key);
    for (let i = 0; i < count; i++) {
      const p = rem.shift();
      entries.push({ kind: 'wrongCase', vendorName: as, itemNumber: p.partNumber, description: p.description, cents: p.cents, qty: feedQty(r), lm: r.int(LM_MIN / 1000, LM_MAX / 1000) * 1000, tags: new Set(['wrongCaseVendor']) });
    }
    stats.wrongCase[JSON.stringify(as)] = count;
  }

  // 6. Empty identifiers.
  for (let i = 0; i < 2; i++) {
    const p = remainders.get('PU').shift();
    entries.push({ kind: 'emptyVendor', vendorName: '', itemNumber: p.partNumber, description: p.description, cents: p.cents, qty: feedQty(r), lm: r.int(LM_MIN / 1000, LM_MAX / 1000) * 1000, tags: new Set(['emptyVendorName']) });
  }
  for (const [vendor, d] of [['PARTS UNLIMITED', 'Misc Hardware'], ['HONDA', 'BOLT, FLANGE (6X16)']]) {
    entries.push({ kind: 'emptyItem', vendorName: vendor, itemNumber: '', description: d, cents: 195, qty: 1, lm: r.int(LM_MIN / 1000, LM_MAX / 1000) * 1000, tags: new Set(['emptyItemNumber']) });
  }

  // 7. Wire formats: prices and quantities as strings, on entries without a deliberate anomaly there.
  for (const e of entries) {
    if (e.fixed) {
      e.priceOut = { cents: e.cents };
      e.qtyOut = e.qty;
      continue;
    }
    if (e.priceAnomaly !== undefined) e.priceOut = e.priceAnomaly === 'missing' ? undefined : e.priceAnomaly;
    else {
      const x = r.next();
      if ((e.cents >= 100000 && r.chance(0.5)) || x < 0.015) {
        e.priceOut = fmtDollars(e.cents);
        e.tags.add('price:dollarString');
      } else if (x < 0.265) {
        e.priceOut = fmtCents(e.cents);
        e.tags.add('price:string');
      } else e.priceOut = { cents: e.cents };
    }
    const qtyTagged = e.tags.has('negativeQty') || e.tags.has('fractionalQty') || e.tags.has('malformedQty') || e.tags.has('dupOriginal');
    if (qtyTagged) e.qtyOut = e.qty;
    else {
      const x = r.next();
      if (x < 0.15) (e.qtyOut = String(e.qty)), e.tags.add('qty:string');
      else if (x < 0.2) (e.qtyOut = ` ${e.qty} `), e.tags.add('qty:paddedString');
      else e.qtyOut = e.qty;
    }
  }

  // 8. Order: shuffle, then put each duplicate somewhere after its original.
  r.shuffle(entries);
  entries.forEach((e, i) => (e.sort = i));
  const nBase = entries.length;
  for (const e of dups) {
    let q;
    do q = feedQty(r);
    while (q === e.qty);
    entries.push({
      ...e, tags: new Set(['duplicate', ...[...e.tags].filter((t) => t.startsWith('price:'))]), qty: q, qtyOut: q, original: e,
      lm: Math.min(LM_MAX, e.lm + r.int(3600, 2 * 86400) * 1000),
      sort: e.sort + 0.5 + r.next() * (nBase - e.sort - 0.5),
    });
  }
  entries.sort((a, b) => a.sort - b.sort);

  // 9. Shape each wire object.
  const items = entries.map((e) => {
    const tags = e.tags;
    let names = ['VendorName', 'ItemNumber', 'Description', 'ListPrice', 'Quantity', 'LastModified'];
    if (tags.has('aliasKeys')) names = ['Vendor', 'PartNumber', 'Description', 'MSRP', 'QtyOnHand', 'LastModified'];
    if (tags.has('lowerKeys')) names = names.map((s) => s.toLowerCase());
    if (tags.has('upperKeys')) names = names.map((s) => s.toUpperCase());
    const o = {};
    o[names[0]] = e.vendorName;
    o[names[1]] = e.numericItemNumber ? Number(e.itemNumber) : e.itemNumber;
    o[names[2]] = e.description;
    if (e.priceOut !== undefined) o[names[3]] = e.priceOut;
    if (e.qtyOut !== undefined) o[names[4]] = e.qtyOut;
    o[names[5]] = iso(e.lm);
    return { wire: o, entry: e };
  });

  // Stats.
  const tagCounts = {};
  for (const e of entries) for (const t of e.tags) tagCounts[t] = (tagCounts[t] ?? 0) + 1;
  stats.tags = Object.fromEntries(Object.entries(tagCounts).sort());
  stats.total = entries.length;
  stats.matchedItems = entries.filter((e) => e.kind === 'matched').length;
  stats.byVendorName = {};
  for (const e of entries) stats.byVendorName[JSON.stringify(e.vendorName)] = (stats.byVendorName[JSON.stringify(e.vendorName)] ?? 0) + 1;
  return { items, stats };
}

/** One item per line; money markers print as JSON numbers with two decimals. */
export function feedJson(items) {
  const line = (o) =>
    '{' +
    Object.entries(o)
      .map(([k, v]) => `${JSON.stringify(k)}:${v !== null && typeof v === 'object' && 'cents' in v ? fmtCents(v.cents) : JSON.stringify(v)}`)
      .join(',') +
    '}';
  return '[\n' + items.map((i) => line(i.wire)).join(',\n') + '\n]\n';
}

// ---------------------------------------------------------------------------------------------
// Orders

const FIRST = ['Dana', 'Marcus', 'Priya', 'Tyler', 'Rosa', 'Kevin', 'Alicia', 'Brandon', 'Mei', 'Travis', 'Heather', 'Luis', 'Jenna', 'Cody', 'Siobhan', 'Darnell', 'Kayla', 'José', 'Brooke', 'Wade', 'Tamsin', 'Garrett', 'Nora', 'Dustin', 'Ivy', 'Reggie', 'Colleen', 'Hank', 'Yuki', 'Shawna'];
const LAST = ['Whitaker', 'Delgado', 'Raman', 'Hollister', 'Quintana', 'Brandt', 'Okafor', 'Lindqvist', 'Chen', 'Mahoney', "O'Brien", 'Núñez', 'Pruitt', 'Kowalski', 'Treadwell', 'Abernathy', 'Sandoval', 'Fujimoto', 'Haskins', 'Marchetti', 'Yellowhorse', 'Dempsey', 'Varga', 'Larkin', 'Esposito', 'Tran', 'McAllister', 'Pendleton', 'Baca', 'Strickland'];
// city, state, zip, area code
const CITIES = [
  ['Riverside', 'CA', '92501', '951'], ['Sacramento', 'CA', '95814', '916'], ['Fresno', 'CA', '93721', '559'], ['San Diego', 'CA', '92101', '619'],
  ['Portland', 'OR', '97205', '503'], ['Bend', 'OR', '97701', '541'], ['Seattle', 'WA', '98101', '206'], ['Spokane', 'WA', '99201', '509'],
  ['Reno', 'NV', '89501', '775'], ['Las Vegas', 'NV', '89101', '702'], ['Phoenix', 'AZ', '85004', '602'], ['Tucson', 'AZ', '85701', '520'],
  ['Flagstaff', 'AZ', '86001', '928'], ['Boise', 'ID', '83702', '208'], ['Salt Lake City', 'UT', '84111', '801'], ['Denver', 'CO', '80202', '303'],
  ['Billings', 'MT', '59101', '406'], ['Eugene', 'OR', '97401', '541'],
];
const MOUNTAIN = new Set(['AZ', 'ID', 'UT', 'CO', 'MT']); // -07:00 in late November; Pacific states -08:00
const TAX_RATE = { CA: 0.0775, OR: 0, WA: 0.089, NV: 0.0825, AZ: 0.086, ID: 0.06, UT: 0.0725, CO: 0.0765, MT: 0 };
const STREETS = ['Oak St', 'Canyon Rd', 'Ridgecrest Dr', 'Mission Blvd', 'Juniper Ln', 'Main St', 'Pine Ave', 'Sagebrush Way', 'Cedar Ct', 'Foothill Blvd', 'Lakeview Dr', 'Ponderosa Pl'];
const HOUR = 3600000;
const DAY = 24 * HOUR;

const ascii = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();

function formatLocal(ms, offsetMinutes) {
  const local = new Date(ms + offsetMinutes * 60000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Webstore orders with placedAt relative to `now`.
 *
 * Defaults reproduce fixtures/orders.json when now = PINNED_NOW and count = 30: ages between
 * minAgeHours and maxAgeHours, with round(count * staleShare) of them older than staleAfterDays
 * (never within 3 hours of that boundary). Orders come sorted by placedAt, numbered from
 * firstOrderNumber. Among the fresh orders there is always (when count allows) the
 * 0.10 + 0.20 + 19.99 + tax 1.63 order, and one Mountain-time order placed at 00:30-07:00,
 * which is 23:30 of the previous day in Pacific time.
 */
export function makeOrders(now, count, opts = {}) {
  const {
    seed = SEED, firstOrderNumber = 100101, prefix = 'W', minAgeHours = 12, maxAgeHours = 13 * 24 + 8,
    staleAfterDays = 7, staleShare = 8 / 30,
  } = opts;
  const nowMs = now instanceof Date ? now.getTime() : Date.parse(now);
  const r = rng('orders', seed);
  const catalog = makeCatalog().filter((p) => p.cents >= 100 && p.cents <= 60000 && !p.description.startsWith('='));
  const byPart = new Map(makeCatalog().map((p) => [`${p.key}|${p.partNumber}`, p]));
  const staleCount = Math.round(count * staleShare);
  const freshCount = count - staleCount;
  const boundary = staleAfterDays * DAY;
  const ages = [];
  for (let i = 0; i < staleCount; i++) ages.push(r.int(boundary + 3 * HOUR, Math.max(boundary + 3 * HOUR, maxAgeHours * HOUR)));
  const freshMax = Math.max(minAgeHours * HOUR, Math.min(boundary - 3 * HOUR, maxAgeHours * HOUR));
  for (let i = 0; i < freshCount; i++) ages.push(r.int(minAgeHours * HOUR, freshMax));
  ages.sort((a, b) => b - a); // oldest first
  const specialIdx = freshCount > 0 ? staleCount + Math.min(4, freshCount - 1) : -1;
  const crossIdx = freshCount > 1 ? staleCount + Math.floor((freshCount * 2) / 3) : -1;
  const cities = r.shuffle([...CITIES]);
  const mountainCities = CITIES.filter((c) => MOUNTAIN.has(c[1]));

  const firsts = r.shuffle([...FIRST]);
  const lasts = r.shuffle([...LAST]);
  const person = (i, city) => {
    const first = firsts[i % firsts.length];
    const last = lasts[(i + Math.floor(i / lasts.length)) % lasts.length];
    const [cityName, state, zip, area] = city;
    return {
      name: `${first} ${last}`,
      email: r.chance(0.7) ? `${ascii(first)}.${ascii(last)}@example.com` : `${ascii(first)[0]}${ascii(last)}${r.int(1, 99)}@example.com`,
      phone: `${area}-555-01${String(r.int(0, 99)).padStart(2, '0')}`,
      address1: `${r.int(100, 9899)} ${r.pick(STREETS)}`,
      address2: r.chance(0.7) ? '' : r.pick(['Apt 4B', 'Unit 12', 'Suite 200', 'Apt 307', 'Spc 18']),
      city: cityName,
      state,
      zip,
      country: 'US',
    };
  };

  const orders = [];
  for (let i = 0; i < count; i++) {
    let placed = nowMs - ages[i];
    let city = cities[i % cities.length];
    if (i === crossIdx) {
      city = mountainCities[r.int(0, mountainCities.length - 1)];
      // 07:30Z = 00:30 at -07:00 = 23:30 the previous day at -08:00 (in winter). Only snap when
      // that instant stays inside the fresh age range.
      const day = Math.floor(placed / DAY) * DAY;
      const snapped = [day, day - DAY, day + DAY].map((d) => d + 7.5 * HOUR).find((t) => nowMs - t >= minAgeHours * HOUR && nowMs - t <= freshMax);
      if (snapped !== undefined) placed = snapped;
    }
    const shipTo = person(i, city);
    // Every 4th order (i % 4 === 1) bills someone else, e.g. a gift; the rest bill the recipient.
    const billTo = i % 4 === 1 ? person(i + 13, r.chance(0.5) ? city : r.pick(CITIES)) : { ...shipTo };
    let items;
    let taxCents;
    let shipCents;
    if (i === specialIdx) {
      items = [['RIVERSIDE MOTO|RM-STICKER-SM', 10], ['HONDA|94109-12000', 20], ['RIVERSIDE MOTO|RM-1001', 1999]].map(([k, cents]) => {
        const p = byPart.get(k);
        return { p, cents, quantity: 1 };
      });
      taxCents = 163;
      shipCents = 0;
    } else {
      const n = r.pick([1, 1, 1, 2, 2, 2, 3, 4]);
      const chosen = new Set();
      items = [];
      while (items.length < n) {
        const p = catalog[r.int(0, catalog.length - 1)];
        if (chosen.has(p)) continue;
        chosen.add(p);
        const quantity = r.pick([1, 1, 1, 1, 1, 1, 2, 2, 3, 4]);
        items.push({ p, cents: p.cents, quantity });
      }
      const sub = items.reduce((s, l) => s + l.cents * l.quantity, 0);
      taxCents = Math.round(sub * TAX_RATE[shipTo.state]);
      shipCents = sub >= 9900 ? 0 : r.pick([795, 995, 1250, 1495]);
    }
    const totalCents = items.reduce((s, l) => s + l.cents * l.quantity, 0) + taxCents + shipCents;
    orders.push({
      placedMs: placed,
      order: {
        orderNumber: '',
        placedAt: formatLocal(placed, MOUNTAIN.has(shipTo.state) ? -420 : -480),
        shipTo,
        billTo,
        tax: taxCents / 100,
        shipping: shipCents / 100,
        total: totalCents / 100,
        items: items.map((l) => ({ productId: l.p.partNumber, manufacturer: l.p.manufacturer, description: l.p.description, price: l.cents / 100, quantity: l.quantity })),
      },
    });
  }
  orders.sort((a, b) => a.placedMs - b.placedMs);
  return orders.map((o, i) => ({ ...o.order, orderNumber: `${prefix}${firstOrderNumber + i}` }));
}

/** Pretty JSON where money fields print with exactly two decimals (12.50, 0.00). */
function ordersJson(orders) {
  const MONEY = new Set(['tax', 'shipping', 'total', 'price']);
  const text = JSON.stringify(orders, (k, v) => (MONEY.has(k) && typeof v === 'number' ? `__money__${fmtCents(Math.round(v * 100))}` : v), 2);
  return text.replace(/"__money__(-?\d+\.\d\d)"/g, '$1') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Config

export function configYaml() {
  const rows = VENDORS.map((v) =>
    [
      `  - vendor: ${v.vendor}`,
      `    catalog: ${v.catalog}`,
      v.distributor ? `    distributor: ${v.distributor}` : `    manufacturer: ${v.manufacturer}`,
      `    usePricing: ${v.usePricing}`,
    ].join('\n'),
  );
  return `# Sample lizzy-sync config used by the demo (scripts/demo.mjs) and the fixtures.
# Generated by scripts/gen-fixtures.mjs; edit the generator, not this file.
# Relative paths resolve against this file's folder.

# Where Lizzy is and who we are. The demo points at the local mock server; the key comes
# from the environment so no secret is written to disk.
lizzy:
  baseUrl: http://127.0.0.1:4010
  apiKey: \${LIZZY_API_KEY}
  webstoreId: 12345

# The local store (catalog snapshot, run log, order state).
database:
  sqlite: ../.demo/lizzy-sync.db

# Where each run's CSV reports are written.
reports:
  dir: ../.demo/reports

# Inventory pull: zero every shelf quantity before applying the feed, run every day,
# and ask Lizzy for everything changed in the past month.
inventory:
  clearPreviousQuantities: true
  disabledDays: []
  lookbackDays: 31

# Lizzy vendor name (exact, case-sensitive) -> catalog product key.
# Aftermarket rows name a distributor; OEM and private rows name a manufacturer.
# usePricing: true also takes Lizzy's list price, false updates quantity only.
vendors:
${rows.join('\n')}
`;
}

// ---------------------------------------------------------------------------------------------
// Main

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = path.join(root, 'fixtures');
  mkdirSync(dir, { recursive: true });

  const catalog = makeCatalog();
  const { items, stats } = makeFeed(catalog);
  const orders = makeOrders(new Date(PINNED_NOW), 30);

  writeFileSync(path.join(dir, 'catalog.csv'), catalogCsv(catalog));
  writeFileSync(path.join(dir, 'lizzy-feed.json'), feedJson(items));
  writeFileSync(path.join(dir, 'orders.json'), ordersJson(orders));
  writeFileSync(path.join(dir, 'lizzy-sync.yaml'), configYaml());

  const perKey = Object.entries(CATALOG_COUNTS).map(([k, n]) => `${k} ${n}`).join(', ');
  const t = stats.tags;
  const stale = orders.filter((o) => Date.parse(o.placedAt) < Date.parse(PINNED_NOW) - 7 * DAY).length;
  console.log(
    `seed ${SEED} | catalog ${catalog.length} (${perKey}) | feed ${stats.total}: matched ${stats.matchedItems} ` +
      `(${((stats.matchedItems / stats.total) * 100).toFixed(1)}%, incl ${t.duplicate} duplicates), notFound ${t.notFound}, ` +
      `unmapped ${t.unmapped} (${Object.entries(stats.unmapped).map(([k, v]) => `${k} ${v}`).join(', ')}), ` +
      `wrongCaseVendor ${t.wrongCaseVendor}, emptyVendorName ${t.emptyVendorName}, emptyItemNumber ${t.emptyItemNumber}, ` +
      `negQty ${t.negativeQty}, fracQty ${t.fractionalQty}, malformedQty ${t.malformedQty}, aliasKeys ${t.aliasKeys}, ` +
      `lowerKeys ${t.lowerKeys}, upperKeys ${t.upperKeys}, numericItemNumber 2, price str ${t['price:string']} / $ ${t['price:dollarString']} / ` +
      `0 ${t['price:0']} / "" ${t['price:""']} / missing ${t['price:missing']}, qty str ${t['qty:string']} / padded ${t['qty:paddedString']} | ` +
      `orders ${orders.length} (stale ${stale})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
