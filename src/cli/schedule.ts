import { EXIT, UsageError } from '../errors.js';
import { nextSlots } from '../schedule/cron.js';
import { scheduleFor } from '../schedule/gate.js';
import { formatInZone, zonedDate, zonedWeekday } from '../schedule/zone.js';
import { JOBS } from '../schedule/daemon.js';
import { cliClock, loadCliConfig } from './context.js';
import { out, printJson, type GlobalOptions } from './output.js';

/** `lizzy-sync schedule`: the next runs of each job, in the schedule's zone and local time. */
export async function scheduleCommand(flags: GlobalOptions & { count?: string }): Promise<number> {
  const config = loadCliConfig(flags);
  const now = cliClock()();
  const n = Number(flags.count ?? 5);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`-n ${flags.count}: give a whole number of runs from 1 to 100.`);
  const tz = config.schedule.timezone;
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const jobs = JOBS.map((job) => {
    const s = scheduleFor(config, job);
    // Inventory: disabled days do not run; a day's later slots only retry a failed pull.
    const slots: Date[] = [];
    const days = new Set<string>();
    for (let after = now; slots.length < n; ) {
      const [t] = nextSlots(s, after, tz, 1);
      if (!t) break;
      after = t;
      if (job === 'inventory' && config.inventory.disabledDays.includes(zonedWeekday(t, tz))) continue;
      slots.push(t);
    }
    return {
      job,
      cron: s.expr,
      timezone: tz,
      disabledDays: job === 'inventory' ? config.inventory.disabledDays : [],
      next: slots.map((t) => {
        const day = zonedDate(t, tz);
        const retry = job === 'inventory' && days.has(day);
        days.add(day);
        return { at: t.toISOString(), zoned: formatInZone(t, tz), local: formatInZone(t, local), retryOnly: retry };
      }),
    };
  });
  if (flags.json) {
    printJson({ ok: true, exitCode: EXIT.OK, now: now.toISOString(), localTimeZone: local, jobs });
    return EXIT.OK;
  }
  for (const j of jobs) {
    out(`${j.job}: "${j.cron}" in ${j.timezone}${j.disabledDays.length ? ` (not on ${j.disabledDays.join(', ')})` : ''}`);
    for (const x of j.next) out(`  ${x.zoned.padEnd(22)}${local === tz ? '' : ` = ${x.local} (this machine)`}${x.retryOnly ? '  (only if the earlier slot failed)' : ''}`);
  }
  return EXIT.OK;
}
