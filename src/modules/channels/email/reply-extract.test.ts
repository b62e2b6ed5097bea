import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractReplyHtml, extractReplyText } from './reply-extract.ts';

// Public cases with the reply a person expects (MIT, see LICENSE beside each cases.jsonl).
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/email');

interface ReplyCase {
  id: string;
  input: string;
  expected_reply?: string;
}

function load(source: string): ReplyCase[] {
  return fs
    .readFileSync(path.join(FIXTURES, source, 'cases.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ReplyCase)
    .filter((c) => typeof c.expected_reply === 'string');
}

/** Exact-match rate of extractReplyText on one source (both sides trimmed, as upstream compares). */
export function scoreSource(source: string): { total: number; exact: number; misses: string[] } {
  const cases = load(source);
  const misses = cases.filter((c) => extractReplyText(c.input).trim() !== (c.expected_reply ?? '').trim()).map((c) => c.id);
  return { total: cases.length, exact: cases.length - misses.length, misses };
}

describe('reply extraction', () => {
  it('keeps only the new part of a reply with a quote header and a signature', () => {
    const text = 'Yes, please send the larger size.\n\nThanks\n\nOn Tue, 3 Mar 2026 at 09:12, Shop Support <support@shop.test> wrote:\n> Would you like an exchange?\n>\n> -- \n> Shop';
    expect(extractReplyText(text)).toBe('Yes, please send the larger size.\n\nThanks');
  });

  it('cuts HTML replies at the quote containers of common clients', () => {
    expect(extractReplyHtml('<p>New</p><div class="gmail_quote">old</div>')).toEqual({ html: '<p>New</p>', cut: true });
    expect(extractReplyHtml('<p>New</p><blockquote type="cite">old</blockquote>').html).toBe('<p>New</p>');
    expect(extractReplyHtml('<p>New</p><div id="divRplyFwdMsg">From: x</div><div>old</div>').html).toBe('<p>New</p>');
    expect(extractReplyHtml('<p>Only new</p>')).toEqual({ html: '<p>Only new</p>', cut: false });
  });

  // The rates are recorded in bench/RESULTS.md; these floors catch a regression.
  it.each([
    ['crisp_email_reply_parser', 0.9],
    ['discourse_email_reply_trimmer', 0.65],
  ])('matches the expected reply exactly on most %s cases', (source, floor) => {
    const s = scoreSource(source);
    console.log(`reply extraction ${source}: ${s.exact}/${s.total} exact (${((100 * s.exact) / s.total).toFixed(1)}%)`);
    expect(s.exact / s.total).toBeGreaterThanOrEqual(floor);
  });
});
