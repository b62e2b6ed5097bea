/**
 * Remembers the last ticket list the agent looked at, so `j`/`k` on a ticket page move to the
 * next or previous ticket of that list and `u` goes back to it.
 */

interface ListContext {
  /** The list's URL (path and query). */
  path: string;
  /** The list's title, for the back link. */
  title: string;
  numbers: number[];
}

let current: ListContext | null = null;

/** Records the list on screen. */
export function rememberList(context: ListContext): void {
  current = context;
}

/** The last list seen, if any. */
export function lastList(): ListContext | null {
  return current;
}

/** The ticket number `offset` places away from `number` in the last list. */
export function neighbourOf(number: number, offset: 1 | -1): number | null {
  if (!current) return null;
  const index = current.numbers.indexOf(number);
  if (index === -1) return null;
  return current.numbers[index + offset] ?? null;
}
