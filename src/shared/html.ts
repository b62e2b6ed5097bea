/**
 * Message HTML made safe for the workspace. Mail and chat HTML is hostile by default: scripts,
 * event handlers, forms and styles that escape their box are removed, links open in a new tab
 * without referrer, and remote images are not loaded until an agent asks (no tracking pixels).
 */
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = [
  'a', 'b', 'blockquote', 'br', 'caption', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em',
  'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'li', 'ol', 'p', 'pre', 's', 'small',
  'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
];

/** Options for sanitizing one message. */
export interface SanitizeOptions {
  /** Maps a cid: reference of an inline image to a URL the workspace can load. */
  resolveCid?: (cid: string) => string | undefined;
}

/** Result of sanitizing: the safe HTML and how many remote images were held back. */
export interface SanitizedHtml {
  html: string;
  blockedRemoteImages: number;
}

/** Sanitizes untrusted message HTML; the output is safe to put in the DOM. */
export function sanitizeMessageHtml(dirty: string, options: SanitizeOptions = {}): SanitizedHtml {
  let blockedRemoteImages = 0;
  const html = sanitizeHtml(dirty, {
    allowedTags: ALLOWED_TAGS,
    disallowedTagsMode: 'discard',
    allowedAttributes: {
      // target and rel are set by transformTags below, never taken from the sender.
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
      td: ['colspan', 'rowspan', 'align', 'valign'],
      th: ['colspan', 'rowspan', 'align', 'valign'],
      '*': ['dir', 'lang'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data', 'http', 'https', 'cid'] },
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
      }),
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        // data-remote-src is ours to set: a sender's own would dodge the tracker check below.
        const { src: _drop, 'data-remote-src': _planted, ...rest } = attribs;
        if (src.startsWith('cid:')) {
          const url = options.resolveCid?.(src.slice(4));
          return { tagName, attribs: url ? { ...rest, src: url } : rest };
        }
        if (/^data:image\/(png|jpe?g|gif|webp);/i.test(src)) return { tagName, attribs: { ...rest, src } };
        if (/^https?:/i.test(src)) {
          // 1x1 images are trackers; drop them outright. Others wait for a click.
          if (attribs.width === '1' || attribs.height === '1') return { tagName: 'span', attribs: {} };
          blockedRemoteImages++;
          return { tagName, attribs: { ...rest, 'data-remote-src': src } };
        }
        return { tagName, attribs: rest };
      },
    },
    allowedAttributesByTag: undefined,
  } as sanitizeHtml.IOptions);
  return { html, blockedRemoteImages };
}

/** Escapes plain text for HTML and keeps its line breaks. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped
    .split(/\n{2,}/)
    .map((para) => `<p>${para.replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** Plain text of an HTML fragment, for search and previews. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)[^>]*>/gi, '\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    // Last, so that an escaped entity in the text ("&amp;lt;") stays the text "&lt;".
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
