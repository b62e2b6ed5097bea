import { describe, expect, it } from 'vitest';
import { instantOfLocalTime, localDateTime, localDayNumber, startOfLocalDay, startOfLocalMonth, zoneOffsetMinutes } from './time-zone.ts';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
/** The zone's calendar date as Intl writes it: the oracle the functions are checked against. */
const oracles = new Map<string, Intl.DateTimeFormat>();
const intlDate = (d: Date, timeZone: string) => {
  let f = oracles.get(timeZone);
  if (!f) oracles.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(d);
};
const dateOfDayNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

describe('offsets', () => {
  it('follows summer time in Amsterdam and New York, to the millisecond of the change', () => {
    expect(zoneOffsetMinutes(at('2024-01-15T12:00:00Z'), 'Europe/Amsterdam')).toBe(60);
    expect(zoneOffsetMinutes(at('2024-03-31T00:59:59.999Z'), 'Europe/Amsterdam')).toBe(60);
    expect(zoneOffsetMinutes(at('2024-03-31T01:00:00Z'), 'Europe/Amsterdam')).toBe(120);
    expect(zoneOffsetMinutes(at('2024-10-27T00:59:59.999Z'), 'Europe/Amsterdam')).toBe(120);
    expect(zoneOffsetMinutes(at('2024-10-27T01:00:00Z'), 'Europe/Amsterdam')).toBe(60);
    expect(zoneOffsetMinutes(at('2024-03-10T06:59:59.999Z'), 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(at('2024-03-10T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(at('2024-11-03T05:59:59.999Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(at('2024-11-03T06:00:00Z'), 'America/New_York')).toBe(-300);
  });

  it('knows half-hour zones and zones more than twelve hours east of UTC', () => {
    expect(zoneOffsetMinutes(at('2024-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(at('2024-06-01T00:00:00Z'), 'Pacific/Kiritimati')).toBe(840);
  });

  it('is exact inside a quarter hour in which the clocks change (St. John’s went forward at 00:01 local until 2011)', () => {
    // The change is at 03:31 UTC; ask for the end of the quarter hour first, then its start.
    expect(zoneOffsetMinutes(at('2010-03-14T03:40:00Z'), 'America/St_Johns')).toBe(-150);
    expect(zoneOffsetMinutes(at('2010-03-14T03:30:59Z'), 'America/St_Johns')).toBe(-210);
    expect(zoneOffsetMinutes(at('2010-03-14T03:31:00Z'), 'America/St_Johns')).toBe(-150);
    expect(localDateTime(at('2010-03-14T03:30:59Z'), 'America/St_Johns').minute).toBe(0); // 00:00:59
    expect(localDateTime(at('2010-03-14T03:31:00Z'), 'America/St_Johns').minute).toBe(61); // 01:01
  });

  it('counts an unknown zone as UTC', () => {
    expect(zoneOffsetMinutes(at('2024-06-01T12:00:00Z'), 'Mars/Olympus_Mons')).toBe(0);
    expect(iso(startOfLocalDay(at('2024-06-01T12:00:00Z'), 'Mars/Olympus_Mons'))).toBe('2024-06-01T00:00:00.000Z');
  });
});

describe('local calendar days', () => {
  it('has a 23-hour day when clocks go forward and a 25-hour day when they go back', () => {
    const length = (day: string, tz: string) => {
      const start = startOfLocalDay(at(`${day}T12:00:00Z`), tz);
      const next = startOfLocalDay(new Date(start.getTime() + 30 * HOUR), tz);
      return (next.getTime() - start.getTime()) / HOUR;
    };
    expect(length('2024-03-31', 'Europe/Amsterdam')).toBe(23);
    expect(length('2024-10-27', 'Europe/Amsterdam')).toBe(25);
    expect(length('2024-03-10', 'America/New_York')).toBe(23);
    expect(length('2024-11-03', 'America/New_York')).toBe(25);
    expect(length('2024-06-01', 'Asia/Kolkata')).toBe(24);
  });

  it('starts each day at local midnight, also on the days the clocks change', () => {
    expect(iso(startOfLocalDay(at('2024-03-31T12:00:00Z'), 'Europe/Amsterdam'))).toBe('2024-03-30T23:00:00.000Z');
    expect(iso(startOfLocalDay(at('2024-04-01T12:00:00Z'), 'Europe/Amsterdam'))).toBe('2024-03-31T22:00:00.000Z');
    expect(iso(startOfLocalDay(at('2024-10-27T22:59:59.999Z'), 'Europe/Amsterdam'))).toBe('2024-10-26T22:00:00.000Z');
    expect(iso(startOfLocalDay(at('2024-11-03T12:00:00Z'), 'America/New_York'))).toBe('2024-11-03T04:00:00.000Z');
    expect(iso(startOfLocalDay(at('2024-11-04T12:00:00Z'), 'America/New_York'))).toBe('2024-11-04T05:00:00.000Z');
    expect(iso(startOfLocalDay(at('2024-06-01T12:00:00Z'), 'Asia/Kolkata'))).toBe('2024-05-31T18:30:00.000Z');
    expect(iso(startOfLocalDay(at('2024-06-01T12:00:00Z'), 'Pacific/Kiritimati'))).toBe('2024-06-01T10:00:00.000Z');
  });

  it('puts an instant exactly at local midnight in the day it starts, and the millisecond before in the day before', () => {
    const midnights: [string, string][] = [
      ['2024-03-31T22:00:00Z', 'Europe/Amsterdam'], // the first midnight after the 23-hour day
      ['2024-10-27T23:00:00Z', 'Europe/Amsterdam'], // the first midnight after the 25-hour day
      ['2024-03-11T04:00:00Z', 'America/New_York'],
      ['2024-11-04T05:00:00Z', 'America/New_York'],
      ['2024-05-31T18:30:00Z', 'Asia/Kolkata'],
      ['2024-01-31T10:00:00Z', 'Pacific/Kiritimati'],
    ];
    for (const [instant, tz] of midnights) {
      const midnight = at(instant);
      const before = new Date(midnight.getTime() - 1);
      expect(iso(startOfLocalDay(midnight, tz)), `${instant} ${tz}`).toBe(iso(midnight));
      expect(localDayNumber(midnight, tz) - localDayNumber(before, tz), `${instant} ${tz}`).toBe(1);
      expect(startOfLocalDay(before, tz).getTime(), `${instant} ${tz}`).toBeLessThan(midnight.getTime() - 22 * HOUR);
      expect(localDateTime(midnight, tz).minute).toBe(0);
      expect(localDateTime(before, tz).minute).toBe(1439);
    }
  });

  it('starts the day at the first minute there is where clocks jump over midnight (Santiago, September 2024)', () => {
    // Saturday 24:00 −04 became Sunday 01:00 −03: Sunday begins at 04:00 UTC, not the hour before.
    expect(iso(startOfLocalDay(at('2024-09-08T12:00:00Z'), 'America/Santiago'))).toBe('2024-09-08T04:00:00.000Z');
    expect(localDayNumber(at('2024-09-08T03:59:59.999Z'), 'America/Santiago')).toBe(localDayNumber(at('2024-09-08T04:00:00Z'), 'America/Santiago') - 1);
  });

  it('counts calendar days in the zone, not 24-hour periods', () => {
    // Amsterdam: 23:30 on 30 March to 00:30 on 1 April is 24 hours across the short day, but two calendar days.
    expect(localDayNumber(at('2024-03-31T22:30:00Z'), 'Europe/Amsterdam') - localDayNumber(at('2024-03-30T22:30:00Z'), 'Europe/Amsterdam')).toBe(2);
    // Kiritimati is already on the next date when UTC is not.
    expect(dateOfDayNumber(localDayNumber(at('2024-12-31T10:00:00Z'), 'Pacific/Kiritimati'))).toBe('2025-01-01');
    expect(dateOfDayNumber(localDayNumber(at('2024-12-31T09:59:59Z'), 'Pacific/Kiritimati'))).toBe('2024-12-31');
  });

  it('agrees with Intl on the local date of every 37th minute of a year in each zone', () => {
    for (const tz of ['Europe/Amsterdam', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 37 * 60_000 + 1_013) {
        const d = new Date(t);
        const want = intlDate(d, tz);
        if (dateOfDayNumber(localDayNumber(d, tz)) !== want) expect(`${tz} ${d.toISOString()} ${dateOfDayNumber(localDayNumber(d, tz))}`).toBe(want);
        const start = startOfLocalDay(d, tz);
        if (!(start.getTime() <= t && intlDate(start, tz) === want && intlDate(new Date(start.getTime() - 1), tz) !== want)) {
          expect(`${tz} ${d.toISOString()} starts ${start.toISOString()}`).toBe(want);
        }
      }
    }
  });
});

describe('local months', () => {
  it('starts the month at local midnight on the first, whichever side of a clock change', () => {
    expect(iso(startOfLocalMonth(at('2024-03-31T12:00:00Z'), 'Europe/Amsterdam'))).toBe('2024-02-29T23:00:00.000Z');
    expect(iso(startOfLocalMonth(at('2024-04-15T00:00:00Z'), 'Europe/Amsterdam'))).toBe('2024-03-31T22:00:00.000Z');
    expect(iso(startOfLocalMonth(at('2024-10-31T22:59:59.999Z'), 'Europe/Amsterdam'))).toBe('2024-09-30T22:00:00.000Z');
    expect(iso(startOfLocalMonth(at('2024-10-31T23:00:00Z'), 'Europe/Amsterdam'))).toBe('2024-10-31T23:00:00.000Z');
    expect(iso(startOfLocalMonth(at('2024-11-20T00:00:00Z'), 'America/New_York'))).toBe('2024-11-01T04:00:00.000Z');
    expect(iso(startOfLocalMonth(at('2024-03-20T00:00:00Z'), 'America/New_York'))).toBe('2024-03-01T05:00:00.000Z');
  });

  it('starts the month in the zone’s calendar, not UTC’s', () => {
    expect(iso(startOfLocalMonth(at('2024-01-31T10:00:00Z'), 'Pacific/Kiritimati'))).toBe('2024-01-31T10:00:00.000Z');
    expect(iso(startOfLocalMonth(at('2024-01-31T09:59:59.999Z'), 'Pacific/Kiritimati'))).toBe('2023-12-31T10:00:00.000Z');
    expect(iso(startOfLocalMonth(at('2024-05-31T18:30:00Z'), 'Asia/Kolkata'))).toBe('2024-05-31T18:30:00.000Z');
    expect(iso(startOfLocalMonth(at('2024-05-31T18:29:59.999Z'), 'Asia/Kolkata'))).toBe('2024-04-30T18:30:00.000Z');
  });
});

describe('wall-clock times', () => {
  it('reads the date, minute of the day and weekday in the zone', () => {
    expect(localDateTime(at('2024-01-31T10:00:00Z'), 'Pacific/Kiritimati')).toEqual({ year: 2024, month: 2, day: 1, minute: 0, weekday: 4 });
    expect(localDateTime(at('2024-06-01T04:15:00Z'), 'Asia/Kolkata')).toEqual({ year: 2024, month: 6, day: 1, minute: 9 * 60 + 45, weekday: 6 });
    expect(localDateTime(at('2024-10-27T00:30:00Z'), 'Europe/Amsterdam').minute).toBe(150);
    expect(localDateTime(at('2024-10-27T01:30:00Z'), 'Europe/Amsterdam').minute).toBe(150);
  });

  it('finds the instant of a local time, with days and minutes running over', () => {
    expect(iso(instantOfLocalTime(2024, 6, 1, 9 * 60, 'Europe/Amsterdam'))).toBe('2024-06-01T07:00:00.000Z');
    expect(iso(instantOfLocalTime(2024, 6, 0, 9 * 60, 'Europe/Amsterdam'))).toBe('2024-05-31T07:00:00.000Z');
    expect(iso(instantOfLocalTime(2024, 6, 1, 25 * 60, 'Asia/Kolkata'))).toBe('2024-06-01T19:30:00.000Z');
    expect(iso(instantOfLocalTime(2025, 1, 1, 0, 'Pacific/Kiritimati'))).toBe('2024-12-31T10:00:00.000Z');
  });

  it('moves a time the clocks skip forward by the jump, and takes the first of a time they show twice', () => {
    expect(iso(instantOfLocalTime(2024, 3, 31, 150, 'Europe/Amsterdam'))).toBe('2024-03-31T01:30:00.000Z'); // 03:30 summer time
    expect(iso(instantOfLocalTime(2024, 10, 27, 150, 'Europe/Amsterdam'))).toBe('2024-10-27T00:30:00.000Z'); // 02:30 summer time
    expect(iso(instantOfLocalTime(2024, 3, 10, 150, 'America/New_York'))).toBe('2024-03-10T07:30:00.000Z'); // 03:30 EDT
    expect(iso(instantOfLocalTime(2024, 11, 3, 90, 'America/New_York'))).toBe('2024-11-03T05:30:00.000Z'); // 01:30 EDT
  });
});
