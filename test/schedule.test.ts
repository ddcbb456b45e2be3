import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { dstAmbiguousTimes, nextSlots, parseCron, slotsBetween } from '../src/schedule/cron.js';
import { Daemon, type RunOutcome, type Tenant } from '../src/schedule/daemon.js';
import { makeEventLog } from '../src/schedule/events.js';
import { gate, missed } from '../src/schedule/gate.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Job } from '../src/store/types.js';
import { tempDir } from './helpers.js';

const TZ = 'America/Los_Angeles';

function config(extra = ''): Config {
  return parseConfig(`lizzy:\n  apiKey: k\n  webstoreId: 1\n${extra}`, '/tmp/lizzy-sync.yaml', {});
}

describe('cron slots in Pacific time', () => {
  it('puts 04:00 and 05:00 Pacific at the right UTC instants on both sides of DST', () => {
    const s = parseCron('0 4,5 * * *');
    expect(slotsBetween(s, new Date('2026-10-31T00:00:00Z'), new Date('2026-11-03T00:00:00Z'), TZ).map((d) => d.toISOString())).toEqual([
      '2026-10-31T11:00:00.000Z', // 04:00 PDT
      '2026-10-31T12:00:00.000Z',
      '2026-11-01T12:00:00.000Z', // 04:00 PST, the day the clocks fall back
      '2026-11-01T13:00:00.000Z',
      '2026-11-02T12:00:00.000Z',
      '2026-11-02T13:00:00.000Z',
    ]);
  });

  it('runs an hourly schedule once per wall-clock hour across both DST changes', () => {
    const s = parseCron('0 * * * *');
    // 2026-11-01: 01:00 happens twice; it runs at the first.
    expect(slotsBetween(s, new Date('2026-11-01T07:00:00Z'), new Date('2026-11-01T11:00:00Z'), TZ).map((d) => d.toISOString())).toEqual([
      '2026-11-01T07:00:00.000Z', // 00:00 PDT
      '2026-11-01T08:00:00.000Z', // 01:00 PDT
      '2026-11-01T10:00:00.000Z', // 02:00 PST (01:00 PST is the repeat)
    ]);
    // 2026-03-08: 02:00 does not exist; 03:00 PDT follows 01:00 PST.
    expect(slotsBetween(s, new Date('2026-03-08T08:00:00Z'), new Date('2026-03-08T11:00:00Z'), TZ).map((d) => d.toISOString())).toEqual([
      '2026-03-08T08:00:00.000Z',
      '2026-03-08T09:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
    ]);
  });

  it('shifts a time in the spring gap by the gap and warns about times DST skips or repeats', () => {
    const s = parseCron('30 2 * * *');
    expect(nextSlots(s, new Date('2026-03-07T12:00:00Z'), TZ, 2).map((d) => d.toISOString())).toEqual(['2026-03-08T10:30:00.000Z', '2026-03-09T09:30:00.000Z']);
    expect(dstAmbiguousTimes(s, TZ, 2026)).toEqual(['02:30']);
    expect(dstAmbiguousTimes(parseCron('15 1 * * *'), TZ, 2026)).toEqual(['01:15']);
    expect(dstAmbiguousTimes(parseCron('0 4,5 * * *'), TZ, 2026)).toEqual([]);
  });

  it('rejects a malformed expression', () => {
    expect(() => parseCron('0 25 * * *')).toThrow(/not a valid cron expression/);
    expect(() => parseCron('every hour')).toThrow(/5-field/);
  });
});

