/**
 * Time in the demo store's zone (Europe/Amsterdam): conversations, business hours and parcels
 * follow the store's local calendar.
 */
import { DEMO_STORE } from './demo-data.ts';

const HOUR = 3_600_000;

const LOCAL = new Intl.DateTimeFormat('en-US', {
  timeZone: DEMO_STORE.timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
});

/** A store-local calendar date, minute of the day and weekday (0 = Sunday). */
export interface LocalTime { y: number; mo: number; d: number; minute: number; dow: number }

const offsets = new Map<number, number>();

/** The store's offset from UTC at an instant; zones change offset only on whole UTC hours. */
function zoneOffset(t: number): number {
  const hour = Math.floor(t / HOUR);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const p: Record<string, number> = {};
    for (const part of LOCAL.formatToParts(new Date(hour * HOUR))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    offset = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0) - hour * HOUR;
    offsets.set(hour, offset);
  }
  return offset;
}

/** The store-local calendar date, minute of the day and weekday (0 = Sunday) of an instant. */
export function localTime(t: number): LocalTime {
  const wall = new Date(t + zoneOffset(t));
  return { y: wall.getUTCFullYear(), mo: wall.getUTCMonth() + 1, d: wall.getUTCDate(), minute: wall.getUTCHours() * 60 + wall.getUTCMinutes(), dow: wall.getUTCDay() };
}

/** The instant of a store-local date (day may overflow) and minute of the day. */
export function zonedTime(y: number, mo: number, d: number, minute: number): number {
  const wall = Date.UTC(y, mo - 1, d, 0, minute);
  const first = wall - zoneOffset(wall);
  return wall - zoneOffset(first);
}

