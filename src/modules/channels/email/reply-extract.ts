/**
 * The new part of an email: quoted history and signatures removed, so agents read what the
 * customer just wrote. Plain text goes through email-reply-parser (quote headers in many
 * languages, `>` quotes, `--` signatures); HTML is cut at the quote containers that mail
 * clients mark (Gmail, Apple Mail, Thunderbird, Outlook, Yahoo). The full original is kept.
 */
import EmailReplyParser from 'email-reply-parser';

const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|originalmeddelande)\s*-{2,}/i;
const DASHED_WROTE = /^\s*-{2,}\s*(on|am|le|el)\s.+\s(wrote|schrieb|a écrit|escribió)\s*-{2,}\s*$/i;
const FROM_LINE = /^\s*[*_]*(from|von|de|van|od|от|från|fra|da|lähettäjä)[*_]*\s*:/i;
const SENT_LINE = /^\s*[*_]*(sent|date|gesendet|datum|envoyé|date d'envoi|enviado|fecha|data|wysłano|отправлено|skickat|sendt|inviato|lähetetty)[*_]*\s*:/i;
const SEPARATOR = /^\s*([-_=]\s*){5,}\s*$/;
const WROTE_END = /(wrote|schrieb|a écrit|escribió|scrisse|schreef|napisał|написал|skrev|kirjoitti)[^:]{0,60}:\s*$|\b(uhr|am|pm)\s*:\s*$/i;
const GMAIL_ISO_HEADER = /^\s*\d{4}-\d{2}-\d{2} \d{1,2}:\d{2} GMT[+-]\d{2}:\d{2} \S.*$/;
const TRAILING_NOISE = /^\s*([-*#~=_+ᐧ]\s*)*$/;

/**
 * Quote headers email-reply-parser leaves in: Outlook's From/Sent block (often after a rule),
 * "-----Original Message-----", "---- On … wrote ----", and "… schrieb am … Uhr:" spread over
 * lines before a `>` quote. Cuts at the first one, then drops trailing rule lines.
 */
function cutQuoteHeaders(text: string): string {
  const lines = text.split('\n');
  const nextNonEmpty = (from: number) => {
    for (let j = from; j < lines.length && j < from + 4; j++) if ((lines[j] ?? '').trim()) return j;
    return -1;
  };
  let cut = lines.length;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (ORIGINAL_MESSAGE.test(line) || DASHED_WROTE.test(line) || GMAIL_ISO_HEADER.test(line)) { cut = i; break; }
    if (FROM_LINE.test(line) && lines.slice(i + 1, i + 6).some((l) => SENT_LINE.test(l))) {
      cut = i;
      const prev = i - 1 >= 0 ? [i - 1, i - 2, i - 3].find((j) => j >= 0 && (lines[j] ?? '').trim()) : undefined;
      if (prev !== undefined && SEPARATOR.test(lines[prev] ?? '')) cut = prev;
      break;
    }
    if (SEPARATOR.test(line)) {
      const n = nextNonEmpty(i + 1);
      if (n >= 0 && FROM_LINE.test(lines[n] ?? '')) { cut = i; break; }
    }
    if (WROTE_END.test(line)) {
      const n = nextNonEmpty(i + 1);
      if (n >= 0 && (lines[n] ?? '').trimStart().startsWith('>')) {
        // The header may start one or two lines up ("Name <addr> schrieb am Fr., 28.\nApr. 2017 um 11:53 Uhr:").
        let start = i;
        for (let j = i - 1; j >= Math.max(1, i - 2); j--) {
          if ((lines[j] ?? '').trim() && !/[.!?]\s*$/.test(lines[j] ?? '')) start = j;
          else break;
        }
        cut = start;
        break;
      }
    }
  }
  const kept = lines.slice(0, cut);
  const dropTrailingNoise = () => {
    while (kept.length > 1 && TRAILING_NOISE.test(kept[kept.length - 1] ?? '')) kept.pop();
  };
  dropTrailingNoise();
  // A quote header left dangling once the quote itself was removed ("… wrote:" spread over up to three lines).
  for (let n = 1; n <= 3 && kept.length > n; n++) {
    const tail = kept.slice(-n).join(' ');
    // Only when it follows a finished sentence, so "the manual says, at 10 am:" stays.
    if (WROTE_END.test(tail) && /[.!?]\s*$/.test(kept[kept.length - n - 1] ?? '.')) {
      kept.splice(kept.length - n, n);
      dropTrailingNoise();
      break;
    }
  }
  return kept.join('\n');
}

/** Removes quoted history and signature from a plain-text body. */
export function extractReplyText(text: string): string {
  const normalized = text.replace(/\r\n/g, '\n');
  let reply: string;
  try {
    reply = new EmailReplyParser().parseReply(normalized);
  } catch {
    reply = normalized;
  }
  const trimmed = cutQuoteHeaders(reply).replace(/\s+$/, '');
  return trimmed.trim() ? trimmed : normalized.trim();
}

/** Where mail clients start the quoted part of an HTML reply. */
const HTML_QUOTE_STARTS: RegExp[] = [
  /<div[^>]*class="[^"]*\bgmail_quote\b[^"]*"/i,
  /<div[^>]*class="[^"]*\bgmail_attr\b[^"]*"/i,
  /<blockquote[^>]*type="cite"/i,
  /<div[^>]*class="[^"]*\bmoz-cite-prefix\b[^"]*"/i,
  /<div[^>]*id="divRplyFwdMsg"/i,
  /<div[^>]*id="appendonsend"/i,
  /<hr[^>]*id="stopSpelling"/i,
  /<div[^>]*class="[^"]*\byahoo_quoted\b[^"]*"/i,
  /<div[^>]*id="(?:OLK_SRC_BODY_SECTION|mail-editor-reference-message-container)"/i,
  /<div[^>]*style="[^"]*border-top:\s*solid\s+#[0-9a-f]{6}\s+1(?:\.0)?pt[^"]*"/i,
];

/** Cuts an HTML body at the first quote container; returns it unchanged when there is none. */
export function extractReplyHtml(html: string): { html: string; cut: boolean } {
  let cutAt = -1;
  for (const re of HTML_QUOTE_STARTS) {
    const m = re.exec(html);
    if (m && (cutAt < 0 || m.index < cutAt)) cutAt = m.index;
  }
  if (cutAt <= 0) return { html, cut: false };
  return { html: html.slice(0, cutAt), cut: true };
}