describe('the --scheduled gate', () => {
  const c = config();
  const at = (iso: string, cfg = c, last: string | null = null) =>
    gate(cfg, 'inventory', new Date(iso), last ? { id: 1, job: 'inventory', startedAt: last, finishedAt: last, status: 'success', counts: {}, reportPath: null, error: null } : null);

  it('opens at 04:00 Pacific and closes at 06:00, whatever the machine zone', () => {
    expect(at('2026-12-03T11:59:59Z').due).toBe(false); // 03:59:59 PST
    expect(at('2026-12-03T12:00:00Z').due).toBe(true); // 04:00 PST
    expect(at('2026-12-03T13:59:59Z').due).toBe(true); // 05:59:59 PST (the 05:00 retry slot)
    expect(at('2026-12-03T14:00:00Z')).toMatchObject({ due: false });
    expect(at('2026-12-03T14:00:00Z').reason).toContain('not scheduled now');
    expect(at('2026-12-03T14:00:00Z').reason).toContain('next run 2026-12-04 04:00 PST');
    expect(at('2026-07-03T11:00:00Z').due).toBe(true); // 04:00 PDT
  });

  it('lets the 05:00 slot retry only when 04:00 did not succeed (once a day)', () => {
    expect(at('2026-12-03T13:00:00Z', c, '2026-12-03T12:00:05Z')).toMatchObject({ due: false });
    expect(at('2026-12-03T13:00:00Z', c, '2026-12-03T12:00:05Z').reason).toContain('already succeeded today');
    expect(at('2026-12-03T13:00:00Z', c, '2026-12-02T12:00:05Z').due).toBe(true);
  });

  // Bug: a success recorded in the future (the clock was later set back) counted as "today's",
  // so every scheduled pull was skipped until that date.
  it('a success recorded after now (a clock set back) does not stop today\'s pull or its catch-up', () => {
    expect(at('2026-12-03T12:00:00Z', c, '2026-12-20T12:00:05Z').due).toBe(true);
    expect(missed(c, 'inventory', new Date('2026-12-03T18:00:00Z'), null, { id: 1, job: 'inventory', startedAt: '2026-12-20T12:00:05Z', finishedAt: null, status: 'success', counts: {}, reportPath: null, error: null } as never)).toContain(
      'no successful inventory pull',
    );
    const future = { id: 2, job: 'orders', startedAt: '2026-12-20T12:00:05Z', finishedAt: null, status: 'success', counts: {}, reportPath: null, error: null } as never;
    expect(missed(c, 'orders', new Date('2026-12-03T18:00:00Z'), future, future)).toContain('no order push since');
  });

  // Bug: a success another machine (sharing PostgreSQL) recorded a few seconds "ahead" of this
  // clock was taken for the future, so the 05:00 retry ran a pull that had already succeeded.
  it('a success a few seconds ahead of this clock (another machine) counts as today\'s; one past the margin does not', () => {
    expect(at('2026-12-03T12:00:01Z', c, '2026-12-03T12:00:04Z').reason).toContain('already succeeded today');
    expect(at('2026-12-03T12:00:01Z', c, '2026-12-03T12:04:59Z').due).toBe(false);
    expect(at('2026-12-03T12:00:01Z', c, '2026-12-03T12:05:02Z').due).toBe(true);
  });

  it('reads disabled days in Pacific time, not UTC', () => {
    const sat = config('inventory:\n  disabledDays: [saturday]\n');
    const sun = config('inventory:\n  disabledDays: [sunday]\n');
    // Sunday 04:00 PST is Sunday 12:00 UTC.
    expect(at('2026-12-06T12:00:00Z', sun).reason).toContain('sunday is a disabled day');
    expect(at('2026-12-06T12:00:00Z', sat).due).toBe(true);
    // A Saturday-evening schedule: Saturday 20:00 PST is Sunday 04:00 UTC.
    const eveSat = config('inventory:\n  disabledDays: [saturday]\nschedule:\n  inventory: "0 20 * * *"\n');
    const eveSun = config('inventory:\n  disabledDays: [sunday]\nschedule:\n  inventory: "0 20 * * *"\n');
    expect(at('2026-12-06T04:00:00Z', eveSat).reason).toContain('saturday is a disabled day');
    expect(at('2026-12-06T04:00:00Z', eveSun).due).toBe(true);
  });

  it('names the next run that will really happen (not a disabled day, not a retry slot after a success)', () => {
    const weekdays = config('inventory:\n  disabledDays: [saturday, sunday]\n');
    // Saturday 04:00 PST: disabled; next is Monday 04:00.
    expect(at('2026-12-05T12:00:30Z', weekdays).reason).toContain('next run 2026-12-07 04:00 PST');
    // Friday 05:00 after Friday's success: next is Monday 04:00, not Saturday.
    expect(at('2026-12-04T13:00:30Z', weekdays, '2026-12-04T12:00:05Z').reason).toContain('next run 2026-12-07 04:00 PST');
  });

  it('lets order push run every hour', () => {
    expect(gate(c, 'orders', new Date('2026-12-03T18:20:00Z'), null).due).toBe(true);
  });

  it('detects a missed slot', () => {
    expect(missed(c, 'inventory', new Date('2026-12-03T18:00:00Z'), null, null)).toContain("no successful inventory pull since today's first slot");
    expect(missed(c, 'inventory', new Date('2026-12-03T11:00:00Z'), null, null)).toBeUndefined(); // before 04:00
    expect(missed(c, 'orders', new Date('2026-12-03T18:00:00Z'), null, null)).toBe('no order push has run yet');
  });
});

