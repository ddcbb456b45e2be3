import { WEEKDAYS, type Weekday } from '../schedule/zone.js';

export const NOTIFY_ON = ['failed', 'needs_attention'] as const;
export type NotifyOn = (typeof NOTIFY_ON)[number];

export type CatalogKind = 'aftermarket' | 'oem' | 'private';
export const CATALOGS: readonly CatalogKind[] = ['aftermarket', 'oem', 'private'];

export interface VendorMapping {
  /** Exact, case-sensitive Lizzy vendor name. */
  vendor: string;
  catalog: CatalogKind;
  /** Aftermarket: distributor abbreviation. */
  distributor?: string;
  /** OEM and private: manufacturer. */
  manufacturer?: string;
  usePricing: boolean;
  /** Opt-in loose part-number comparison for this row; undefined: exact (the default). */
  partNumbers?: PartNumberRules;
  /** Where the row stands in the config, for messages. */
  index: number;
  line: number;
}

/**
 * How a mapping row compares part numbers when exact text is not enough (the catalog writes
 * them differently from Lizzy). Both sides are normalised the same way; see src/mappings/normalise.ts.
 */
export interface PartNumberRules {
  /** Compare without regard to letter case (17210-kyj-901 = 17210-KYJ-901). */
  ignoreCase: boolean;
  /** Ignore dashes, spaces, dots, slashes and underscores (5TA1445100 = 5TA-14451-00-00). */
  ignoreSeparators: boolean;
  /** Remove this prefix where a part number starts with it (PU-0101-1234 = 0101-1234). */
  stripPrefix?: string;
}

export type Source = 'file' | 'env' | 'default';

export interface Config {
  /** Absolute path of the config file. */
  file: string;
  /** Folder that relative paths resolve against. */
  dir: string;
  lizzy: {
    baseUrl: string;
    /** Undefined when neither the file nor LIZZY_API_KEY gives one; commands that call Lizzy fail then. */
    apiKey?: string;
    webstoreId?: string;
    timeoutSeconds: number;
    retries: number;
    maxRetryAfterSeconds: number;
  };
  database: {
    sqlite: string;
    /** A PostgreSQL connection URL; when set, it is the store instead of SQLite. */
    postgres?: string;
    /** The PostgreSQL schema that holds lizzy-sync's tables. */
    schema: string;
  };
  reports: { dir: string };
  inventory: {
    clearPreviousQuantities: boolean;
    disabledDays: Weekday[];
    lookbackDays: number;
  };
  orders: {
    lookbackDays: number;
    batchSize: number;
    maxAttempts: number;
  };
  schedule: {
    timezone: string;
    inventory: string;
    orders: string;
  };
  runTimeoutMinutes: number;
  logging: { file?: string };
  /** `on`: which outcomes notify (a dealer whose feed always has a few faulty items may keep only "failed"). */
  notify: { command?: string; webhookUrl?: string; on: NotifyOn[] };
  vendors: VendorMapping[];
  /** Where each setting came from, by key path. */
  sources: Record<string, Source>;
  /** Settings whose ${VAR} named an unset variable, by key path (only keys needed later, such as lizzy.apiKey). */
  unsetVars?: Record<string, string>;
}

/** A declarative description of the YAML shape; the loader walks it with the YAML nodes. */
export type Spec =
  | { kind: 'object'; fields: Record<string, Field>; doc?: string }
  | { kind: 'string'; identifier?: boolean; oneOf?: readonly string[]; nonEmpty?: boolean; secret?: boolean; doc?: string }
  | { kind: 'digits'; doc?: string }
  | { kind: 'integer'; min?: number; max?: number; doc?: string }
  | { kind: 'boolean'; doc?: string }
  | { kind: 'array'; of: Spec; doc?: string };

export interface Field {
  spec: Spec;
  required?: boolean;
  default?: unknown;
}

const str = (doc?: string): Spec => ({ kind: 'string', doc });

