/**
 * What happened to the order each demo conversation is about, so that the demo store holds that
 * very order: the number, the items and size the customer names, the carrier and tracking numbers
 * quoted, and a life that fits the story as far as it has been played — placed before the
 * customer writes, delivered before they say it arrived, cancelled, returned, refunded or
 * reshipped at the moment the agent says so, and shipped or delivered since when time has passed.
 */
import type { Channel, ShopAddress } from '../../db/schema.ts';
import { demoColours, type DemoItemPick, type DemoParcel, type DemoToldOrder } from '../stores/connectors/builtin/demo-catalogue.ts';
import { DEMO_CUSTOMERS, DEMO_ITEMS, type DemoCustomer } from './demo-data.ts';
import { localTime, zonedTime } from './demo-time.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One played conversation, as far as the story of its order needs it. */
export interface OrderStoryInput {
  script: string;
  channel: Channel;
  customer: DemoCustomer;
  /** The conversation's placeholder values ({order}, {item}, {carrier}, {tracking}, …). */
  vars: Record<string, string>;
  /** When the customer opened the conversation (ms). */
  opening: number;
  /** When each later turn was played (ms), turn 1 first; turns not played yet are absent. */
  steps: number[];
  /** Who handles the ticket and who leads the team (names, for refunds and order notes). */
  handler: string;
  lead: string;
  now: number;
  random: () => number;
}

/** How the customer's payment method, as a conversation names it, shows on the order. */
const PAYMENT_METHODS: Record<string, { method: string; detail: string }> = {
  'bank account (iDEAL)': { method: 'ideal', detail: 'iDEAL (ING)' },
  'credit card': { method: 'card', detail: 'Visa •••• 4242' },
  'PayPal account': { method: 'paypal', detail: 'PayPal' },
  'Klarna account': { method: 'klarna', detail: 'Klarna Pay later' },
  'Bancontact card': { method: 'bancontact', detail: 'Bancontact' },
};

/** Working days a parcel takes from the Netherlands to a country. */
function transitDays(country: string): number {
  return ['NL', 'BE'].includes(country) ? 1 : ['DE', 'AT', 'FR', 'DK', 'LU'].includes(country) ? 2 : 3;
}

/** The house number a customer lives at: the same in every conversation and order. */
export function houseNumberOf(customer: DemoCustomer): number {
  let h = 7;
  for (const ch of customer.email) h = (h * 31 + ch.charCodeAt(0)) % 100_003;
  return 2 + (h % 179);
}

/** A street address as the customer's country writes it. */
export function streetLine(customer: DemoCustomer, houseNo: number | string, street = customer.street): string {
  return ['GB', 'IE', 'FR'].includes(customer.country) ? `${houseNo} ${street}` : `${street} ${houseNo}`;
}

/** The address the store ships to for a customer. */
export function addressOf(customer: DemoCustomer, line1 = streetLine(customer, houseNumberOf(customer))): ShopAddress {
  return { name: customer.name, line1, postal_code: customer.postal, city: customer.city, country: customer.country };
}

/** A tracking number of the carrier's shape (as the conversations quote them). */
function parcelNumber(carrier: string, random: () => number): string {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  switch (carrier) {
    case 'PostNL': return `3SNWOT${digits(9)}`;
    case 'DHL': return `JVGL06${digits(12)}`;
    case 'UPS': return `1ZNW8E2R68${digits(8)}`;
    case 'DPD': return `0${digits(13)}`;
    default: return digits(11);
  }
}

