/**
 * Typed SQL helpers shared by the *.queries.ts files.
 */

/** A LIKE pattern matching values that start with `text` (lower-cased), with %, _ and \ escaped. */
export function likePrefix(text: string): string {
  return text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}
