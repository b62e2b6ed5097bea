/**
 * Email preparation on worker threads: the same result as on the calling thread (blobs in the
 * same folder, inline image URLs for the given message id), and a worker that dies fails only
 * its own emails while the next one gets a fresh worker.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../../blobs/local-blob-store.ts';
import { emailPreparerFor, inThreadPreparer, PrepareWorkerError, WorkerPreparer } from './prepare-pool.ts';
import type { PreparedEmail } from './prepare.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storedesk-prepare-'));
const blobs = new LocalBlobStore(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function richEmail(): Promise<Buffer> {
  return new MailComposer({
    from: 'Ada Lovelace <Ada@Example.com>', to: 'support@shop.test', subject: 'Re: Broken lamp (order #4471)', messageId: `<${randomUUID()}@mail.example.com>`,
    text: 'The lamp arrived broken, photo attached.\n\nOn Mon, 2 Mar 2026 at 09:14, Shop <support@shop.test> wrote:\n> Thanks for your order.\n',
    html: '<p>The lamp arrived broken, photo attached.</p><p><img src="cid:photo1"></p><script>alert(1)</script><div class="gmail_quote">On Monday you wrote: thanks</div>',
    attachments: [
      { filename: 'photo.png', content: PNG, cid: 'photo1' },
      { filename: 'receipt.pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 7)]), contentType: 'application/octet-stream' },
    ],
  }).compile().build();
}

/** A prepared email with the random attachment ids replaced by their order, to compare two preparations. */
function comparable(p: PreparedEmail): unknown {
  const ids = new Map(p.attachments.map((a, i) => [a.id, `#${i}`]));
  let html = p.html?.html ?? null;
  for (const [id, n] of ids) html = html?.replaceAll(id, n) ?? null;
  return { ...p, attachments: p.attachments.map((a) => ({ ...a, id: ids.get(a.id) })), html: p.html && { ...p.html, html } };
}

describe('email preparation on worker threads', () => {
  it('gives the same result as the calling thread, with the blobs written to the same folder', async () => {
    const raw = await richEmail();
    const messageId = randomUUID();
    const workers = new WorkerPreparer(dir, 2);
    try {
      await workers.warmUp();
      const [inWorker, inThread] = await Promise.all([
        workers.prepare(raw, { maxAttachmentBytes: 1_000_000, envelopeFrom: 'ada@example.com', messageId }),
        inThreadPreparer(blobs).prepare(raw, { maxAttachmentBytes: 1_000_000, envelopeFrom: 'ada@example.com', messageId }),
      ]);
      expect(comparable(inWorker)).toEqual(comparable(inThread));
      // What the transaction relies on crossed the thread boundary intact.
      expect(inWorker.email.from).toEqual({ address: 'ada@example.com', name: 'Ada Lovelace' });
      expect(inWorker.email.headers).toBeInstanceOf(Map);
      expect(inWorker.email.date).toBeInstanceOf(Date);
      expect(inWorker.body.text).toBe('The lamp arrived broken, photo attached.');
      expect(inWorker.body.quotedRemoved).toBe(true);
      expect(inWorker.attachments.map((a) => [a.filename, a.content_type])).toEqual([
        ['photo.png', 'image/png'],
        ['receipt.pdf', 'application/pdf'],
      ]);
      const photo = inWorker.attachments[0];
      expect(inWorker.html?.html).toContain(`/api/v1/messages/${messageId}/attachments/${photo?.id}`);
      expect(inWorker.html?.html).not.toContain('<script');
      // The worker wrote the raw .eml and the attachments where the server reads them.
      expect(await blobs.get(inWorker.rawKey)).toEqual(raw);
      expect(await blobs.get(photo?.blob_key ?? '')).toEqual(PNG);
    } finally {
      await workers.close();
    }
  });

  it('flags an attachment over the limit instead of storing it', async () => {
    const workers = new WorkerPreparer(dir, 1);
    try {
      const prepared = await workers.prepare(await richEmail(), { maxAttachmentBytes: 1000, messageId: randomUUID() });
      expect(prepared.attachments.map((a) => a.filename)).toEqual(['photo.png']);
      expect(prepared.problems).toContain('attachment_too_large: receipt.pdf');
    } finally {
      await workers.close();
    }
  });

  it('a worker that dies fails only the emails it held, and the next email gets a fresh worker', async () => {
    const workers = new WorkerPreparer(dir, 1);
    try {
      const ok = await workers.prepare(Buffer.from('From: a@example.com\r\nSubject: hi\r\n\r\nFirst'), { maxAttachmentBytes: 1000, messageId: randomUUID() });
      expect(ok.body.text).toBe('First');
      // A request the worker cannot read throws outside any promise there: the thread dies, as it would on a bug.
      const died = workers.prepare(undefined as unknown as Buffer, { maxAttachmentBytes: 1000, messageId: randomUUID() });
      await expect(died).rejects.toBeInstanceOf(PrepareWorkerError);
      await expect(died).rejects.toThrow(/the email preparation worker failed/);
      const after = await workers.prepare(Buffer.from('From: a@example.com\r\nSubject: hi\r\n\r\nSecond'), { maxAttachmentBytes: 1000, messageId: randomUUID() });
      expect(after.body.text).toBe('Second');
    } finally {
      await workers.close();
    }
  });

  it('prepares on the calling thread when asked for no workers', async () => {
    const preparer = emailPreparerFor(blobs, 0);
    expect(preparer).not.toBeInstanceOf(WorkerPreparer);
    expect(emailPreparerFor(blobs, 1)).toBeInstanceOf(WorkerPreparer);
    const prepared = await preparer.prepare(await richEmail(), { maxAttachmentBytes: 1_000_000, messageId: randomUUID() });
    expect(prepared.attachments).toHaveLength(2);
  });
});
