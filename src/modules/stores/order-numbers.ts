/**
 * Order numbers as each store writes them. A store has a prefix (NW- gives NW-10234, and a
 * customer's "#10234", "nw10234" or "order 10234" mean the same order) or, for other shapes, a
 * regular expression. Pure functions: finding candidates in text and turning what someone typed
 * into the store's own spelling.
 */
import type { StoreInfo } from './connectors/connector.ts';

/** An order number found in text. Strong: in the store's own shape. Weak: "#10234", "order 10234". */
export interface OrderNumberCandidate {
  number: string;
  strength: 'strong' | 'weak';
}

type Format = Pick<StoreInfo, 'orderNumberPrefix' | 'orderNumberPattern'>;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The store's pattern, compiled; a broken pattern is ignored (the prefix rules apply). */
function storePattern(format: Format, flags: string): RegExp | null {
  if (!format.orderNumberPattern) return null;
  try {
    return new RegExp(format.orderNumberPattern, flags);
  } catch {
    return null;
  }
}

/** Whether a pattern is a usable regular expression (for validating settings). */
export function isValidOrderNumberPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'gi');
    return pattern.length <= 200 && !new RegExp(pattern, 'i').test('');
  } catch {
    return false;
  }
}

/** The store's spelling of an order number for its digits. */
function withPrefix(format: Format, digits: string): string {
  return `${format.orderNumberPrefix ?? ''}${digits}`;
}

/**
 * The store's own spelling of what someone typed as an order number, or null when it cannot
 * be one. "nw 10234", "#10234" and "10234" all give "NW-10234" for the prefix NW-.
 */
export function normalizeOrderNumber(format: Format, input: string): string | null {
  const text = input.trim();
  if (!text || text.length > 64) return null;
  const pattern = storePattern(format, 'i');
  if (pattern) {
    const m = new RegExp(`^(?:${pattern.source})$`, 'i').exec(text);
    if (m) return m[0].toUpperCase();
    const hash = /^#?\s*(\d{3,12})$/.exec(text);
    return hash?.[1] && new RegExp(`^(?:${pattern.source})$`, 'i').test(`#${hash[1]}`) ? `#${hash[1]}` : null;
  }
  const prefix = format.orderNumberPrefix;
  if (prefix) {
    const letters = escape(prefix.replace(/[-_\s#]+$/, ''));
    const m = new RegExp(`^(?:${letters}[-_\\s#]*)?#?\\s*(\\d{3,12})$`, 'i').exec(text);
    return m?.[1] ? withPrefix(format, m[1]) : null;
  }
  const m = /^#?\s*(\d{3,12})$/.exec(text);
  return m?.[1] ?? null;
}

/** Order numbers in a message, in order of appearance, without repeats (at most 10). */
export function findOrderNumberCandidates(format: Format, text: string): OrderNumberCandidate[] {
  const found: { at: number; c: OrderNumberCandidate }[] = [];
  const pattern = storePattern(format, 'gi');
  if (pattern) {
    for (const m of text.matchAll(pattern)) {
      const n = normalizeOrderNumber(format, m[0]);
      if (n) found.push({ at: m.index ?? 0, c: { number: n, strength: 'strong' } });
    }
  } else if (format.orderNumberPrefix) {
    const letters = escape(format.orderNumberPrefix.replace(/[-_\s#]+$/, ''));
    if (letters) {
      for (const m of text.matchAll(new RegExp(`(?<![A-Za-z0-9])${letters}[-_ #]?(\\d{4,12})(?!\\d)`, 'gi'))) {
        if (m[1]) found.push({ at: m.index ?? 0, c: { number: withPrefix(format, m[1]), strength: 'strong' } });
      }
    }
  }
  if (!pattern) {
    // "#10234" is an order, unless it is a ticket or case number ("ticket #1042").
    for (const m of text.matchAll(/(?<!(?:ticket|case|request)\s*(?:no\.?|nr\.?)?\s*)(?<![\w#])#\s?(\d{4,12})(?!\d)/gi)) {
      if (m[1]) found.push({ at: m.index ?? 0, c: { number: withPrefix(format, m[1]), strength: 'weak' } });
    }
    for (const m of text.matchAll(/\border\s*(?:number|no\.?|nr\.?|num\.?)?\s*[:#]?\s*(\d{4,12})(?!\d)/gi)) {
      if (m[1]) found.push({ at: m.index ?? 0, c: { number: withPrefix(format, m[1]), strength: 'weak' } });
    }
  }
  const out: OrderNumberCandidate[] = [];
  for (const f of found.sort((a, b) => a.at - b.at)) {
    const existing = out.find((o) => o.number === f.c.number);
    if (!existing) out.push(f.c);
    else if (f.c.strength === 'strong') existing.strength = 'strong';
  }
  return out.slice(0, 10);
}
