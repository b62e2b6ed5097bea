/**
 * Money on screen. Amounts travel as integer minor units plus an ISO 4217 code; the number of
 * minor digits comes from Intl (2 for EUR, 0 for JPY, 3 for KWD), never from a guess.
 */
import type { Money } from '../../api/types';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      f = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(currency, f);
  }
  return f;
}

/** Minor digits of a currency: 2 for EUR, 0 for JPY. */
export function minorDigits(currency: string): number {
  return formatterFor(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "€19.99" for { amount: 1999, currency: 'EUR' }; empty for nothing. */
export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '';
  return formatterFor(money.currency).format(money.amount / 10 ** minorDigits(money.currency));
}

/** Minor units to the decimal number a money input shows (1999 → 19.99). */
export function toMajor(amount: number, currency: string): number {
  return amount / 10 ** minorDigits(currency);
}

/** The decimal number an agent typed to minor units (19.99 → 1999). */
export function toMinor(value: number, currency: string): number {
  return Math.round(value * 10 ** minorDigits(currency));
}

/** The currency's symbol as the browser writes it ("€", "US$"). */
export function currencySymbol(currency: string): string {
  return (
    formatterFor(currency)
      .formatToParts(0)
      .find((p) => p.type === 'currency')?.value ?? currency
  );
}

/** Sums money of one currency. */
export function sumMoney(items: Money[], currency: string): Money {
  return { amount: items.filter((m) => m.currency === currency).reduce((s, m) => s + m.amount, 0), currency };
}
