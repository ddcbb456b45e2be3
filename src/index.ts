/** The programmatic API: what the CLI, the daemon and tests call. */
export { loadConfig, parseConfig } from './config/load.js';
export type { Config, VendorMapping } from './config/schema.js';
export { EXIT, exitCodeFor, LizzySyncError, ConfigError, UsageError, LizzyError, GuardTripped, LockHeld } from './errors.js';
export { LizzyClient } from './lizzy/client.js';
export { startMockLizzy } from './lizzy/mock/server.js';
export { planInventory } from './inventory/plan.js';
export { readFeedItem } from './inventory/item.js';
export { runInventoryPull } from './inventory/pull.js';
export { openStore } from './store/open.js';
export { run } from './cli/main.js';
