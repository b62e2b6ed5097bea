import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRaw, startEmailKit, type EmailKit } from './testing/email-test-kit.ts';
import { blockedConnections } from './testing/network-guard.ts';

let k: EmailKit;
beforeAll(async () => {
  k = await startEmailKit({ env: { EMAIL_MAX_BYTES: String(200 * 1024) } });
}, 180_000);
afterAll(async () => {
  expect(blockedConnections()).toEqual([]);
  await k?.close();
}, 180_000);

let seq = 0;
const uniq = () => `${Date.now().toString(36)}-${++seq}`;

async function ticketOf(ticketId: string) {
  const res = await k.t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: k.agent.headers });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function inboundByMessageId(messageId: string) {
  return k.t.database.db.selectFrom('inbound_emails').selectAll().where('message_id_header', '=', messageId).executeTakeFirst();
}

describe('inbound email over SMTP', () => {
  it('turns an email into a ticket showing only the new part, and keeps the original downloadable', async () => {
    const id = `first-${uniq()}@mail.example.com`;
    const res = await k.send({
      from: 'Lena Park <Lena.Park@example.com>', to: 'support@shop.test', subject: 'Where is my parcel?', messageId: `<${id}>`,
      text: 'Hi, my parcel has not arrived yet.\n\nOn Mon, Jan 5, 2026 at 10:00 AM Shop <support@shop.test> wrote:\n> Your order has shipped.\n> Thanks\n',
    });
    expect(res.response).toMatch(/^250 /);
    const inbound = await inboundByMessageId(id);
    expect(inbound?.outcome).toBe('message');
    const detail = await ticketOf(inbound?.ticket_id ?? '');
    expect(detail.ticket).toMatchObject({ subject: 'Where is my parcel?', channel: 'email', status: 'new', customer: { email: 'lena.park@example.com', name: 'Lena Park' } });
    const message = detail.messages[0];
    expect(message.body_text).toBe('Hi, my parcel has not arrived yet.');
    expect(message.delivery_status).toBe('received');
    const raw = await k.t.app.inject({ method: 'GET', url: `/api/v1/messages/${message.id}/raw`, headers: k.agent.headers });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toContain('message/rfc822');
    expect(raw.headers['content-disposition']).toMatch(/^attachment;/);
    expect(raw.body).toContain(`Message-ID: <${id}>`);
    expect(raw.body).toContain('Your order has shipped.');
  });

  it('makes one message of the same Message-ID delivered twice, and of the same content sent twice', async () => {
    const id = `twice-${uniq()}@mail.example.com`;
    const mail = { from: 'twice@example.com', to: 'support@shop.test', subject: 'Double', messageId: `<${id}>`, text: 'Sent twice by a retrying server.' };
    await k.send(mail);
    const second = await k.send(mail);
    expect(second.response).toContain('(duplicate)');
    const rows = await k.t.database.db.selectFrom('messages').select('id').where('external_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    // No Message-ID match, but the same person sent the same words a moment ago.
    await k.send({ from: 'twice@example.com', to: 'support@shop.test', subject: 'Same words', text: 'Identical body from a flaky client.' });
    const again = await k.send({ from: 'twice@example.com', to: 'support@shop.test', subject: 'Same words', text: 'Identical body from a flaky client.' });
    expect(again.response).toContain('(duplicate)');
  });

  it('makes one message of one Message-ID arriving at the same moment from different senders', async () => {
    const id = `race-${uniq()}@mail.example.com`;
    // Different senders take different locks, so the copies really run side by side.
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => k.send({ from: `racer${n}@example.com`, to: 'support@shop.test', subject: 'At once', messageId: `<${id}>`, text: `Copy ${n}.` })),
    );
    expect(results.every((r) => /^250 /.test(r.response))).toBe(true);
    expect(results.filter((r) => r.response.includes('(duplicate)'))).toHaveLength(3);
    const rows = await k.t.database.db.selectFrom('messages').select('ticket_id').where('external_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    const logged = await k.t.database.db.selectFrom('inbound_emails').select('ticket_id').where('message_id_header', '=', id).execute();
    expect(logged).toEqual([{ ticket_id: rows[0]?.ticket_id }]);
  });

  it('threads replies by In-Reply-To, by ticket token, and by order number; a reply to a solved ticket reopens it', async () => {
    const first = `thread-${uniq()}@mail.example.com`;
    await k.send({ from: 'nora@example.com', to: 'support@shop.test', subject: 'Question about order #77123', messageId: `<${first}>`, text: 'Is order #77123 on its way?' });
    const ticketId = (await inboundByMessageId(first))?.ticket_id ?? '';
    const detail = await ticketOf(ticketId);
    expect(detail.ticket.order_numbers).toEqual(['77123']);

    await k.t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticketId}`, headers: k.agent.headers, payload: { status: 'solved' } });
    const byHeader = `thread-reply-${uniq()}@mail.example.com`;
    await k.send({ from: 'nora@example.com', to: 'support@shop.test', subject: 'Re: Question', messageId: `<${byHeader}>`, inReplyTo: `<${first}>`, references: [`<${first}>`], text: 'Any news?' });
    expect((await inboundByMessageId(byHeader))?.ticket_id).toBe(ticketId);
    expect((await ticketOf(ticketId)).ticket.status).toBe('open');

    const byToken = `thread-token-${uniq()}@mail.example.com`;
    await k.send({ from: 'nora@example.com', to: 'support@shop.test', subject: `New thread [#${detail.ticket.number}]`, messageId: `<${byToken}>`, text: 'Writing again from a new email.' });
    expect((await inboundByMessageId(byToken))?.ticket_id).toBe(ticketId);

    const byOrder = `thread-order-${uniq()}@mail.example.com`;
    await k.send({ from: 'nora@example.com', to: 'support@shop.test', subject: 'Hello again', messageId: `<${byOrder}>`, text: 'Still waiting for order 77123, please help.' });
    expect((await inboundByMessageId(byOrder))?.ticket_id).toBe(ticketId);

    // Someone else quoting the token does not get into Nora's ticket.
    const stranger = `thread-stranger-${uniq()}@mail.example.com`;
    await k.send({ from: 'mallory@example.com', to: 'support@shop.test', subject: `Hi [#${detail.ticket.number}]`, messageId: `<${stranger}>`, text: 'Let me in.' });
    expect((await inboundByMessageId(stranger))?.ticket_id).not.toBe(ticketId);
  });

  it('opens a follow-up ticket when the customer answers a closed ticket', async () => {
    const first = `closed-${uniq()}@mail.example.com`;
    await k.send({ from: 'omar@example.com', to: 'support@shop.test', subject: 'Refund', messageId: `<${first}>`, text: 'Please refund.' });
    const ticketId = (await inboundByMessageId(first))?.ticket_id ?? '';
    await k.t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticketId}`, headers: k.agent.headers, payload: { status: 'closed' } });
    const reply = `closed-reply-${uniq()}@mail.example.com`;
    await k.send({ from: 'omar@example.com', to: 'support@shop.test', subject: 'Re: Refund', messageId: `<${reply}>`, inReplyTo: `<${first}>`, text: 'It did not arrive.' });
    const followUp = (await inboundByMessageId(reply))?.ticket_id ?? '';
    expect(followUp).not.toBe(ticketId);
    expect((await ticketOf(followUp)).ticket.follow_up_of_id).toBe(ticketId);
  });

  it('refuses a message over the size limit with 552 and a clear reason', async () => {
    const err = await k.send({ from: 'big@example.com', to: 'support@shop.test', subject: 'Huge', text: 'x'.repeat(300 * 1024) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 552 });
    expect(String((err as Error).message)).toMatch(/too big/i);
    expect(await k.t.database.db.selectFrom('inbound_emails').select('id').where('sender', '=', 'big@example.com').execute()).toHaveLength(0);
  });

  it('refuses recipients no mailbox accepts, and accepts a configured domain', async () => {
    const err = await k.send({ from: 'a@example.com', to: 'someone@elsewhere.test', subject: 'x', text: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 550 });
    const ok = await k.send({ from: 'a@example.com', to: 'orders@help.shop.test', subject: 'Via domain', text: 'Accepted by domain.' });
    expect(ok.response).toMatch(/^250 /);
  });

  it('flags auto-replies and bulk mail so nothing answers them', async () => {
    const id = `ooo-${uniq()}@mail.example.com`;
    await k.send({ from: 'away@example.com', to: 'support@shop.test', subject: 'Out of office', messageId: `<${id}>`, headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' }, text: 'I am away until Monday.' });
    const row = await k.t.database.db.selectFrom('messages').select('metadata').where('external_id', '=', id).executeTakeFirstOrThrow();
    expect(row.metadata).toMatchObject({ no_auto_reply: true, automated: { kind: 'auto_reply' } });
    const list = `list-${uniq()}@mail.example.com`;
    await k.send({ from: 'news@example.com', to: 'support@shop.test', subject: 'Our newsletter', messageId: `<${list}>`, headers: { 'List-Id': '<news.example.com>', Precedence: 'bulk' }, text: 'Deals!' });
    const bulk = await k.t.database.db.selectFrom('messages').select('metadata').where('external_id', '=', list).executeTakeFirstOrThrow();
    expect(bulk.metadata).toMatchObject({ no_auto_reply: true, automated: { kind: 'bulk' } });
  });

  it('marks the customer address undeliverable on a bounce instead of opening a ticket', async () => {
    await k.send({ from: 'gone@example.com', to: 'support@shop.test', subject: 'Hello', text: 'First contact.' });
    const before = await k.t.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
      'To: support@shop.test',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn-${uniq()}@mx.example.net>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; gone@example.com',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      '--b1--',
      '',
    ].join('\r\n');
    const res = await k.sendRaw(dsn, { from: '', to: ['support@shop.test'] });
    expect(res.response).toMatch(/^250 /);
    const after = await k.t.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const identity = await k.t.database.db.selectFrom('customer_identities').selectAll().where('value', '=', 'gone@example.com').executeTakeFirstOrThrow();
    expect(identity.undeliverable_at).not.toBeNull();
    expect(identity.undeliverable_reason).toContain('5.1.1');
  });

  it('sanitizes HTML, resolves inline images to attachment URLs, blocks remote images, and serves risky files as downloads', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const id = `html-${uniq()}@mail.example.com`;
    await k.send({
      from: 'pics@example.com', to: 'support@shop.test', subject: 'Damaged item', messageId: `<${id}>`,
      html: '<p onclick="steal()">See photo <img src="cid:photo1"></p><script>alert(1)</script><img src="https://tracker.example.net/p.gif" width="300"><div class="gmail_quote">On Monday you wrote: old stuff</div>',
      text: 'See photo',
      attachments: [
        { filename: 'photo.png', content: png, cid: 'photo1' },
        { filename: 'invoice.html', content: '<script>alert(document.cookie)</script>', contentType: 'text/html' },
        { filename: 'report.pdf', content: Buffer.from('not really a pdf'), contentType: 'application/pdf' },
      ],
    });
    const msg = await k.t.database.db.selectFrom('messages').selectAll().where('external_id', '=', id).executeTakeFirstOrThrow();
    expect(msg.body_html).not.toMatch(/script|onclick|old stuff/);
    expect(msg.body_html).toContain('data-remote-src="https://tracker.example.net/p.gif"');
    const photo = msg.attachments.find((a) => a.filename === 'photo.png');
    expect(photo?.content_type).toBe('image/png');
    expect(msg.body_html).toContain(`src="/api/v1/messages/${msg.id}/attachments/${photo?.id}"`);
    const html = msg.attachments.find((a) => a.filename === 'invoice.html');
    const res = await k.t.app.inject({ method: 'GET', url: `/api/v1/messages/${msg.id}/attachments/${html?.id}`, headers: k.agent.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-type']).toContain('application/octet-stream');
    // The header said PDF, the bytes say otherwise: the bytes win.
    expect(msg.attachments.find((a) => a.filename === 'report.pdf')?.content_type).toBe('application/octet-stream');
    const img = await k.t.app.inject({ method: 'GET', url: `/api/v1/messages/${msg.id}/attachments/${photo?.id}`, headers: k.agent.headers });
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.rawPayload.equals(png)).toBe(true);
    const anonymous = await k.t.app.inject({ method: 'GET', url: `/api/v1/messages/${msg.id}/attachments/${photo?.id}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('decodes the charsets real mail uses', async () => {
    const cases = [
      { charset: 'iso-8859-1', text: 'Grüße aus Köln, ça va?' },
      { charset: 'koi8-r', text: 'Здравствуйте, где мой заказ?' },
      { charset: 'shift_jis', text: '注文が届きません。' },
      { charset: 'windows-1252', text: 'Café – “quotes” €' },
    ];
    for (const c of cases) {
      const id = `cs-${uniq()}@mail.example.com`;
      const raw = await buildRaw({ from: 'intl@example.com', to: 'support@shop.test', subject: `Charset ${c.charset}`, messageId: `<${id}>`, text: { content: c.text }, textEncoding: 'base64' });
      // Re-encode the body in the legacy charset, as old clients send it.
      const iconv = (await import('iconv-lite')).default;
      const body = iconv.encode(c.text, c.charset).toString('base64');
      const legacy = raw.toString('utf8').replace(/charset=utf-8/i, `charset=${c.charset}`).replace(Buffer.from(c.text).toString('base64'), body);
      await k.sendRaw(legacy, { from: 'intl@example.com', to: ['support@shop.test'] });
      const msg = await k.t.database.db.selectFrom('messages').select('body_text').where('external_id', '=', id).executeTakeFirstOrThrow();
      expect(msg.body_text, c.charset).toBe(c.text);
    }
  });

  it('stores what it can read of malformed MIME and flags the rest', async () => {
    const id = `broken-${uniq()}@mail.example.com`;
    const raw = [
      'From: broken@example.com',
      'To: support@shop.test',
      'Subject: =?utf-8?B?broken',
      `Message-ID: <${id}>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="never-closed"',
      '',
      '--never-closed',
      'Content-Type: text/plain; charset=x-unknown-charset',
      'Content-Transfer-Encoding: base64',
      '',
      'SGVsbG8sIG15IG9yZGVyIGlzIGxhdGUu!!!%%%',
      '--never-closed',
      'Content-Type: application/octet-stream; name="trunc.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      'AAEC',
      '',
    ].join('\r\n');
    const res = await k.sendRaw(raw, { from: 'broken@example.com', to: ['support@shop.test'] });
    expect(res.response).toMatch(/^250 /);
    const inbound = await inboundByMessageId(id);
    expect(inbound?.outcome).toBe('message');
    const msg = await k.t.database.db.selectFrom('messages').selectAll().where('external_id', '=', id).executeTakeFirstOrThrow();
    expect(msg.body_text).toContain('Hello, my order is late.');
  });

  it('takes mail with NUL characters (which the database cannot hold) and flags their removal', async () => {
    const id = `nul-${uniq()}@mail.example.com`;
    const raw = Buffer.concat([
      Buffer.from([
        'From: Nul Sender <nul@example.com>', 'To: support@shop.test', `Message-ID: <${id}>`, 'Subject: Broken\u0000 client', 'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="nb"', '', '--nb', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '',
      ].join('\r\n') + '\r\n'),
      Buffer.from('My order\u0000 is late.\r\n', 'utf8'),
      Buffer.from(['--nb', 'Content-Type: text/plain; name="no\u0000te.txt"', 'Content-Disposition: attachment; filename="no\u0000te.txt"', '', 'a\u0000b', '--nb--', ''].join('\r\n')),
    ]);
    const res = await k.sendRaw(raw, { from: 'nul@example.com', to: ['support@shop.test'] });
    expect(res.response).toMatch(/^250 /);
    const inbound = await inboundByMessageId(id);
    expect(inbound?.outcome).toBe('message');
    expect((inbound?.detail as { problems: string[] }).problems).toContain('nul_characters_removed');
    const msg = await k.t.database.db.selectFrom('messages').selectAll().where('external_id', '=', id).executeTakeFirstOrThrow();
    expect(msg.body_text).toBe('My order is late.');
    const detail = await ticketOf(inbound?.ticket_id ?? '');
    expect(detail.ticket.subject).toBe('Broken client');
    expect(detail.messages[0].attachments.map((a: { filename: string }) => a.filename)).toEqual(['note.txt']);
  });

  it('forgets the counts of finished hours and keeps the current one', async () => {
    const { pruneSenderCounters, senderWindowStart } = await import('./ingest.service.ts');
    const sender = `counted-${uniq()}@example.com`;
    const now = new Date();
    const current = senderWindowStart(now);
    const rows = [3, 1, 0].map((hoursAgo) => ({ sender, window_start: new Date(current.getTime() - hoursAgo * 3600_000), count: 5 }));
    await k.t.database.db.insertInto('email_sender_counters').values(rows).execute();
    expect(await pruneSenderCounters(k.t.database.db, now)).toBeGreaterThanOrEqual(2);
    const left = await k.t.database.db.selectFrom('email_sender_counters').select('window_start').where('sender', '=', sender).execute();
    expect(left.map((r) => new Date(r.window_start).getTime())).toEqual([current.getTime()]);
  });

  it('holds back a sender that floods, with durable counts', async () => {
    const sender = `flood-${uniq()}@example.com`;
    const { senderWindowStart } = await import('./ingest.service.ts');
    // The count in the database survives a restart: this listener has never seen the sender.
    await k.t.database.db.insertInto('email_sender_counters').values({ sender, window_start: senderWindowStart(), count: 1000 }).execute();
    const id = `flood-${uniq()}@example.com`;
    const first = await k.send({ from: sender, to: 'support@shop.test', subject: 'Spam', text: 'again', messageId: `<${id}>` });
    expect(first.response).toMatch(/^250 /);
    const held = await inboundByMessageId(id);
    expect(held?.outcome).toBe('rate_limited');
    expect(held?.ticket_id).toBeNull();
    // Having learnt it, the listener refuses the next one at MAIL FROM, before the data is sent.
    const err = await k.send({ from: sender, to: 'support@shop.test', subject: 'Spam', text: 'and again' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ responseCode: 451 });
    expect(String((err as Error).message)).toMatch(/Too many messages/);
  });
});

describe('STARTTLS', () => {
  it('offers STARTTLS when a certificate is configured, and mail arrives over the encrypted session', async () => {
    const { execFileSync } = await import('node:child_process');
    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const nodemailer = (await import('nodemailer')).default;
    const { startSmtpListener } = await import('./smtp-listener.ts');
    const { blobStoreFor } = await import('../../../blobs/blob-store.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storedesk-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const tls = await startSmtpListener({
      db: k.t.database.db, live: k.t.live, blobs: blobStoreFor(k.t.config), port: 0, host: '127.0.0.1', maxBytes: 1024 * 1024, senderHourlyLimit: 1000,
      tlsKeyFile: key, tlsCertFile: cert,
    });
    try {
      const client = nodemailer.createTransport({ host: '127.0.0.1', port: tls.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      const id = `tls-${uniq()}@mail.example.com`;
      const res = await client.sendMail({ from: 'secure@example.com', to: 'support@shop.test', subject: 'Over TLS', messageId: `<${id}>`, text: 'Encrypted hello.' });
      client.close();
      expect(res.response).toMatch(/^250 /);
      expect((await inboundByMessageId(id))?.outcome).toBe('message');
    } finally {
      await tls.close();
    }
  });
});
