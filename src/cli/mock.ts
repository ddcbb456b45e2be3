import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { out, err } from './output.js';

export interface MockFlags {
  port: string;
  data?: string;
  apiKey?: string;
  webstoreId?: string;
  delayMs?: string;
  noContent?: boolean;
}

/** Run the mock Lizzy until SIGINT/SIGTERM. The first stdout line says where it listens. */
export async function mockLizzyCommand(flags: MockFlags): Promise<number> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${flags.port} is not a port number (0 picks a free one).`);
  const apiKey = flags.apiKey ?? process.env.LIZZY_API_KEY;
  if (!apiKey) throw new UsageError('The mock needs the API key it should accept: --api-key KEY or LIZZY_API_KEY.');
  const delayMs = flags.delayMs === undefined ? 0 : Number(flags.delayMs);
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new UsageError(`--delay-ms ${flags.delayMs} is not a number of milliseconds.`);
  const { startMockLizzy } = await import('../lizzy/mock/server.js');
  if (flags.data && !existsSync(flags.data)) throw new UsageError(`--data ${flags.data}: no such folder (it should hold lizzy-feed.json).`);
  const mock = await startMockLizzy({
    port,
    dataDir: flags.data ? path.resolve(flags.data) : undefined,
    apiKey,
    webstoreId: flags.webstoreId,
    delayMs,
    submitNoContent: flags.noContent,
    log: (l) => err(l),
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new UsageError(`Port ${port} is already in use (another mock Lizzy?). Pick another with --port, or --port 0 for a free one.`);
    if (e.code === 'EACCES') throw new UsageError(`Port ${port} needs more privileges; use a port above 1024, or --port 0.`);
    throw e;
  });
  // Listen for the stop signals before saying we are up: a script that stops the mock as
  // soon as it reads a line must not find it still without its handlers (killed by the signal).
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out(`Mock Lizzy listening on ${mock.url}`);
  // After the listening line, which scripts wait for.
  const feed = flags.data ? path.join(path.resolve(flags.data), 'lizzy-feed.json') : undefined;
  if (!feed) err('warning: no --data folder: the inventory feed is empty (204) and /inventoryitem finds nothing.');
  else if (!existsSync(feed)) err(`warning: ${feed} does not exist: the inventory feed is empty (204) until it does.`);
  await stopped;
  await mock.close();
  return 0;
}
