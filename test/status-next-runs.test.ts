import { describe, expect, it } from 'vitest';
import { CronSyntaxError as UnsupportedCron, nextRunTimes, parseCron as parseSimpleCron } from '../src/schedule/cron.js';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const LA = 'America/Los_Angeles';

describe('nextRunTimes', () => {
  it('the default schedules, in Pacific time, from a pinned instant', () => {
    // Thursday 2026-12-03 10:00 PST.
    const now = new Date('2026-12-03T18:00:00Z');
    expect(iso(nextRunTimes('0 4,5 * * *', LA, now, 3))).toEqual(['2026-12-04T12:00:00.000Z', '2026-12-04T13:00:00.000Z', '2026-12-05T12:00:00.000Z']);
    expect(iso(nextRunTimes('0 * * * *', LA, now, 2))).toEqual(['2026-12-03T19:00:00.000Z', '2026-12-03T20:00:00.000Z']);
    // Strictly after: a run at exactly now is not "next".
    expect(iso(nextRunTimes('0 10 * * *', LA, now, 1))).toEqual(['2026-12-04T18:00:00.000Z']);
  });

  it('lists, ranges and steps in the minute and hour fields', () => {
    const now = new Date('2026-07-01T07:00:00Z'); // 00:00 PDT
    expect(iso(nextRunTimes('*/20 9-10 * * *', LA, now, 7))).toEqual([
      '2026-07-01T16:00:00.000Z',
      '2026-07-01T16:20:00.000Z',
      '2026-07-01T16:40:00.000Z',
      '2026-07-01T17:00:00.000Z',
      '2026-07-01T17:20:00.000Z',
      '2026-07-01T17:40:00.000Z',
      '2026-07-02T16:00:00.000Z',
    ]);
    expect(parseSimpleCron('0-30/10 4 * * *').minutes).toEqual([0, 10, 20, 30]);
    expect(parseSimpleCron('5 1,3-5,22-23 * * *').hours).toEqual([1, 3, 4, 5, 22, 23]);
  });

  it('across DST: the skipped hour runs once after the gap, the repeated hour once at its first occurrence', () => {
    // 2026-03-08: 02:00 PST jumps to 03:00 PDT.
    expect(iso(nextRunTimes('30 2 * * *', LA, new Date('2026-03-08T08:00:00Z'), 2))).toEqual(['2026-03-08T10:30:00.000Z', '2026-03-09T09:30:00.000Z']);
    expect(iso(nextRunTimes('0 4,5 * * *', LA, new Date('2026-03-08T08:00:00Z'), 2))).toEqual(['2026-03-08T11:00:00.000Z', '2026-03-08T12:00:00.000Z']);
    // 2026-11-01: 02:00 PDT falls back to 01:00 PST; hourly runs at 01:00 once.
    expect(iso(nextRunTimes('0 * * * *', LA, new Date('2026-11-01T07:30:00Z'), 3))).toEqual(['2026-11-01T08:00:00.000Z', '2026-11-01T10:00:00.000Z', '2026-11-01T11:00:00.000Z']);
  });

  it('other zones', () => {
    expect(iso(nextRunTimes('0 4 * * *', 'Europe/Berlin', new Date('2026-12-03T18:00:00Z'), 1))).toEqual(['2026-12-04T03:00:00.000Z']);
  });

  it('handles weekday fields and refuses malformed expressions, saying why', () => {
    // Monday to Friday at 04:00 Pacific; 2026-12-04 is a Friday.
    expect(iso(nextRunTimes('0 4 * * 1-5', LA, new Date('2026-12-03T18:00:00Z'), 2))).toEqual(['2026-12-04T12:00:00.000Z', '2026-12-07T12:00:00.000Z']);
    expect(() => parseSimpleCron('61 * * * *')).toThrow(UnsupportedCron);
    expect(() => parseSimpleCron('61 * * * *')).toThrow(/not a valid cron expression/);
    expect(() => parseSimpleCron('0 4 * *')).toThrow(/not a 5-field cron expression/);
    expect(() => parseSimpleCron('@daily')).toThrow(UnsupportedCron);
  });
});
