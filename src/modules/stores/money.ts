/**
 * Money as every store connector speaks it: an integer number of minor units (cents, öre, yen)
 * and an ISO 4217 currency code. Never floats; conversions from a platform's decimals happen
 * once, at the connector's edge, through these helpers.
 */

/** An amount of money: integer minor units plus the currency code. */
export interface Money {
  /** Integer minor units (1999 = 19.99 EUR; 1999 = 1,999 JPY). */
  amount: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

const digitsCache = new Map<string, number>();

/** How many decimals a currency's minor unit has (EUR 2, JPY 0, KWD 3), from the runtime's ICU data. */
export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  const cached = digitsCache.get(code);
  if (cached !== undefined) return cached;
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    digits = 2;
  }
  digitsCache.set(code, digits);
  return digits;
}

/** Builds a Money value, refusing anything but an integer amount. */
export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`money amounts are integer minor units, got ${amount}`);
  return { amount, currency: currency.toUpperCase() };
}

/**
 * Converts a platform's decimal amount ("19.99" or 19.99) to minor units, rounding half away
 * from zero at the currency's precision. For connectors whose APIs speak decimals (Medusa, Shopify).
 */
export function toMinorUnits(decimal: string | number, currency: string): number {
  const digits = minorUnitDigits(currency);
  const text = typeof decimal === 'number' ? decimal.toFixed(Math.min(digits + 3, 20)) : decimal.trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${decimal}`);
  const sign = match[1] === '-' ? -1 : 1;
  const whole = match[2] ?? '';
  const frac = (match[3] ?? '').padEnd(digits + 1, '0');
  const kept = Number(`${whole || '0'}${frac.slice(0, digits)}`);
  const roundUp = Number(frac[digits] ?? '0') >= 5 ? 1 : 0;
  return sign * (kept + roundUp);
}

/** Converts minor units to the decimal string a platform's API expects ("19.99"). */
export function toDecimalString(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount).toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** Formats an amount for people ("€19.99"); the one place amounts become text for agents. */
export function formatMoney(amount: number, currency: string): string {
  const formatter = moneyFormatter(currency);
  return formatter ? formatter.format(Number(toDecimalString(amount, currency))) : `${toDecimalString(amount, currency)} ${currency}`;
}

/** One formatter per currency: building an Intl.NumberFormat costs far more than using one. */
const formatters = new Map<string, Intl.NumberFormat | null>();

function moneyFormatter(currency: string): Intl.NumberFormat | null {
  let formatter = formatters.get(currency);
  if (formatter === undefined) {
    const digits = minorUnitDigits(currency);
    try {
      formatter = new Intl.NumberFormat('en-IE', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      formatter = null;
    }
    formatters.set(currency, formatter);
  }
  return formatter;
}

/**
 * Splits `total` over `count` units so that any run of units gets a whole share and all units
 * together get exactly the total: the amount for units (from, to] is share(to) − share(from).
 */
export function allocatedShare(total: number, count: number, units: number): number {
  if (count <= 0) return 0;
  if (units >= count) return total;
  return Math.floor((total * units) / count);
}