/** A fake timer: sleeps resolve in virtual-time order; the driver advances the clock. */
class VirtualTime {
  t: number;
  private waiters: { at: number; resolve: () => void }[] = [];
  constructor(start: string) {
    this.t = Date.parse(start);
  }
  clock = () => new Date(this.t);
  sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve();
      };
      const w = {
        at: this.t + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.waiters.push(w);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  private async settle() {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  }
  async runUntil(end: string, daemon: Daemon) {
    const stop = Date.parse(end);
    for (;;) {
      await this.settle();
      if (this.waiters.length === 0) continue;
      this.waiters.sort((a, b) => a.at - b.at);
      const w = this.waiters.shift()!;
      if (w.at > stop) {
        this.waiters.unshift(w);
        const done = daemon.stop();
        await this.settle();
        for (const x of this.waiters.splice(0)) x.resolve();
        await done;
        return;
      }
      this.t = Math.max(this.t, w.at);
      w.resolve();
    }
  }
}

describe('daemon over a simulated week (machine zone UTC)', () => {
  const temps: Array<() => void> = [];
  afterEach(() => temps.splice(0).forEach((f) => f()));

  async function simulate(start: string, end: string, extra = '', preRuns: (store: SqliteStore) => Promise<void> = async () => {}) {
    const t = tempDir();
    temps.push(t.cleanup);
    const store = new SqliteStore(path.join(t.dir, 'db.sqlite'));
    await preRuns(store);
    const vt = new VirtualTime(start);
    const runs: Array<{ job: Job; at: string; reason: string }> = [];
    const tenant: Tenant = { name: 'dealer', config: config(extra), store };
    const lines: string[] = [];
    const daemon = new Daemon([tenant], {
      clock: vt.clock,
      sleep: vt.sleep,
      maxSleepMs: 60_000,
      deadline: () => new AbortController().signal,
      log: makeEventLog({ format: 'json', write: (l) => lines.push(l), now: vt.clock }),
      run: async (tn, job, ctx): Promise<RunOutcome> => {
        runs.push({ job, at: vt.clock().toISOString(), reason: ctx.reason });
        const id = await tn.store.startRun(job, vt.clock().toISOString());
        await vt.sleep(90_000); // a run takes 90 s
        await tn.store.finishRun(id, { finishedAt: vt.clock().toISOString(), status: 'success', counts: {}, reportPath: null, error: null });
        return { status: 'success', message: 'ok' };
      },
    });
    daemon.start();
    await vt.runUntil(end, daemon);
    await store.close();
    return { runs, lines };
  }

  it('runs inventory once a day at 04:00 Pacific and orders every hour, across the autumn DST change', async () => {
    // Wed 2026-10-28 00:00 PDT to Wed 2026-11-04 00:00 PST; disabled Saturday.
    const { runs } = await simulate('2026-10-28T07:00:00Z', '2026-11-04T08:00:00Z', 'inventory:\n  disabledDays: [saturday]\n', async (s) => {
      const id = await s.startRun('orders', '2026-10-28T06:30:00Z');
      await s.finishRun(id, { finishedAt: '2026-10-28T06:31:00Z', status: 'success', counts: {}, reportPath: null, error: null });
    });
    const inv = runs.filter((r) => r.job === 'inventory').map((r) => r.at);
    expect(inv).toEqual([
      '2026-10-28T11:00:00.000Z', // Wed 04:00 PDT
      '2026-10-29T11:00:00.000Z',
      '2026-10-30T11:00:00.000Z',
      // Sat 10-31 disabled
      '2026-11-01T12:00:00.000Z', // Sun 04:00 PST (clocks fell back at 02:00)
      '2026-11-02T12:00:00.000Z',
      '2026-11-03T12:00:00.000Z',
    ]);
    const orders = runs.filter((r) => r.job === 'orders').map((r) => r.at);
    // 7 days x 24 hours + 1 (the 25-hour day) - 1 (the repeated 01:00 runs once) + the 00:00 end slot excluded
    expect(orders).toHaveLength(7 * 24);
    expect(orders).toContain('2026-11-01T08:00:00.000Z'); // 01:00 PDT
    expect(orders).not.toContain('2026-11-01T09:00:00.000Z'); // 01:00 PST, the repeat
    expect(orders).toContain('2026-11-01T10:00:00.000Z'); // 02:00 PST
    expect(new Set(orders).size).toBe(orders.length);
  });

  it('runs inventory once a day across the spring DST change', async () => {
    const { runs } = await simulate('2026-03-05T08:00:00Z', '2026-03-12T07:00:00Z', '', async (s) => {
      const id = await s.startRun('orders', '2026-03-05T07:30:00Z');
      await s.finishRun(id, { finishedAt: '2026-03-05T07:31:00Z', status: 'success', counts: {}, reportPath: null, error: null });
    });
    expect(runs.filter((r) => r.job === 'inventory').map((r) => r.at)).toEqual([
      '2026-03-05T12:00:00.000Z',
      '2026-03-06T12:00:00.000Z',
      '2026-03-07T12:00:00.000Z',
      '2026-03-08T11:00:00.000Z', // Sun 04:00 PDT, the day the clocks sprang forward
      '2026-03-09T11:00:00.000Z',
      '2026-03-10T11:00:00.000Z',
      '2026-03-11T11:00:00.000Z',
    ]);
    const orders = runs.filter((r) => r.job === 'orders').map((r) => r.at);
    expect(orders).toHaveLength(7 * 24 - 1); // the 23-hour day
    expect(new Set(orders).size).toBe(orders.length);
  });

  it('catches up once after starting past a missed slot, then keeps the schedule', async () => {
    // Starts at 09:15 PST with no run today: inventory and orders run at once.
    const { runs, lines } = await simulate('2026-12-03T17:15:00Z', '2026-12-03T19:30:00Z');
    expect(runs.slice(0, 2).map((r) => [r.job, r.at, r.reason.startsWith('catch-up')])).toEqual([
      ['inventory', '2026-12-03T17:15:00.000Z', true],
      ['orders', '2026-12-03T17:15:00.000Z', true],
    ]);
    expect(runs.slice(2).map((r) => [r.job, r.at])).toEqual([
      ['orders', '2026-12-03T18:00:00.000Z'],
      ['orders', '2026-12-03T19:00:00.000Z'],
    ]);
    expect(lines.some((l) => JSON.parse(l).event === 'run.finished')).toBe(true);
  });
});

// Found by a new-user walkthrough: the daemon's terminal lines were the only times in UTC.
describe('the daemon log on a terminal', () => {
  it('shows times in the machine zone to the second; JSON lines keep UTC', () => {
    const human: string[] = [];
    const json: string[] = [];
    const at = () => new Date('2026-12-03T12:00:05Z');
    makeEventLog({ format: 'human', write: (l) => human.push(l), now: at, timeZone: TZ }).event('info', 'run.start', 'inventory run started', { dealer: 'd', job: 'inventory' });
    makeEventLog({ format: 'json', write: (l) => json.push(l), now: at, timeZone: TZ }).event('info', 'run.start', 'inventory run started');
    expect(human).toEqual(['2026-12-03 04:00:05 PST INFO  [d inventory] inventory run started']);
    expect(JSON.parse(json[0]!).ts).toBe('2026-12-03T12:00:05.000Z');
  });
});
