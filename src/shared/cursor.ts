/**
 * Opaque keyset cursors: the sort key of the last row a page returned, so the next page starts
 * strictly after it. Offsets would rescan the skipped rows; keysets stay fast at a million rows.
 */
import { AppError } from './errors.ts';

/** The position after which the next page begins. */
export interface KeysetPosition {
  /** ISO timestamp of the sort column. */
  t: string;
  /** id tie-breaker. */
  id: string;
}

/** Encodes a position as an opaque URL-safe string. */
export function encodeCursor(pos: KeysetPosition): string {
  return Buffer.from(JSON.stringify(pos)).toString('base64url');
}

/** Decodes a cursor from a client, refusing anything that is not one of ours. */
export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      parsed && typeof parsed === 'object' && 't' in parsed && 'id' in parsed &&
      typeof parsed.t === 'string' && typeof parsed.id === 'string' && !Number.isNaN(Date.parse(parsed.t)) &&
      /^[0-9a-f-]{36}$/i.test(parsed.id)
    ) {
      return { t: parsed.t, id: parsed.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_cursor', 'The cursor is not valid; start again from the first page.', {
    errors: [{ field: 'cursor', message: 'not a cursor returned by this API' }],
  });
}
