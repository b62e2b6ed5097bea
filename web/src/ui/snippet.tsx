/**
 * Search excerpts with the server's match markers (<mark>, <b>) and nothing else.
 */
import { Text, type TextProps } from '@mantine/core';
import DOMPurify from 'dompurify';
import { useMemo } from 'react';

/** An excerpt whose only markup is highlighting. */
export function Snippet({ html, ...props }: { html: string } & TextProps) {
  const clean = useMemo(() => DOMPurify.sanitize(html, { ALLOWED_TAGS: ['mark', 'b', 'em', 'strong'], ALLOWED_ATTR: [] }), [html]);
  return <Text {...props} className="sd-snippet" dangerouslySetInnerHTML={{ __html: clean }} />;
}
