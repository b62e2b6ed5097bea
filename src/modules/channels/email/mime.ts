/**
 * MIME parsing: raw bytes in, the parts storedesk uses out. mailparser decodes transfer
 * encodings and charsets (iconv-lite); anything it cannot read is recorded in `problems`
 * instead of failing, so a malformed email is still stored and shown as far as it can be read.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

/** One address with its display name. */
export interface MailAddress {
  address: string;
  name: string | null;
}

/** One attachment or inline part, with its bytes. */
export interface ParsedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  contentId: string | null;
  inline: boolean;
}

/** What storedesk reads from one email. */
export interface ParsedEmail {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress | null;
  subject: string;
  date: Date | null;
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
  /** Header values by lower-case name, unfolded, first occurrence (raw, not decoded). */
  headers: Map<string, string>;
  /** Content type of the top-level part, lower case, without parameters. */
  contentType: string;
  /** report-type parameter of a multipart/report. */
  reportType: string | null;
  /** What could not be read (e.g. `mime_parse_failed`, `undecodable_characters`, `missing_from`). */
  problems: string[];
}

/** Message-IDs in a header value, without angle brackets. */
export function messageIdsIn(value: string | string[] | undefined | null): string[] {
  const values = Array.isArray(value) ? value : value ? [value] : [];
  const ids: string[] = [];
  for (const v of values) {
    const matches = v.match(/<[^<>\s]+>/g);
    if (matches) ids.push(...matches.map((m) => m.slice(1, -1)));
    else if (v.trim() && !/\s/.test(v.trim())) ids.push(v.trim().replace(/^<|>$/g, ''));
  }
  return [...new Set(ids)];
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: MailAddress[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const e of entries) {
      if (e.group) walk(e.group);
      else if (e.address) out.push({ address: e.address.trim().toLowerCase(), name: e.name?.trim() || null });
    }
  };
  for (const a of list) walk(a.value);
  return out;
}

/** Raw header lines unfolded, by lower-case name (first occurrence wins). */
function headerMap(raw: Buffer): Map<string, string> {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  const map = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(i + 1).trim());
  }
  return map;
}

/** Body of a message that mailparser could not parse: everything after the header block. */
function fallbackBody(raw: Buffer): string {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  return end >= 0 ? text.slice(end).trim() : '';
}

function toParsed(mail: ParsedMail, headers: Map<string, string>, problems: string[]): ParsedEmail {
  const from = addresses(mail.from)[0] ?? null;
  if (!from) problems.push('missing_from');
  const ct = mail.headers.get('content-type');
  const contentType = typeof ct === 'object' && ct && 'value' in ct ? String(ct.value).toLowerCase() : 'text/plain';
  const reportType = typeof ct === 'object' && ct && 'params' in ct ? ((ct.params as Record<string, string>)['report-type'] ?? null) : null;
  const text = mail.text ?? '';
  const html = typeof mail.html === 'string' ? mail.html : null;
  if (text.includes('\uFFFD') || (html ?? '').includes('\uFFFD')) problems.push('undecodable_characters');
  return {
    messageId: messageIdsIn(mail.messageId)[0] ?? null,
    inReplyTo: messageIdsIn(mail.inReplyTo),
    references: messageIdsIn(mail.references),
    from,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    replyTo: addresses(mail.replyTo)[0] ?? null,
    subject: (mail.subject ?? '').replace(/\s+/g, ' ').trim(),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text,
    html,
    attachments: mail.attachments.map((a) => ({
      filename: (a.filename ?? '').trim() || defaultFilename(a.contentType),
      contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
      content: a.content,
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
      inline: a.contentDisposition === 'inline' || Boolean(a.related),
    })),
    headers,
    contentType,
    reportType: reportType ? reportType.toLowerCase() : null,
    problems,
  };
}

function defaultFilename(contentType: string): string {
  if (contentType === 'message/rfc822') return 'message.eml';
  if (contentType === 'message/delivery-status') return 'delivery-status.txt';
  if (contentType === 'text/rfc822-headers') return 'headers.txt';
  const sub = contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
  return `attachment.${sub}`;
}

