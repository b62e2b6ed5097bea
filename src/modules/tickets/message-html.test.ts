import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestAgent, type TestApp } from '../../../test/harness.ts';
import { htmlToText, sanitizeMessageHtml, textToHtml } from '../../shared/html.ts';
import { addMessage } from './tickets.service.ts';

const HOSTILE = '<p>Hi</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)" onclick="alert(1)">click</a>';

/** True when the HTML has a script/style/iframe element or any on* event attribute. */
function hasActiveContent(html: string): boolean {
  return /<\s*(script|style|iframe|object|embed|form)\b/i.test(html) || /<[^>]*\son[a-z]+\s*=/i.test(html) || /javascript:/i.test(html);
}

let t: TestApp;
let agent: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.agent('agent');
});
afterAll(async () => {
  await t?.close();
});

describe('message HTML through the API', () => {
  it('shows a typed message with script and onerror as inert text', async () => {
    const created = await t.ticket();
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/tickets/${created.id}/messages`, headers: agent.headers,
      payload: { body: 'Try <script>alert(1)</script> and <img src=x onerror=alert(1)>' },
    });
    expect(res.statusCode).toBe(201);
    const { body_html: html, body_text: text } = res.json().message;
    expect(text).toBe('Try <script>alert(1)</script> and <img src=x onerror=alert(1)>');
    expect(hasActiveContent(html)).toBe(false);
    expect(html).toContain('&lt;script&gt;');
  });

  it('strips scripts and event handlers from HTML mail before anyone sees it', async () => {
    const created = await t.ticket({ message: { body: 'Hi', html: HOSTILE } });
    await addMessage(t.ctx, created.id, { body: 'Hi again', html: `<div onmouseover="steal()">Again</div>${HOSTILE}` });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${created.id}`, headers: agent.headers });
    const messages = res.json().messages as Array<{ body_html: string }>;
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(hasActiveContent(m.body_html)).toBe(false);
      expect(m.body_html).toContain('<p>Hi</p>');
    }
  });
});

describe('sanitizeMessageHtml', () => {
  it('removes script elements with their content', () => {
    const { html } = sanitizeMessageHtml('<p>Hello</p><script>alert(1)</script>');
    expect(html).toBe('<p>Hello</p>');
  });

  it('removes every on* attribute and javascript: link', () => {
    const { html } = sanitizeMessageHtml(HOSTILE);
    expect(hasActiveContent(html)).toBe(false);
    expect(html).toContain('click');
  });

  it('removes styles, iframes and forms', () => {
    const { html } = sanitizeMessageHtml('<style>body{display:none}</style><iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name=a></form><p style="position:fixed">x</p>');
    expect(html).toBe('<p>x</p>');
  });

  it('holds back remote images: data-remote-src instead of src, and counts them', () => {
    const result = sanitizeMessageHtml('<img src="https://shop.example/banner.png" alt="Banner"><img src="http://cdn.example/a.jpg">');
    expect(result.blockedRemoteImages).toBe(2);
    expect(result.html).toContain('data-remote-src="https://shop.example/banner.png"');
    expect(result.html).toContain('alt="Banner"');
    expect(result.html).not.toMatch(/\ssrc=/);
  });

  it('drops a tracking pixel hidden in a planted data-remote-src too', () => {
    const { html } = sanitizeMessageHtml('<img data-remote-src="https://track.example/open.gif" width="1" height="1">');
    expect(html).not.toContain('track.example');
  });

  it('drops 1x1 tracking pixels entirely', () => {
    const result = sanitizeMessageHtml('<p>Thanks</p><img src="https://track.example/open.gif?u=1" width="1" height="1">');
    expect(result.html).not.toContain('track.example');
    expect(result.html).not.toContain('<img');
    expect(result.blockedRemoteImages).toBe(0);
  });

  it('keeps inline data images and resolves cid: images to attachment URLs', () => {
    const dataImg = 'data:image/png;base64,iVBORw0KGgo=';
    const { html } = sanitizeMessageHtml(`<img src="${dataImg}"><img src="cid:logo@shop"><img src="cid:missing">`, {
      resolveCid: (cid) => (cid === 'logo@shop' ? '/api/v1/messages/m1/attachments/a1' : undefined),
    });
    expect(html).toContain(`src="${dataImg}"`);
    expect(html).toContain('src="/api/v1/messages/m1/attachments/a1"');
    expect(html).not.toContain('cid:');
  });

  it('refuses data: URLs that are not images', () => {
    const { html } = sanitizeMessageHtml('<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">');
    expect(html).not.toContain('data:text/html');
  });

  it('does not let a sender plant their own data-remote-src', () => {
    const { html, blockedRemoteImages } = sanitizeMessageHtml('<img data-remote-src="javascript:alert(1)" alt="x">');
    expect(html).not.toContain('javascript:');
    expect(blockedRemoteImages).toBe(0);
  });

  it('opens links in a new tab with rel=noopener noreferrer', () => {
    const { html } = sanitizeMessageHtml('<a href="https://shop.example/orders/1">your order</a>');
    expect(html).toContain('href="https://shop.example/orders/1"');
    expect(html).toMatch(/rel="[^"]*\bnoopener\b[^"]*"/);
    expect(html).toMatch(/rel="[^"]*\bnoreferrer\b[^"]*"/);
    expect(html).toContain('target="_blank"');
  });

  it('keeps ordinary formatting', () => {
    const source = '<p><strong>Order</strong> <em>1042</em></p><ul><li>Shirt</li></ul><table><tbody><tr><td colspan="2">x</td></tr></tbody></table>';
    expect(sanitizeMessageHtml(source).html).toBe(source);
  });
});

describe('plain text and HTML', () => {
  it('escapes text and keeps its paragraphs and line breaks', () => {
    expect(textToHtml('a < b & "c"\nnext\n\npara')).toBe('<p>a &lt; b &amp; &quot;c&quot;<br>next</p><p>para</p>');
  });

  it('turns HTML into readable text for search and previews', () => {
    expect(htmlToText('<p>Hello&nbsp;there</p><p>Line&amp;two</p><script>x</script>')).toBe('Hello there\nLine&two');
  });

  it('decodes entities once: text that shows "&lt;" stays "&lt;"', () => {
    expect(htmlToText('<p>Type &amp;lt;br&amp;gt; for a break, 1 &lt; 2</p>')).toBe('Type &lt;br&gt; for a break, 1 < 2');
  });
});
