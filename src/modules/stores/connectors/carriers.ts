/**
 * Parcel carriers: the link to a carrier's tracking page, and the shapes tracking numbers take,
 * so a number pasted into a message can be recognised. Platforms that give no tracking URL
 * (Vendure, the built-in store) get one from here.
 */

interface CarrierInfo {
  /** Names platforms use for the carrier, lower case. */
  aliases: readonly string[];
  /** The public tracking page for a number (and the destination postcode where the carrier needs it). */
  url: (trackingNumber: string, postalCode: string | null, country: string | null) => string;
}

const CARRIERS: readonly CarrierInfo[] = [
  { aliases: ['dhl', 'dhl parcel', 'dhl express', 'dhl ecommerce'], url: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=${encodeURIComponent(n)}` },
  {
    aliases: ['postnl'],
    url: (n, pc, country) => `https://jouw.postnl.nl/track-and-trace/${encodeURIComponent(n)}-${encodeURIComponent((country ?? 'NL').toUpperCase())}-${encodeURIComponent((pc ?? '').replace(/\s+/g, ''))}`,
  },
  { aliases: ['ups'], url: (n) => `https://www.ups.com/track?tracknum=${encodeURIComponent(n)}` },
  { aliases: ['dpd'], url: (n) => `https://tracking.dpd.de/status/en_US/parcel/${encodeURIComponent(n)}` },
  { aliases: ['gls'], url: (n) => `https://gls-group.com/EU/en/parcel-tracking?match=${encodeURIComponent(n)}` },
  { aliases: ['fedex'], url: (n) => `https://www.fedex.com/fedextrack/?trknbr=${encodeURIComponent(n)}` },
  { aliases: ['usps'], url: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${encodeURIComponent(n)}` },
  { aliases: ['royal mail'], url: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${encodeURIComponent(n)}` },
  { aliases: ['bpost'], url: (n, pc) => `https://track.bpost.cloud/btr/web/#/search?itemCode=${encodeURIComponent(n)}&postalCode=${encodeURIComponent(pc ?? '')}` },
];

/** The carrier's tracking page for a parcel, or null for a carrier we do not know. */
export function trackingUrlFor(carrier: string | null, trackingNumber: string | null, postalCode: string | null = null, country: string | null = null): string | null {
  if (!carrier || !trackingNumber) return null;
  const key = carrier.trim().toLowerCase();
  const info = CARRIERS.find((c) => c.aliases.includes(key));
  return info ? info.url(trackingNumber, postalCode, country) : null;
}

/**
 * Shapes of tracking numbers, specific enough not to match prices, phone numbers or dates:
 * UPS 1Z…, PostNL 3S…, DHL eCommerce JJD…/JVGL…, UPU S10 (AB123456789NL), USPS 20–22 digits
 * starting 9, and long digit runs (DHL, DPD, GLS, FedEx) only where the text says "track".
 */
const SPECIFIC = [
  /\b1Z[0-9A-Z]{16}\b/g,
  /\b3S[A-Z]{4}\d{6,12}\b/g,
  /\bJ(?:JD|VGL)\d{8,20}\b/g,
  /\b[A-Z]{2}\d{9}[A-Z]{2}\b/g,
  /\b9[1-5]\d{18,20}\b/g,
];
const DIGITS_NEAR_TRACK = /(?:track(?:ing)?|sendung|zending|parcel|colis|paket)[^\n\d]{0,40}(\d{10,22})\b/gi;

/** Candidate tracking numbers in a text, in order of appearance, without repeats (at most 10). */
export function findTrackingCandidates(text: string): string[] {
  const found: { at: number; value: string }[] = [];
  const upper = text.toUpperCase();
  for (const re of SPECIFIC) {
    for (const m of upper.matchAll(re)) found.push({ at: m.index ?? 0, value: m[0] });
  }
  for (const m of text.matchAll(DIGITS_NEAR_TRACK)) {
    if (m[1]) found.push({ at: (m.index ?? 0) + m[0].length - m[1].length, value: m[1] });
  }
  const out: string[] = [];
  for (const f of found.sort((a, b) => a.at - b.at)) if (!out.includes(f.value)) out.push(f.value);
  return out.slice(0, 10);
}
