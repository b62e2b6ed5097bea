/**
 * Renders message HTML. The server already sanitizes it; DOMPurify runs again here as
 * defence in depth. Remote images arrive blocked (`data-remote-src`, no `src`) so opening a
 * ticket does not tell the sender it was read; the agent can load them per message.
 */
import { Button, Group, Text } from '@mantine/core';
import { IconPhoto } from '@tabler/icons-react';
import DOMPurify from 'dompurify';
import { useMemo, useState } from 'react';
import classes from './safe-html.module.css';

let hooksInstalled = false;

/** Links open in a new tab without giving the page a handle on the workspace. */
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node instanceof HTMLAnchorElement && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  });
}

/** Purifies HTML and, when asked, turns blocked remote images into real ones. */
function prepare(html: string, loadRemote: boolean): { html: string; blocked: number } {
  installHooks();
  const clean = DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'],
    FORBID_ATTR: ['srcset'],
    ALLOW_DATA_ATTR: true,
  });
  const doc = new DOMParser().parseFromString(`<body>${clean}</body>`, 'text/html');
  const images = Array.from(doc.body.querySelectorAll('img[data-remote-src]'));
  if (!loadRemote || images.length === 0) return { html: clean, blocked: images.length };
  for (const img of images) {
    const src = img.getAttribute('data-remote-src') ?? '';
    if (/^https?:\/\//i.test(src)) {
      img.setAttribute('src', src);
      img.setAttribute('referrerpolicy', 'no-referrer');
      img.setAttribute('loading', 'lazy');
    }
    img.removeAttribute('data-remote-src');
  }
  return { html: doc.body.innerHTML, blocked: 0 };
}

/** Message body HTML inside a styled, contained box. */
export function SafeHtml({ html }: { html: string }) {
  const [loadRemote, setLoadRemote] = useState(false);
  const prepared = useMemo(() => prepare(html, loadRemote), [html, loadRemote]);
  return (
    <div>
      {prepared.blocked > 0 && (
        <Group gap="xs" mb="xs" className={classes.remoteBar}>
          <IconPhoto size={14} />
          <Text size="xs" c="dimmed">
            {prepared.blocked === 1 ? '1 remote image was blocked' : `${prepared.blocked} remote images were blocked`} to protect your
            privacy.
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => setLoadRemote(true)} data-testid="load-remote-images">
            Load remote images
          </Button>
        </Group>
      )}
      <div className={classes.body} dangerouslySetInnerHTML={{ __html: prepared.html }} />
    </div>
  );
}