export const vendorRowSpec: Spec = {
  kind: 'object',
  fields: {
    vendor: { spec: { kind: 'string', identifier: true, nonEmpty: true }, required: true },
    catalog: { spec: { kind: 'string', oneOf: CATALOGS }, required: true },
    distributor: { spec: { kind: 'string', identifier: true, nonEmpty: true } },
    manufacturer: { spec: { kind: 'string', identifier: true, nonEmpty: true } },
    usePricing: { spec: { kind: 'boolean' }, default: false },
    partNumbers: {
      spec: {
        kind: 'object',
        fields: {
          ignoreCase: { spec: { kind: 'boolean' }, default: false },
          ignoreSeparators: { spec: { kind: 'boolean' }, default: false },
          stripPrefix: { spec: { kind: 'string', identifier: true, nonEmpty: true } },
        },
      },
    },
  },
};

export const configSpec: Spec = {
  kind: 'object',
  fields: {
    lizzy: {
      spec: {
        kind: 'object',
        fields: {
          baseUrl: { spec: str(), default: 'https://api.nizex.com' },
          apiKey: { spec: { kind: 'string', nonEmpty: true, secret: true } },
          webstoreId: { spec: { kind: 'digits' } },
          timeoutSeconds: { spec: { kind: 'integer', min: 1, max: 3600 }, default: 120 },
          retries: { spec: { kind: 'integer', min: 0, max: 10 }, default: 3 },
          maxRetryAfterSeconds: { spec: { kind: 'integer', min: 0, max: 3600 }, default: 120 },
        },
      },
      // Optional: catalog import and export, status and mappings validate --feed need no Lizzy
      // details; the commands that call Lizzy ask for the key and the Webstore ID themselves.
      default: {},
    },
    database: {
      spec: {
        kind: 'object',
        fields: {
          sqlite: { spec: { kind: 'string', nonEmpty: true }, default: './data/lizzy-sync.db' },
          postgres: { spec: str() },
          schema: { spec: { kind: 'string', identifier: true, nonEmpty: true }, default: 'lizzy' },
        },
      },
      default: {},
    },
    reports: {
      spec: { kind: 'object', fields: { dir: { spec: { kind: 'string', nonEmpty: true }, default: './reports' } } },
      default: {},
    },
    inventory: {
      spec: {
        kind: 'object',
        fields: {
          clearPreviousQuantities: { spec: { kind: 'boolean' }, default: false },
          disabledDays: { spec: { kind: 'array', of: { kind: 'string', oneOf: WEEKDAYS } }, default: [] },
          lookbackDays: { spec: { kind: 'integer', min: 1, max: 366 }, default: 31 },
        },
      },
      default: {},
    },
    orders: {
      spec: {
        kind: 'object',
        fields: {
          lookbackDays: { spec: { kind: 'integer', min: 1, max: 90 }, default: 7 },
          batchSize: { spec: { kind: 'integer', min: 1, max: 100 }, default: 5 },
          maxAttempts: { spec: { kind: 'integer', min: 1, max: 100 }, default: 5 },
        },
      },
      default: {},
    },
    schedule: {
      spec: {
        kind: 'object',
        fields: {
          timezone: { spec: str(), default: 'America/Los_Angeles' },
          inventory: { spec: str(), default: '0 4,5 * * *' },
          orders: { spec: str(), default: '0 * * * *' },
        },
      },
      default: {},
    },
    runTimeoutMinutes: { spec: { kind: 'integer', min: 1, max: 1440 }, default: 30 },
    logging: { spec: { kind: 'object', fields: { file: { spec: { kind: 'string', nonEmpty: true } } } }, default: {} },
    notify: {
      spec: {
        kind: 'object',
        fields: {
          command: { spec: str() },
          webhookUrl: { spec: str() },
          on: { spec: { kind: 'array', of: { kind: 'string', oneOf: NOTIFY_ON } }, default: [...NOTIFY_ON] },
        },
      },
      default: {},
    },
    vendors: { spec: { kind: 'array', of: vendorRowSpec }, default: [] },
  },
};
