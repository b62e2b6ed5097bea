/**
 * Remembers the last ticket list the agent looked at, so `j`/`k` on a ticket page move to the
 * next or previous ticket of that list, `u` goes back to it, and the list puts its cursor on the
 * ticket that was open.
 */

interface ListContext {
  /** The list's URL (path and query). */
  path: string;
  /** The list's title, for the back link. */
  title: string;
  numbers: number[];
  /** The ticket last opened from this list. */
  lastOpened?: number;
}

let current: ListContext | null = null;

/** Records the list on screen (keeping the last opened ticket if it is the same list). */
export function rememberList(context: Omit<ListContext, 'lastOpened'>): void {
  current = { ...context, lastOpened: current?.path === context.path ? current.lastOpened : undefined };
}

/** Records that a ticket page is open. */
export function rememberOpened(number: number): void {
  if (current) current.lastOpened = number;
}

/** The last list seen, if any. */
export function lastList(): Readonly<ListContext> | null {
  return current;
}

/** The ticket number `offset` places away from `number` in the last list. */
export function neighbourOf(number: number, offset: 1 | -1): number | null {
  if (!current) return null;
  const index = current.numbers.indexOf(number);
  if (index === -1) return null;
  return current.numbers[index + offset] ?? null;
}
