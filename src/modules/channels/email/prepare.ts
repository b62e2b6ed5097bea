/**
 * Everything about an inbound email that needs no database: MIME parsing, the raw .eml and the
 * attachments written to the blob store (content type read from the bytes), the content hash
 * for dedup, bounce and auto-reply detection, the new part of the text without quoted history,
 * and its safe HTML with inline images pointing at their attachment URLs.
 *
 * It is a pure function of the bytes (plus the blob store it writes to), so it can run on a
 * worker thread (`prepare-pool.ts`): that is most of an email's CPU, and the server's main
 * thread then only runs the transaction. What it returns is plain data that crosses threads.
 */
import { randomBytes } from 'node:crypto';
import type { AttachmentMeta } from '../../../db/schema.ts';
import type { BlobStore } from '../../../blobs/blob-store.ts';
import { detectContentType, safeFilename } from '../../../blobs/content-type.ts';
import { htmlToText, sanitizeMessageHtml } from '../../../shared/html.ts';
import { attachmentUrl } from '../../tickets/tickets.schema.ts';
import { classifyAutomated, detectBounce, type AutomatedVerdict, type BounceReport } from './classify.ts';
import { contentHash, parseEmail, type ParsedAttachment, type ParsedEmail } from './mime.ts';
import { extractReplyHtml, extractReplyText } from './reply-extract.ts';

/** The parsed email without its attachments' bytes (those are in the blob store by now). */
export type EmailHead = Omit<ParsedEmail, 'attachments'> & { attachments: Array<Omit<ParsedAttachment, 'content'>> };

/** What preparing an email gives the transaction. */
export interface PreparedEmail {
  email: EmailHead;
  /** Blob key of the raw .eml, as received. */
  rawKey: string;
  attachments: AttachmentMeta[];
  /** What could not be read or kept (malformed MIME, attachments over the limit…). */
  problems: string[];
  /** Same sender, subject and content give the same hash (dedup of re-sent mail). */
  hash: string;
  bounce: BounceReport | null;
  automated: AutomatedVerdict;
  /** The new part as text, the whole text, and whether quoted history was cut. */
  body: { text: string; full: string; quotedRemoved: boolean };
  /** Safe HTML of the new part, for the message whose id was given; null for a plain-text email. */
  html: { html: string; blockedRemoteImages: number } | null;
}

/** What preparation needs besides the bytes. */
export interface PrepareOptions {
  /** Attachments larger than this are not stored (the email is, flagged). */
  maxAttachmentBytes: number;
  /** SMTP MAIL FROM ('' for the null sender of bounces). */
  envelopeFrom?: string | null | undefined;
  /** The id the message will have: inline images in its HTML link to its attachment URLs. */
  messageId: string;
}

/** Stores attachments in the blob store (all at once), with the content type read from the bytes. */
async function storeAttachments(email: ParsedEmail, blobs: BlobStore, maxBytes: number, problems: string[]): Promise<AttachmentMeta[]> {
  const kept = email.attachments.filter((a) => {
    if (a.content.length <= maxBytes) return true;
    problems.push(`attachment_too_large: ${a.filename}`);
    return false;
  });
  return Promise.all(
    kept.map(async (a): Promise<AttachmentMeta> => {
      const [blob, contentType] = await Promise.all([blobs.put(a.content), detectContentType(a.content, a.contentType)]);
      return {
        id: randomBytes(8).toString('hex'),
        filename: safeFilename(a.filename),
        content_type: contentType,
        size: a.content.length,
        ...(a.inline ? { inline: true } : {}),
        ...(a.contentId ? { content_id: a.contentId } : {}),
        blob_key: blob.key,
      };
    }),
  );
}

/** The new part of the email as text, and whether quoted history was removed. */
function replyText(email: ParsedEmail): PreparedEmail['body'] {
  const full = (email.text || (email.html ? htmlToText(email.html) : '')).replace(/\r\n/g, '\n').trim();
  const text = extractReplyText(full);
  return { text, full, quotedRemoved: text.trim() !== full };
}

/** Safe HTML of the new part, with inline images pointing at their attachment URLs. */
function replyHtml(email: ParsedEmail, messageId: string, attachments: AttachmentMeta[]): PreparedEmail['html'] {
  if (!email.html) return null;
  const byCid = new Map(attachments.filter((a) => a.content_id).map((a) => [a.content_id ?? '', a]));
  const resolveCid = (cid: string) => {
    const a = byCid.get(cid.replace(/^<|>$/g, ''));
    return a ? attachmentUrl(messageId, a) : undefined;
  };
  const cut = extractReplyHtml(email.html);
  let s = sanitizeMessageHtml(cut.html, { resolveCid });
  // Cutting the quote left nothing to show (the whole email was quoted): show all of it.
  if (cut.cut && !htmlToText(s.html).trim() && !/<img/i.test(s.html)) s = sanitizeMessageHtml(email.html, { resolveCid });
  return { html: s.html, blockedRemoteImages: s.blockedRemoteImages };
}

/** Prepares one email for the transaction; never throws for what the email contains. */
export async function prepareEmail(raw: Buffer, blobs: BlobStore, o: PrepareOptions): Promise<PreparedEmail> {
  // Parsing and writing the raw .eml (with its fsync) overlap; attachments follow in parallel.
  const [email, rawBlob] = await Promise.all([parseEmail(raw), blobs.put(raw)]);
  const problems = [...email.problems];
  const attachments = await storeAttachments(email, blobs, o.maxAttachmentBytes, problems);
  return {
    email: { ...email, attachments: email.attachments.map(({ content: _bytes, ...rest }) => rest) },
    rawKey: rawBlob.key,
    attachments,
    problems,
    hash: contentHash(email),
    bounce: detectBounce(email),
    automated: classifyAutomated(email, o.envelopeFrom),
    body: replyText(email),
    html: replyHtml(email, o.messageId, attachments),
  };
}