/**
 * NUL characters appear in real mail (broken clients, binary pasted into a body, a header
 * encoded as UTF-16) but PostgreSQL text and jsonb cannot hold them: they are removed from every
 * string storedesk keeps (the raw .eml keeps the bytes as they came), and the removal is flagged.
 */
function withoutNul(email: ParsedEmail): ParsedEmail {
  let found = false;
  const clean = (value: string): string => {
    if (!value.includes('\u0000')) return value;
    found = true;
    return value.replaceAll('\u0000', '');
  };
  const address = (a: MailAddress): MailAddress => ({ address: clean(a.address), name: a.name === null ? null : clean(a.name) || null });
  const headers = new Map<string, string>();
  for (const [name, value] of email.headers) headers.set(clean(name), clean(value));
  const result: ParsedEmail = {
    ...email,
    messageId: email.messageId === null ? null : clean(email.messageId) || null,
    inReplyTo: email.inReplyTo.map(clean).filter(Boolean),
    references: email.references.map(clean).filter(Boolean),
    from: email.from && address(email.from),
    to: email.to.map(address),
    cc: email.cc.map(address),
    replyTo: email.replyTo && address(email.replyTo),
    subject: clean(email.subject),
    text: clean(email.text),
    html: email.html === null ? null : clean(email.html),
    attachments: email.attachments.map((a) => ({ ...a, filename: clean(a.filename) || defaultFilename(a.contentType), contentId: a.contentId === null ? null : clean(a.contentId) || null })),
    headers,
    reportType: email.reportType === null ? null : clean(email.reportType),
  };
  return found ? { ...result, problems: [...result.problems, 'nul_characters_removed'] } : result;
}

/** Parses raw email bytes; never throws. */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  return withoutNul(await parseEmailAsIs(raw));
}

async function parseEmailAsIs(raw: Buffer): Promise<ParsedEmail> {
  const headers = headerMap(raw);
  const problems: string[] = [];
  try {
    const mail = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true, keepCidLinks: true, maxHtmlLengthToParse: 5 * 1024 * 1024 });
    return toParsed(mail, headers, problems);
  } catch (err) {
    problems.push('mime_parse_failed');
    const fromHeader = headers.get('from') ?? '';
    const addr = /<([^<>@\s]+@[^<>\s]+)>/.exec(fromHeader)?.[1] ?? /([^\s<>"]+@[^\s<>"]+)/.exec(fromHeader)?.[1];
    if (!addr) problems.push('missing_from');
    return {
      messageId: messageIdsIn(headers.get('message-id'))[0] ?? null,
      inReplyTo: messageIdsIn(headers.get('in-reply-to')),
      references: messageIdsIn(headers.get('references')),
      from: addr ? { address: addr.toLowerCase(), name: null } : null,
      to: [],
      cc: [],
      replyTo: null,
      subject: (headers.get('subject') ?? '').trim(),
      date: null,
      text: fallbackBody(raw),
      html: null,
      attachments: [],
      headers,
      contentType: (headers.get('content-type') ?? 'text/plain').split(';')[0]?.trim().toLowerCase() ?? 'text/plain',
      reportType: null,
      problems: [...problems, `parse_error: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown'}`],
    };
  }
}

/** Fingerprint of what a person wrote: same sender, subject and body give the same hash. */
export function contentHash(email: ParsedEmail): string {
  const h = createHash('sha256');
  h.update(email.from?.address ?? '');
  h.update('\n');
  h.update(email.subject.replace(/^((re|fwd?|aw|sv|wg)\s*:\s*)+/i, '').trim().toLowerCase());
  h.update('\n');
  h.update((email.text || email.html || '').replace(/\s+/g, ' ').trim());
  for (const a of email.attachments) h.update(createHash('sha256').update(a.content).digest('hex'));
  return h.digest('hex');
}
