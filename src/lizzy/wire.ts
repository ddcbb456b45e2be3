/**
 * Every assumed Lizzy wire name and shape lives here (see shared/lizzy-api-contract.md).
 * The client and the mock both speak through this module, so a correction to the
 * contract is a change to this file alone.
 */

export const PATHS = {
  inventoryFeed: '/inventoryfeed',
  inventoryItem: '/inventoryitem',
  submitOrder: '/submitorder',
  orderStatus: '/orderstatus',
} as const;

/** Statuses that mean "accepted" for submitorder. */
export const ACCEPTED_STATUSES = new Set([200, 201, 204]);

// ---- requests ----------------------------------------------------------------------------

export function authorizationHeader(apiKey: string): string {
  return `Basic ${Buffer.from(apiKey, 'utf8').toString('base64')}`;
}

/** The value of the single `payload` parameter. */
export function encodePayload(payload: unknown): string {
  return JSON.stringify(payload);
}

export function inventoryFeedPayload(modifiedSince: string) {
  return { modifiedsince: modifiedSince };
}

export function inventoryItemPayload(vendorName: string, partNumber: string) {
  return { vendorname: vendorName, partnumber: partNumber };
}

export function orderStatusPayload(webstoreId: string, orderNumbers: string[]) {
  return { webstoreid: webstoreId, ordernumbers: orderNumbers };
}

export function submitOrderPayload(webstoreId: string, orders: WireOrder[]) {
  return { webstoreid: webstoreId, orders };
}

// ---- inventory items ---------------------------------------------------------------------

/** Canonical field → the keys Lizzy may use for it (matched case-insensitively). */
export const ITEM_FIELD_ALIASES = {
  vendorName: ['vendorname', 'vendor'],
  itemNumber: ['itemnumber', 'partnumber'],
  description: ['description'],
  listPrice: ['listprice', 'list', 'msrp'],
  quantity: ['quantity', 'qtyavail', 'qtyonhand', 'stock'],
  lastModified: ['lastmodified'],
} as const;

export type ItemField = keyof typeof ITEM_FIELD_ALIASES;

const KEY_TO_FIELD = new Map<string, ItemField>();
for (const [field, keys] of Object.entries(ITEM_FIELD_ALIASES) as [ItemField, readonly string[]][]) {
  for (const k of keys) KEY_TO_FIELD.set(k, field);
}

/** A feed item with its fields found, values still as Lizzy sent them. */
export type RawItem = Partial<Record<ItemField, unknown>>;

/** Pick the known fields out of one parsed feed object, whatever the key case or alias. */
export function pickItemFields(obj: Record<string, unknown>): RawItem {
  const out: RawItem = {};
  for (const key in obj) {
    const field = KEY_TO_FIELD.get(key.toLowerCase());
    // The canonical key wins over an alias when both are present.
    if (field && (out[field] === undefined || ITEM_FIELD_ALIASES[field][0] === key.toLowerCase())) {
      out[field] = obj[key];
    }
  }
  return out;
}

/** The canonical PascalCase item, as the mock serves it. */
export interface WireItem {
  VendorName: string;
  ItemNumber: string;
  Description?: string;
  ListPrice?: number | string;
  Quantity?: number | string;
  LastModified?: string;
}

// ---- orders ------------------------------------------------------------------------------

export interface WireAddress {
  Name: string;
  Email: string;
  Phone: string;
  Address1: string;
  Address2: string;
  City: string;
  State: string;
  Zip: string;
  Country: string;
}

export interface WireOrderItem {
  ProductId: string;
  Manufacturer: string;
  Description: string;
  Price: string;
  Quantity: number;
}

export interface WireOrder {
  OrderNumber: string;
  OrderDate: string;
  OrderTime: string;
  ShipTo: WireAddress;
  BillTo: WireAddress;
  Tax: string;
  Shipping: string;
  Total: string;
  Items: WireOrderItem[];
}

/** A row of submitorder's optional response body. */
export interface WireSubmitResult {
  OrderNumber: string;
  InvoiceNumber?: string;
}

/** A row of orderstatus's response. */
export interface WireOrderStatus {
  OrderNumber: string;
  Status?: string;
  InvoiceNumber?: string;
}

/** Read a key of a response object case-insensitively. */
export function field(obj: unknown, name: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return (obj as Record<string, unknown>)[k];
  return undefined;
}
