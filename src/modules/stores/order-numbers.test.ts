import { describe, expect, it } from 'vitest';
import { findTrackingCandidates, trackingUrlFor } from './connectors/carriers.ts';
import { formatMoney, toDecimalString, toMinorUnits } from './money.ts';
import { findOrderNumberCandidates, isValidOrderNumberPattern, normalizeOrderNumber } from './order-numbers.ts';

const nw = { orderNumberPrefix: 'NW-', orderNumberPattern: null };

describe('order numbers', () => {
  it('turns what a customer typed into the store’s spelling', () => {
    for (const typed of ['NW-10234', 'nw-10234', 'NW10234', 'nw 10234', '#10234', '10234', ' # 10234 ']) expect(normalizeOrderNumber(nw, typed)).toBe('NW-10234');
    expect(normalizeOrderNumber(nw, 'hello')).toBeNull();
    expect(normalizeOrderNumber({ orderNumberPrefix: null, orderNumberPattern: null }, '#1042')).toBe('1042');
    const vendure = { orderNumberPrefix: null, orderNumberPattern: '[A-Z0-9]{16}' };
    expect(normalizeOrderNumber(vendure, 'ab12cd34ef56gh78')).toBe('AB12CD34EF56GH78');
  });

  it('finds order numbers in a message: the store’s own shape strongly, looser ones weakly', () => {
    const text = 'Hi, my order NW-10234 has not arrived (also nw10240?). Ticket #1042 is not an order; see #10255 and order number: 10260.';
    expect(findOrderNumberCandidates(nw, text)).toEqual([
      { number: 'NW-10234', strength: 'strong' },
      { number: 'NW-10240', strength: 'strong' },
      { number: 'NW-10255', strength: 'weak' },
      { number: 'NW-10260', strength: 'weak' },
    ]);
    expect(findOrderNumberCandidates(nw, 'Call me on 0612345678 about €120.50')).toEqual([]);
  });

  it('accepts only usable patterns', () => {
    expect(isValidOrderNumberPattern('#\\d{4,}')).toBe(true);
    expect(isValidOrderNumberPattern('(')).toBe(false);
    expect(isValidOrderNumberPattern('\\d*')).toBe(false);
  });
});

describe('tracking numbers', () => {
  it('recognises carriers’ shapes and long numbers next to the word tracking', () => {
    const text = 'UPS 1Z999AA10123456784, PostNL 3SNWOF123456789, DHL JVGL05512345678, letter RR123456789NL; tracking: 01234567890123. Price 12345678901 EUR.';
    expect(findTrackingCandidates(text)).toEqual(['1Z999AA10123456784', '3SNWOF123456789', 'JVGL05512345678', 'RR123456789NL', '01234567890123']);
  });

  it('links known carriers to their tracking page', () => {
    expect(trackingUrlFor('PostNL', '3SNWOF123456789', '1016 GV', 'NL')).toBe('https://jouw.postnl.nl/track-and-trace/3SNWOF123456789-NL-1016GV');
    expect(trackingUrlFor('Pigeon Post', '123')).toBeNull();
  });
});

describe('money', () => {
  it('converts decimals to minor units and back at each currency’s precision', () => {
    expect(toMinorUnits('19.99', 'EUR')).toBe(1999);
    expect(toMinorUnits(19.99, 'EUR')).toBe(1999);
    expect(toMinorUnits('0.005', 'EUR')).toBe(1);
    expect(toMinorUnits('1999', 'JPY')).toBe(1999);
    expect(toMinorUnits('1.2345', 'KWD')).toBe(1235);
    expect(toDecimalString(1999, 'EUR')).toBe('19.99');
    expect(toDecimalString(5, 'EUR')).toBe('0.05');
    expect(toDecimalString(1999, 'JPY')).toBe('1999');
    expect(formatMoney(16_295, 'EUR')).toBe('€162.95');
    expect(() => toMinorUnits('12,50', 'EUR')).toThrow();
  });
});
