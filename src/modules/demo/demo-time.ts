/**
 * Time in the demo store's zone (Europe/Amsterdam): conversations, business hours and parcels
 * follow the store's local calendar.
 */
import { instantOfLocalTime, localDateTime } from '../../shared/time-zone.ts';
import { DEMO_STORE } from './demo-data.ts';

/** A store-local calendar date, minute of the day and weekday (0 = Sunday). */
export interface LocalTime { y: number; mo: number; d: number; minute: number; dow: number }

/** The store-local calendar date, minute of the day and weekday (0 = Sunday) of an instant. */
export function localTime(t: number): LocalTime {
  const l = localDateTime(new Date(t), DEMO_STORE.timezone);
  return { y: l.year, mo: l.month, d: l.day, minute: l.minute, dow: l.weekday };
}

/** The instant of a store-local date (day may overflow) and minute of the day. */
export function zonedTime(y: number, mo: number, d: number, minute: number): number {
  return instantOfLocalTime(y, mo, d, minute, DEMO_STORE.timezone).getTime();
}