/** The orders a conversation is about, with everything that happened to them by `now`. */
export function tellOrders(s: OrderStoryInput): DemoToldOrder[] {
  const { vars: v, customer, now, random } = s;
  const val = (key: string) => v[key] ?? '';
  const between = (a: number, b: number) => a + random() * (b - a);
  /** When turn i was played (0 = the opening), or undefined when not yet. */
  const T = (i: number): number | undefined => (i === 0 ? s.opening : s.steps[i - 1]);
  const played = (i: number) => T(i) !== undefined;
  const at = (i: number) => T(i) ?? s.opening;
  const transit = transitDays(customer.country);

  /** The instant `days` calendar days after t's local date, at a local minute; Sundays move to Monday. */
  const onDay = (t: number, days: number, minute: number): number => {
    const l = localTime(t);
    const x = zonedTime(l.y, l.mo, l.d + days, Math.round(minute));
    return localTime(x).dow === 0 ? zonedTime(l.y, l.mo, l.d + days + 1, Math.round(minute)) : x;
  };
  /** n working days (Monday–Saturday, when carriers deliver) after t, at a local minute. */
  const workingDays = (t: number, n: number, minute: number): number => {
    const l = localTime(t);
    let d = 0;
    for (let count = 0; count < n;) {
      d++;
      if (localTime(zonedTime(l.y, l.mo, l.d + d, 720)).dow !== 0) count++;
    }
    return zonedTime(l.y, l.mo, l.d + d, Math.round(minute));
  };
  /** When an order placed at t leaves the warehouse: the same afternoon if placed before 14:00. */
  const shipTime = (t: number): number => {
    const l = localTime(t);
    const same = l.dow !== 0 && l.minute < 14 * 60;
    return same ? onDay(t, 0, between(15.5 * 60, 17.5 * 60)) : onDay(t, 1, between(15.5 * 60, 17.5 * 60));
  };
  const deliverTime = (shipped: number, days = transit) => workingDays(shipped, days, between(10 * 60, 17 * 60));
  /** A parcel that left at `shipped`; delivered at `delivered` if that has happened by now. */
  const parcel = (kind: DemoParcel['kind'], shipped: number, eta: number, delivered: number | null, extra: Partial<DemoParcel> = {}): DemoParcel => ({
    kind, carrier: val('carrier'), trackingNumber: parcelNumber(val('carrier'), random), shippedAt: new Date(shipped), estimatedDeliveryAt: new Date(eta),
    ...(delivered !== null && delivered <= now ? { status: 'delivered' as const, deliveredAt: new Date(delivered) } : { status: 'in_transit' as const }),
    ...extra,
  });
  /** The order's first parcel, for an order placed at `placed`, if it has left by now. */
  const shipsAfter = (placed: number, extra: Partial<DemoParcel> = {}): DemoParcel[] => {
    const shipped = shipTime(placed);
    if (shipped > now) return [];
    const delivered = deliverTime(shipped);
    return [parcel('shipment', shipped, delivered, delivered, extra)];
  };
  /** A first parcel delivered at `delivered` (before the customer says so). */
  const deliveredAt = (delivered: number, extra: Partial<DemoParcel> = {}): DemoParcel => {
    const shipped = delivered - transit * DAY - between(2, 8) * HOUR;
    return parcel('shipment', shipped, delivered, delivered, extra);
  };
  /** Today, a while before the customer wrote at t ("it arrived today"). */
  const earlierToday = (t: number) => {
    const x = onDay(t, 0, between(10 * 60, 13 * 60));
    return x < t - 45 * MINUTE ? x : t - between(45, 90) * MINUTE;
  };

  const product = DEMO_ITEMS.find((i) => i.name === val('item'));
  const colours = demoColours(val('item'));
  const colour = colours[Math.floor(random() * colours.length)];
  const main: DemoItemPick = { product: val('item'), ...(product?.sizes ? { size: val('size') } : {}), ...(colour ? { colour } : {}) };
  const second: DemoItemPick = { product: val('item2') };
  const payment = PAYMENT_METHODS[val('payment')] ?? { method: 'card', detail: 'Visa •••• 4242' };
  const order = (placed: number, rest: Partial<DemoToldOrder> = {}): DemoToldOrder => ({
    number: val('order'), customer: { email: customer.email, name: customer.name }, placedAt: new Date(placed), items: [main], address: addressOf(customer),
    carrier: val('carrier'), payment, expectedDeliveryAt: new Date(workingDays(placed, transit + 2, 18 * 60)), parcels: [], ...rest,
  });
  const note = (i: number, body: string, author = s.handler) => ({ at: new Date(at(i)), body, author });
  const quoted = { carrier: val('carrier'), trackingNumber: val('tracking') };
  const second2 = { carrier: val('carrier'), trackingNumber: val('tracking2') };
  const t0 = s.opening;

  switch (s.script) {
    case 'where-is-my-order': {
      // Placed "{when}" before writing, promised in 2–3 working days, still on its way.
      const placed = onDay(t0, -daysAgo(val('when'), t0), between(18 * 60, 22 * 60));
      const shipped = shipTime(placed);
      const promised = workingDays(placed, 3, 18 * 60);
      const confirmed = s.channel === 'phone' ? T(1) : T(2);
      const arrives = confirmed === undefined ? null : workingDays(confirmed, s.channel === 'phone' ? 2 : 1, between(10 * 60, 14 * 60));
      return [order(placed, { expectedDeliveryAt: new Date(promised), parcels: [parcel('shipment', shipped, arrives ?? promised, arrives, quoted)] })];
    }
    case 'parcel-stuck': {
      // No scan for six days; lost in the carrier's network, then reshipped by express.
      const shipped = onDay(t0, -6, between(16 * 60, 19 * 60)) - DAY;
      const placed = shipped - between(14, 30) * HOUR;
      const lost = played(4);
      const parcels: DemoParcel[] = [parcel('shipment', shipped, workingDays(shipped, transit, 18 * 60), null, { ...quoted, ...(lost ? { status: 'exception' as const } : {}) })];
      if (played(5)) parcels.push(parcel('reship', at(5), workingDays(at(5), 1, 12 * 60), workingDays(at(5), 1, between(9 * 60, 12 * 60)), { ...second2, express: true }));
      return [order(placed, {
        expectedDeliveryAt: new Date(workingDays(placed, 3, 18 * 60)), parcels,
        notes: [
          ...(played(1) ? [note(1, `Investigation opened with ${val('carrier')}, case ${val('caseRef')}: no scan since the first one at the hub.`)] : []),
          ...(lost ? [note(4, `${val('carrier')} (case ${val('caseRef')}): parcel lost in their network. Replacement approved, express.`)] : []),
        ],
      })];
    }
    case 'damaged-on-arrival': {
      const delivered = earlierToday(t0);
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const told = [order(placed, {
        parcels: [deliveredAt(delivered)],
        notes: played(3) ? [note(3, `Arrived damaged (box crushed): claim filed with ${val('carrier')}. Free replacement: ${val('order2')}.`)] : [],
      })];
      if (played(3)) {
        const replaced = at(3);
        const shipped = T(4) ?? replaced + 30 * MINUTE;
        const delivered2 = deliverTime(shipped);
        told.push({
          ...order(replaced, { number: val('order2'), discountPercent: 100, parcels: shipped <= now ? [parcel('shipment', shipped, delivered2, delivered2)] : [] }),
          payment: undefined, notes: [note(3, `Free replacement for ${val('order')} (arrived damaged).`)],
        });
      }
      return told;
    }
    case 'exchange-size': {
      const delivered = t0 - between(1, 4) * DAY;
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const replacement: DemoItemPick = { ...main, size: val('size2') };
      const o = order(placed, { parcels: [deliveredAt(delivered)] });
      if (played(2)) {
        const arrives = workingDays(at(2), 2, between(9 * 60, 12 * 60));
        const received = played(3) && arrives <= now;
        o.returns = [{ kind: 'exchange', at: new Date(at(2) - between(3, 20) * HOUR), status: received ? 'received' : 'in_transit', ...(received ? { receivedAt: new Date(arrives) } : {}), items: [0], reason: `Too small: exchange for size ${val('size2')}`, replacement }];
      }
      if (played(3)) o.parcels.push(parcel('exchange', at(3), deliverTime(at(3)), deliverTime(at(3)), { ...second2, replacement }));
      return [o];
    }
    case 'return-request': {
      const delivered = t0 - between(2, 6) * DAY;
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const o = order(placed, { parcels: [deliveredAt(delivered)], notes: [] });
      const phone = s.channel === 'phone';
      const reason = 'Colour darker than expected';
      if (played(2)) {
        const sent = phone ? Math.min(at(1) + between(20, 30) * HOUR, at(2) - 6 * HOUR) : Math.max(at(1) + 2 * HOUR, at(2) - between(1.5, 2.5) * DAY);
        const received = phone ? at(2) - between(1, 3) * HOUR : played(3) ? at(3) - between(18, 26) * HOUR : null;
        o.returns = [{ kind: 'return', at: new Date(sent), status: received ? 'received' : 'in_transit', ...(received ? { receivedAt: new Date(Math.max(received, sent + HOUR)) } : {}), items: [0], reason }];
        if (!phone) o.notes?.push({ at: new Date(sent), body: `Return ${val('order')}-R1 sent back with ${val('carrier')}, tracking ${val('tracking')}.`, author: s.handler });
      }
      if (played(3)) o.refunds = [{ at: new Date(at(3)), what: { items: [0] }, reason: `Returned: ${reason.toLowerCase()}`, by: s.handler }];
      return [o];
    }
    case 'refund-status': {
      // Returned over two weeks ago, in the warehouse for nine days, then refunded.
      const received = t0 - 9 * DAY - between(2, 8) * HOUR;
      const sent = received - between(2, 3) * DAY;
      const delivered = sent - between(3, 8) * DAY;
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      return [order(placed, {
        parcels: [deliveredAt(delivered)],
        returns: [{ kind: 'return', at: new Date(sent), status: 'received', receivedAt: new Date(received), items: [0], reason: 'Does not fit' }],
        ...(played(3) ? { refunds: [{ at: new Date(at(3)), what: { items: [0] }, reason: 'Returned: does not fit', by: s.handler }] } : {}),
      })];
    }
    case 'cancel-order': {
      const placed = t0 - (s.channel === 'phone' ? between(50, 70) : between(5, 40)) * MINUTE;
      return [order(placed, played(1) ? { cancelled: { at: new Date(at(1)), reason: 'Wrong colour chosen; the customer orders again' } } : {})];
    }
    case 'cancel-too-late': {
      const placed = t0 - between(20, 40) * HOUR;
      const shipped = Math.min(shipTime(placed), t0 - between(1, 6) * HOUR);
      const o = order(placed, { parcels: [parcel('shipment', shipped, deliverTime(shipped), null)] });
      if (played(2)) o.notes = [note(2, 'Customer will refuse the parcel at the door; refund when it is back.')];
      if (played(3)) {
        const back = Math.max(at(2) + 2 * HOUR, at(3) - between(3, 20) * HOUR);
        const first = o.parcels[0];
        if (first) first.status = 'returned_to_sender';
        o.returns = [{ kind: 'return', at: new Date(at(2)), status: 'received', receivedAt: new Date(back), items: [0], reason: 'Refused at the door' }];
        o.refunds = [{ at: new Date(at(3)), what: { items: [0] }, reason: 'Refused at the door (cancelled too late)', by: s.handler }];
      }
      return [o];
    }
    case 'change-address': {
      const placed = t0 - between(20, 180) * MINUTE;
      const corrected = played(1);
      const address = addressOf(customer, streetLine(customer, corrected ? val('houseNo') : val('houseNoWrong')));
      return [order(placed, {
        address,
        parcels: corrected ? shipsAfter(at(1)) : [],
        notes: corrected ? [note(1, `Address corrected before packing: house number ${val('houseNoWrong')} → ${val('houseNo')}.`)] : [],
      })];
    }
    case 'redirect-parcel': {
      // Shipped to where the customer lived until last month; the carrier redirects it.
      const placed = t0 - between(24, 50) * HOUR;
      const shipped = Math.min(shipTime(placed), t0 - between(1, 6) * HOUR);
      const old = DEMO_CUSTOMERS.find((c) => c.country === customer.country && c.city !== customer.city) ?? customer;
      const oldAddress: ShopAddress = { ...addressOf(customer), line1: streetLine(old, 12 + (houseNumberOf(customer) % 60)), postal_code: old.postal, city: old.city };
      const arrives = played(4) ? workingDays(at(4), 1, between(10 * 60, 16 * 60)) : null;
      return [order(placed, {
        address: oldAddress,
        parcels: [parcel('shipment', shipped, arrives ?? deliverTime(shipped), arrives, quoted)],
        notes: [
          ...(played(2) ? [note(2, `Redirect requested with ${val('carrier')} (${val('caseRef')}) to ${val('address')}, ${val('city')}.`)] : []),
          ...(played(4) ? [note(4, `${val('carrier')} confirmed the redirect to ${val('address')}, ${val('city')}.`)] : []),
        ],
      })];
    }
    case 'charged-twice': {
      const placed = t0 - between(6, 40) * HOUR;
      return [order(placed, {
        duplicatePaymentAt: new Date(placed + between(1, 3) * MINUTE),
        parcels: shipsAfter(placed),
        ...(played(2) ? { refunds: [{ at: new Date(at(2)), what: 'duplicate_payment' as const, reason: 'Duplicate capture after a 3-D Secure timeout', by: s.lead }] } : {}),
      })];
    }
    case 'missing-item': {
      const delivered = earlierToday(t0);
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const o = order(placed, { items: [main, second], parcels: [deliveredAt(delivered)] });
      if (played(1)) o.notes = [note(1, `Warehouse: the ${val('item2')} was not packed (parcel 0.4 kg light). Sending it separately.`)];
      if (played(2)) o.parcels.push(parcel('reship', at(2), deliverTime(at(2)), deliverTime(at(2)), { ...second2, items: [1] }));
      return [o];
    }
    case 'complaint': {
      // Express, four days late, and the wrong colour; the right one goes out by express.
      const delivered = t0 - between(1, 3) * DAY;
      const promised = delivered - 4 * DAY;
      const placed = promised - transit * DAY - between(2, 6) * HOUR;
      const o = order(placed, { express: true, expectedDeliveryAt: new Date(promised), parcels: [deliveredAt(delivered, { express: true })] });
      if (played(2)) {
        const wrong = colours.find((c) => c !== colour) ?? 'another colour';
        const arrived = played(3) ? at(3) - between(2, 6) * HOUR : workingDays(at(2), 1, between(9 * 60, 12 * 60));
        o.parcels.push(parcel('reship', at(2), workingDays(at(2), 1, 12 * 60), Math.max(arrived, at(2) + 12 * HOUR), { ...second2, express: true }));
        o.refunds = [{ at: new Date(at(2)), what: 'shipping', reason: 'Parcel four days late and the wrong colour', by: s.handler }];
        o.notes = [note(2, `Sent in ${wrong} instead of ${colour ?? 'the ordered colour'}: right colour reshipped by express with a prepaid label for the wrong one; shipping refunded; voucher ${val('voucher')}.`)];
      }
      return [o];
    }
    case 'invoice-request': {
      const placed = t0 - between(3, 20) * DAY;
      return [order(placed, { parcels: shipsAfter(placed), notes: played(1) ? [note(1, `Invoice reissued to ${val('company')}, VAT ${val('vat')}.`)] : [] })];
    }
    case 'payment-failed': {
      if (!played(2)) return [];
      const placed = at(2) - between(5, 25) * MINUTE;
      return [order(placed, { parcels: shipsAfter(placed) })];
    }
    case 'before-trip': {
      if (!played(2)) return [];
      const placed = at(2) - between(3, 15) * MINUTE;
      const shipped = played(3) ? Math.max(at(3) + 30 * MINUTE, onDay(at(3), 0, between(15.5 * 60, 17 * 60))) : shipTime(placed);
      const delivered = workingDays(shipped, 1, between(9 * 60, 12 * 60));
      return [order(placed, {
        express: true, expectedDeliveryAt: new Date(workingDays(placed, 1, 18 * 60)),
        parcels: shipped <= now ? [parcel('shipment', shipped, delivered, delivered, { express: true })] : [],
      })];
    }
    case 'group-order': {
      if (!played(4)) return [];
      const placed = at(4) - between(5, 40) * MINUTE;
      const shipped = workingDays(placed, 2, between(15 * 60, 17 * 60));
      const delivered = deliverTime(shipped);
      const boxes = shipped <= now ? [parcel('shipment', shipped, delivered, delivered, { items: [0], quantity: 9 }), parcel('shipment', shipped, delivered, delivered, { items: [0], quantity: 9 })] : [];
      return [order(placed, {
        items: [{ ...main, quantity: 18 }], discountPercent: 15, payment: { method: 'invoice', detail: 'Invoice, 30 days', status: 'pending' },
        expectedDeliveryAt: new Date(workingDays(placed, 2 + transit, 18 * 60)), parcels: boxes,
        notes: [note(4, 'Group order: 15% off and payment on invoice within 30 days, approved by the team lead.')],
      })];
    }
    case 'gift-note': {
      const placed = t0 - between(1, 6) * HOUR;
      if (!played(1)) return [order(placed, { parcels: shipsAfter(placed) })];
      const shipped = workingDays(at(1), 1, between(15 * 60, 17 * 60));
      const delivered = deliverTime(shipped);
      return [order(placed, {
        parcels: shipped <= now ? [parcel('shipment', shipped, delivered, delivered)] : [],
        notes: [note(1, 'Gift: no invoice in the parcel (emailed instead); card: "Happy birthday, see you on the trail!"')],
      })];
    }
    case 'when-ship': {
      const placed = t0 - between(3, 20) * HOUR;
      if (!played(1)) return [order(placed)];
      const shipped = Math.max(at(1) + 30 * MINUTE, onDay(at(1), 0, between(15.5 * 60, 17 * 60)));
      const delivered = deliverTime(shipped);
      return [order(placed, { parcels: shipped <= now ? [parcel('shipment', shipped, delivered, delivered)] : [] })];
    }
    case 'pickup-point': {
      // At a pickup point since before the customer wrote; collected on the Saturday they name.
      const placed = t0 - between(3, 5) * DAY;
      const shipped = shipTime(placed);
      let collected: number | null = null;
      if (played(2)) {
        const dow = localTime(at(2)).dow;
        collected = onDay(at(2), ((6 - dow + 7) % 7) || 7, between(10 * 60, 13 * 60));
      }
      return [order(placed, { parcels: [parcel('shipment', shipped, deliverTime(shipped), collected)] })];
    }
    case 'poles-snapped': {
      const delivered = t0 - between(3, 10) * DAY;
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const o = order(placed, { parcels: [deliveredAt(delivered)] });
      if (played(3)) o.parcels.push(parcel('reship', at(3), deliverTime(at(3)), deliverTime(at(3)), { ...second2, part: `Lower section, ${val('item')}` }));
      return [o];
    }
    case 'split-shipment': {
      const delivered = earlierToday(t0);
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const shipped2 = t0 - between(2, 12) * HOUR;
      const arrives = workingDays(Math.max(t0, T(1) ?? t0), 1, between(10 * 60, 16 * 60));
      return [order(placed, {
        items: [main, second],
        parcels: [deliveredAt(delivered, { items: [0] }), parcel('shipment', shipped2, arrives, arrives, { ...second2, items: [1] })],
      })];
    }
    case 'wrong-item': {
      const delivered = earlierToday(t0);
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const o = order(placed, { parcels: [deliveredAt(delivered)] });
      if (played(1)) {
        const arrived = played(2) ? at(2) - between(2, 6) * HOUR : deliverTime(at(1));
        o.parcels.push(parcel('reship', at(1), deliverTime(at(1)), Math.max(arrived, at(1) + 12 * HOUR), second2));
        o.notes = [note(1, `Packed the ${val('item2')} instead of the ${val('item')}: right item sent, return label for the ${val('item2')} emailed.`)];
      }
      return [o];
    }
    case 'marked-delivered': {
      // The carrier scanned it delivered yesterday at 14:12, at the wrong house.
      const l = localTime(t0);
      const delivered = zonedTime(l.y, l.mo, l.d - 1, 14 * 60 + 12);
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const phone = s.channel === 'phone';
      const reshipTurn = phone ? 3 : 5;
      const proofTurn = phone ? 2 : 4;
      const o = order(placed, {
        parcels: [deliveredAt(delivered)],
        notes: [
          ...(played(phone ? 1 : 2) ? [note(phone ? 1 : 2, `Asked ${val('carrier')} for proof of delivery, case ${val('caseRef')}.`)] : []),
          ...(played(proofTurn) ? [note(proofTurn, `${val('carrier')} proof of delivery: scanned at a different house number. Claim filed, reship approved.`)] : []),
        ],
      });
      if (played(reshipTurn)) o.parcels.push(parcel('reship', at(reshipTurn), deliverTime(at(reshipTurn)), deliverTime(at(reshipTurn)), second2));
      return [o];
    }
    case 'return-label': {
      const delivered = t0 - between(3, 8) * DAY;
      const placed = delivered - transit * DAY - between(20, 40) * HOUR;
      const received = played(3) ? at(3) - between(3, 8) * HOUR : null;
      return [order(placed, {
        parcels: [deliveredAt(delivered)],
        returns: [{ kind: 'return', at: new Date(t0 - between(2, 20) * HOUR), status: received ? 'received' : played(2) ? 'in_transit' : 'requested', ...(received ? { receivedAt: new Date(received) } : {}), items: [0], reason: 'Changed my mind' }],
        ...(played(3) ? { refunds: [{ at: new Date(at(3)), what: { items: [0] }, reason: 'Returned', by: s.handler }] } : {}),
        ...(played(1) ? { notes: [note(1, 'The first return label could not be scanned; sent a new one.')] } : {}),
      })];
    }
    case 'warranty-zipper': {
      // Bought about a year and a half ago; the repair's parcels are noted on the order.
      const placed = t0 - between(520, 560) * DAY;
      const shipped = shipTime(placed);
      const delivered = deliverTime(shipped);
      return [order(placed, {
        number: val('oldOrder'),
        parcels: [parcel('shipment', shipped, delivered, delivered)],
        notes: [
          ...(played(2) ? [note(2, `Warranty repair (zipper): the customer sent the ${val('item')} in with ${val('carrier')}, tracking ${val('tracking')}.`)] : []),
          ...(played(4) ? [note(4, `Zipper slider replaced under warranty; sent back with ${val('carrier')}, tracking ${val('tracking2')}.`)] : []),
        ],
      })];
    }
    default:
      return [];
  }
}

/** How many days back "{when}" is from a day ("last Monday" from a Thursday is 3). */
function daysAgo(when: string, t: number): number {
  const dow = localTime(t).dow;
  switch (when) {
    case 'last Monday': return (dow + 6) % 7 < 4 ? ((dow + 6) % 7) + 7 : (dow + 6) % 7;
    case 'on Tuesday last week': return ((dow + 5) % 7) + 7;
    case 'ten days ago': return 10;
    case 'eight days ago': return 8;
    default: return 7;
  }
}
