/**
 * Wall-clock time in a store's IANA time zone and the UTC instants it stands for: the offset at
 * an instant, the local calendar date and time, the instant of a local date and time, and the
 * starts of local days and months. Business hours, authority limits per day and month, policy
 * windows in calendar days and the demo's calendar all count in the store's zone through here.
 *
 * An unknown zone counts as UTC, so a store with a mistyped zone still gets answers.
 *
 * Offsets come from `Intl.DateTimeFormat` (one formatter per zone, built once) and are kept per
 * zone and UTC quarter hour, so asking again costs two map reads: a quarter hour whose first and
 * last second show the same offset has it throughout (zones change far less often than that).
 * Most changes fall on a UTC quarter hour; the few quarter hours that hold one (St. John's and
 * Moncton changed at 00:01 local until 2011, Casey at 00:01 until 2022) are measured at each
 * instant instead. Offsets are whole minutes (Monrovia's −0:44:30 before 1972 is rounded).
 */

const MINUTE_MS = 60_000;
const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;
/** Offsets kept per zone before its cache is emptied (about a year of quarter hours). */
const MAX_CACHED = 50_000;

/** One zone's formatter (null: UTC or unknown, offset 0) and its offsets in minutes by UTC quarter hour. */
interface Zone {
  clock: Intl.DateTimeFormat | null;
  offsets: Map<number, number>;
}

const zones = new Map<string, Zone>();

function zoneOf(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    let clock: Intl.DateTimeFormat | null = null;
    try {
      clock = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
      if (clock.resolvedOptions().timeZone === 'UTC') clock = null;
    } catch {
      clock = null;
    }
    zone = { clock, offsets: new Map() };
    zones.set(timeZone, zone);
  }
  return zone;
}

/** Minutes east of UTC the formatter's clock shows at a whole-second instant. */
function measureOffset(clock: Intl.DateTimeFormat, t: number): number {
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const p of clock.formatToParts(t)) {
    switch (p.type) {
      case 'year': year = Number(p.value); break;
      case 'month': month = Number(p.value); break;
      case 'day': day = Number(p.value); break;
      case 'hour': hour = Number(p.value); break;
      case 'minute': minute = Number(p.value); break;
      case 'second': second = Number(p.value); break;
      default: break;
    }
  }
  return Math.round((Date.UTC(year, month - 1, day, hour, minute, second) - t) / MINUTE_MS);
}

/** Kept for a quarter hour in which the zone's offset changes: such instants are measured one by one. */
const SPLIT = Number.NaN;

/** The offset in minutes at an epoch millisecond, from the zone's quarter-hour cache. */
function offsetAt(zone: Zone, t: number): number {
  if (!zone.clock) return 0;
  const quarter = Math.floor(t / QUARTER_MS);
  let offset = zone.offsets.get(quarter);
  if (offset === undefined) {
    const start = quarter * QUARTER_MS;
    offset = measureOffset(zone.clock, start);
    if (measureOffset(zone.clock, start + QUARTER_MS - 1000) !== offset) offset = SPLIT;
    if (zone.offsets.size >= MAX_CACHED) zone.offsets.clear();
    zone.offsets.set(quarter, offset);
  }
  return Number.isNaN(offset) ? measureOffset(zone.clock, Math.floor(t / 1000) * 1000) : offset;
}

/**
 * Minutes east of UTC that a zone's clocks are at an instant: 60 for Amsterdam in winter, 120
 * in summer, −300 for New York in winter, 330 for Kolkata, 840 for Kiritimati.
 */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  return offsetAt(zoneOf(timeZone), at.getTime());
}

/**
 * Days since 1970-01-01 of the calendar date a zone's clocks show at an instant: subtracting two
 * gives the calendar days between them in that zone, whatever the length of the days between.
 */
export function localDayNumber(at: Date, timeZone: string): number {
  const t = at.getTime();
  return Math.floor((t + offsetAt(zoneOf(timeZone), t) * MINUTE_MS) / DAY_MS);
}

/** A date and time on a zone's clocks. */
export interface LocalDateTime {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  /** Minute of the day, 0–1439. */
  minute: number;
  /** Day of the week, 0 = Sunday. */
  weekday: number;
}

/** The date, minute of the day and weekday a zone's clocks show at an instant. */
export function localDateTime(at: Date, timeZone: string): LocalDateTime {
  const t = at.getTime();
  const wall = new Date(t + offsetAt(zoneOf(timeZone), t) * MINUTE_MS);
  return {
    year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(),
    minute: wall.getUTCHours() * 60 + wall.getUTCMinutes(), weekday: wall.getUTCDay(),
  };
}

/** The instant of a wall-clock time given as milliseconds of a UTC date with the same fields. */
function instantOfWall(zone: Zone, wall: number): number {
  // The offsets a day either side bracket any change near this wall time (zones change at most
  // once in two days); try each and keep those that give this wall time back.
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const early = wall - before * MINUTE_MS;
  const late = wall - after * MINUTE_MS;
  const earlyFits = offsetAt(zone, early) === before;
  const lateFits = offsetAt(zone, late) === after;
  if (earlyFits && lateFits) return Math.min(early, late);
  if (earlyFits) return early;
  if (lateFits) return late;
  // A time the clocks skip: read with the offset from before the jump, it lands after the jump,
  // where the clocks show it moved forward by the jump.
  return early;
}

/**
 * The instant a zone's clocks show a date and minute of the day. Day and minute may run past
 * their ranges (day 0 is the last of the previous month, minute 1500 is 01:00 the next day).
 * A time the clocks skip when they go forward moves forward by the jump (02:30 on the night
 * Amsterdam goes to summer time is 03:30 summer time); a time they show twice when they go back
 * is the first of the two (like `Temporal`'s "compatible" choice).
 */
export function instantOfLocalTime(year: number, month: number, day: number, minute: number, timeZone: string): Date {
  return new Date(instantOfWall(zoneOf(timeZone), Date.UTC(year, month - 1, day, 0, minute)));
}

/**
 * The first instant of the zone's calendar day that contains `at`: local midnight, or where the
 * clocks jump over midnight, the moment they land (01:00 in Santiago on a spring-forward Sunday).
 */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  return new Date(instantOfWall(zoneOf(timeZone), localDayNumber(at, timeZone) * DAY_MS));
}

/** The first instant of the zone's calendar month that contains `at` (its first day's start). */
export function startOfLocalMonth(at: Date, timeZone: string): Date {
  const day = new Date(localDayNumber(at, timeZone) * DAY_MS);
  return new Date(instantOfWall(zoneOf(timeZone), Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1)));
}
