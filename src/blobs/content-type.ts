/**
 * What a file really is: the content type read from its bytes (magic numbers), not only what the
 * sender or browser claimed. Text types that have no magic number are believed from the claim;
 * anything else unrecognised is application/octet-stream, served as a download.
 */
import { fileTypeFromBuffer } from 'file-type';

/** Types without a magic number that are believed from the declared type. */
const DECLARED_TEXT = /^(text\/(plain|csv|calendar|x-vcard|vcard|html)|message\/)/;

/** The content type of some bytes, given the type someone declared for them. */
export async function detectContentType(bytes: Uint8Array, declared: string): Promise<string> {
  const sniffed = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (sniffed) return sniffed.mime;
  const claimed = declared.split(';')[0]?.trim().toLowerCase() ?? '';
  return DECLARED_TEXT.test(claimed) ? claimed : 'application/octet-stream';
}

/** A file name safe to store and to put in a header: no path separators or NULs, at most 255 characters. */
export function safeFilename(name: string, fallback = 'attachment'): string {
  const cleaned = name.replace(/[\\/\0\r\n]/g, '_').trim().slice(0, 255);
  return cleaned || fallback;
}
