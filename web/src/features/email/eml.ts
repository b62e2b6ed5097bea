/**
 * Reads an original email (.eml) well enough to show it: headers (with encoded words decoded),
 * the plain-text and HTML bodies (base64 and quoted-printable, any charset the browser knows),
 * and the attachments' names and sizes. Malformed mail never throws: what cannot be read is
 * left out, and the raw source is always there to look at.
 */

/** One attachment of the email (not decoded; only described). */
export interface EmlAttachment {
  filename: string;
  contentType: string;
  /** Approximate decoded size in bytes. */
  size: number;
}

/** What the viewer shows of an email. */
export interface ParsedEml {
  headers: Array<[string, string]>;
  /** The first value of a header, by lower-case name. */
  header: (name: string) => string | null;
  text: string | null;
  html: string | null;
  attachments: EmlAttachment[];
}

interface Part {
  headers: Array<[string, string]>;
  body: string;
}

function splitPart(raw: string): Part {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers: Array<[string, string]> = [];
  for (const line of head.split(/\r?\n/)) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last[1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { headers, body };
}

function first(headers: Array<[string, string]>, name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
}

/** A header parameter such as `boundary` or `charset`. */
function param(value: string | null, name: string): string | null {
  if (!value) return null;
  const m = new RegExp(`(?:^|;)\\s*${name}\\*?=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(value);
  const found = m?.[1] ?? m?.[2] ?? null;
  if (found && /^[\w-]+'[\w-]*'/.test(found)) {
    // RFC 2231: charset'lang'percent-encoded
    try {
      return decodeURIComponent(found.replace(/^[\w-]+'[\w-]*'/, ''));
    } catch {
      return found;
    }
  }
  return found;
}

function decodeBytes(bytes: Uint8Array, charset: string | null): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function base64Bytes(text: string): Uint8Array {
  try {
    const binary = atob(text.replace(/[^A-Za-z0-9+/=]/g, ''));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

function quotedPrintableBytes(text: string, underscoreIsSpace = false): Uint8Array {
  const source = text.replace(/=\r?\n/g, '');
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    const hex = source.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (underscoreIsSpace && c === '_') {
      out.push(32);
    } else {
      out.push(...encoder.encode(c));
    }
  }
  return Uint8Array.from(out);
}

/** Decodes RFC 2047 encoded words: `=?utf-8?Q?Caf=C3=A9?=` → "Café". */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, charset: string, encoding: string, text: string) =>
      decodeBytes(encoding.toUpperCase() === 'B' ? base64Bytes(text) : quotedPrintableBytes(text, true), charset.replace(/\*.*$/, '')),
    );
}

function decodeBody(part: Part): string {
  const encoding = (first(part.headers, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  const charset = param(first(part.headers, 'content-type'), 'charset');
  if (encoding === 'base64') return decodeBytes(base64Bytes(part.body), charset);
  if (encoding === 'quoted-printable') return decodeBytes(quotedPrintableBytes(part.body), charset);
  return part.body;
}

function walk(part: Part, out: { text: string | null; html: string | null; attachments: EmlAttachment[] }, depth: number): void {
  const type = (first(part.headers, 'content-type') ?? 'text/plain').toLowerCase();
  const disposition = first(part.headers, 'content-disposition');
  const filename = param(disposition, 'filename') ?? param(first(part.headers, 'content-type'), 'name');
  if (type.startsWith('multipart/') && depth < 10) {
    const boundary = param(first(part.headers, 'content-type'), 'boundary');
    if (!boundary) return;
    const pieces = part.body.split(new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?$`, 'm'));
    for (const piece of pieces.slice(1, -1)) walk(splitPart(piece.replace(/^\r?\n/, '')), out, depth + 1);
    return;
  }
  const isAttachment = (disposition ?? '').toLowerCase().startsWith('attachment') || (filename !== null && !type.startsWith('text/'));
  if (!isAttachment && type.startsWith('text/plain') && out.text === null) {
    out.text = decodeBody(part);
  } else if (!isAttachment && type.startsWith('text/html') && out.html === null) {
    out.html = decodeBody(part);
  } else if (filename || isAttachment) {
    const encoding = (first(part.headers, 'content-transfer-encoding') ?? '').toLowerCase();
    const length = part.body.replace(/\s+/g, '').length;
    out.attachments.push({
      filename: decodeWords(filename ?? 'attachment'),
      contentType: type.split(';')[0]?.trim() ?? type,
      size: encoding === 'base64' ? Math.floor((length * 3) / 4) : part.body.length,
    });
  }
}

/** Parses an email's source for display. */
export function parseEml(raw: string): ParsedEml {
  const root = splitPart(raw);
  const headers = root.headers.map(([k, v]): [string, string] => [k, decodeWords(v)]);
  const out: { text: string | null; html: string | null; attachments: EmlAttachment[] } = { text: null, html: null, attachments: [] };
  try {
    walk(root, out, 0);
  } catch {
    // Unreadable structure: the source view still shows everything.
  }
  return { headers, header: (name) => first(headers, name), ...out };
}
