/**
 * Opaque keyset cursors: the sort key of the last row a page returned, so the next page starts
 * strictly after it. Offsets would rescan the skipped rows; keysets stay fast at a million rows.
 */
import { AppError } from './errors.ts';
import { isUuid } from './uuid.ts';

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

/** The timestamp form the database writes into cursors (to_json of a timestamptz). */
const ISO_TIMESTAMP = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d{2}(:\d{2})?)$/;

/** True for a timestamp the database will accept: ISO form and a real calendar day (no 30 February). */
function isCursorTimestamp(t: string): boolean {
  const m = ISO_TIMESTAMP.exec(t);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/** Decodes a cursor from a client, refusing anything that is not one of ours. */
export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      parsed && typeof parsed === 'object' && 't' in parsed && 'id' in parsed &&
      typeof parsed.t === 'string' && typeof parsed.id === 'string' &&
      isCursorTimestamp(parsed.t) && isUuid(parsed.id)
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
