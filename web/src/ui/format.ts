/**
 * Formatting shared by every screen: relative times, counts, names.
 */

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const shortDateYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });

/** "just now", "5 min ago", "3 hr ago", "yesterday", then a date. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  const date = new Date(then);
  return date.getFullYear() === new Date(now).getFullYear() ? shortDate.format(date) : shortDateYear.format(date);
}

/** Full local date and time, for tooltips. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateTime.format(date);
}

const zoned = new Map<string, { short: Intl.DateTimeFormat; withYear: Intl.DateTimeFormat; year: Intl.DateTimeFormat }>();

/** Date formatters for a time zone (an unknown zone falls back to the browser's). */
function zonedFormats(timeZone: string) {
  let f = zoned.get(timeZone);
  if (!f) {
    try {
      f = {
        short: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone }),
        withYear: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone }),
        year: new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }),
      };
    } catch {
      f = { short: shortDate, withYear: shortDateYear, year: new Intl.DateTimeFormat('en', { year: 'numeric' }) };
    }
    zoned.set(timeZone, f);
  }
  return f;
}

/**
 * A date without time: "Nov 14", or "Nov 14, 2024" in another year. With `timeZone` (a store's)
 * the day is the one in that zone, so an order's dates read the same for every agent.
 */
export function formatDate(iso: string | null | undefined, now = Date.now(), timeZone?: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  if (timeZone) {
    const f = zonedFormats(timeZone);
    return f.year.format(date) === f.year.format(new Date(now)) ? f.short.format(date) : f.withYear.format(date);
  }
  return date.getFullYear() === new Date(now).getFullYear() ? shortDate.format(date) : shortDateYear.format(date);
}

/** Sidebar counters are capped at 10000 by the server. */
export function formatCount(n: number | undefined): string {
  if (n === undefined) return '';
  if (n >= 10_000) return '10k+';
  if (n >= 1000) return `${(n / 1000).toFixed(n >= 9950 ? 0 : 1).replace(/\.0$/, '')}k`;
  return String(n);
}

/** A byte size as "12 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The best name to show for a person: name, else email, else a placeholder. */
export function displayName(person: { name?: string | null; email?: string | null } | null | undefined, fallback = 'Unknown'): string {
  return person?.name?.trim() || person?.email?.trim() || fallback;
}

/** First name, for compact lines ("Sam is replying"). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** "on_hold" → "On hold". */
export function humanize(value: string): string {
  const text = value.replace(/[_.]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
