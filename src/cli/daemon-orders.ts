import { requireApiKey } from '../config/load.js';
import { clientFor } from '../inventory/pull.js';
import { runOrderPush } from '../orders/push.js';
import type { OrdersJob } from '../schedule/runner.js';

/**
 * The daemon's order push. The client gets the deadline only: a shutdown never cuts a POST
 * in flight; the push checks both signals between batches and starts no new one.
 */
export const ordersJob: OrdersJob = async (tenant, { clock, log, deadline, stop }) => {
  const apiKey = requireApiKey(tenant.config);
  const { summary, error } = await runOrderPush(tenant.config, tenant.store, clientFor(tenant.config, apiKey, deadline), {
    clock,
    log,
    signal: AbortSignal.any([deadline, stop]),
  });
  const c = summary.counts as Record<string, number>;
  const counts = Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k.replace(/_/g, ' ')} ${n}`)
    .join(', ');
  return {
    status: error ? 'failed' : summary.status,
    ...(error ? { errorName: error.name } : {}),
    message: `${error ? `${error.message.replace(/\.$/, '')}; ` : ''}${counts || 'nothing to send'}${summary.reportPath ? `; report ${summary.reportPath}` : ''}`,
    summary,
  };
};
