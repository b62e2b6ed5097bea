import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { IMPORTED_KEYWORD, ImapPollers, pollMailboxOnce, type ImapDeps } from './imap-poller.ts';
import { startEmailKit, type EmailKit } from './testing/email-test-kit.ts';
import { blockedConnections } from './testing/network-guard.ts';
import { appendMails, closeDovecotFolder, dovecotEnv as env, imapDepsFor, kitMailboxRow, openDovecotFolder, uniqueFolder } from './testing/dovecot.ts';
import * as q from './email.queries.ts';

if (process.env.CI && !env.host) throw new Error('CI must run .ci/setup-imap.sh: STOREDESK_TEST_IMAP_HOST is not set');

describe.runIf(Boolean(env.host))('IMAP polling against Dovecot', () => {
  let k: EmailKit;
  let admin: ImapFlow;
  const folder = uniqueFolder('storedesk-test');
  let deps: ImapDeps;

  beforeAll(async () => {
    k = await startEmailKit({
      mailbox: { imap: { enabled: false, host: env.host, port: env.port, tls: false, user: env.user, password: env.pass, folder } },
    });
    admin = await openDovecotFolder(folder);
    deps = imapDepsFor(k, { log: (level, msg, data) => console.error(level, msg, data) });
  }, 180_000);
  afterAll(async () => {
    expect(blockedConnections()).toEqual([]);
    await closeDovecotFolder(admin, folder);
    await k?.close();
  }, 180_000);

  function deliver(n: number, tag: string) {
    return appendMails(admin, folder, n, tag, 'imap.example.com', (i) => ({ from: `Imap Customer ${i} <imap${i}@example.com>`, subject: `IMAP question ${tag} ${i}`, text: `Question number ${i} via IMAP.` }));
  }

  const mailboxRow = () => kitMailboxRow(k);

  it('imports new mail as tickets and flags it on the server only after storing it', async () => {
    const ids = await deliver(3, 'first');
    const result = await pollMailboxOnce(await mailboxRow(), deps);
    expect(result).toMatchObject({ imported: 3, duplicates: 0 });
    const rows = await k.t.database.db.selectFrom('messages').select(['external_id', 'body_text']).where('external_id', 'in', ids).execute();
    expect(rows).toHaveLength(3);
    const lock = await admin.getMailboxLock(folder);
    try {
      const flags = [];
      for await (const m of admin.fetch('1:*', { uid: true, flags: true })) flags.push(m.flags);
      expect(flags.every((f) => f?.has(IMPORTED_KEYWORD) && f.has('\\Seen'))).toBe(true);
    } finally {
      lock.release();
    }
    expect((await mailboxRow()).imap_last_uid).toBe(result.lastUid);
    const again = await pollMailboxOnce(await mailboxRow(), deps);
    expect(again).toMatchObject({ imported: 0, duplicates: 0 });
  });

  it('imports nothing twice after a crash between storing and flagging', async () => {
    const ids = await deliver(2, 'crash');
    // The previous run stored these but died before flagging them and saving its progress.
    const before = await mailboxRow();
    await pollMailboxOnce(before, deps);
    await q.saveImapProgress(k.t.database.db, before.id, { uidValidity: before.imap_uid_validity ?? 0, lastUid: before.imap_last_uid, error: null });
    const lock = await admin.getMailboxLock(folder);
    try {
      await admin.messageFlagsRemove('1:*', [IMPORTED_KEYWORD, '\\Seen']);
    } finally {
      lock.release();
    }
    const rerun = await pollMailboxOnce(await mailboxRow(), deps);
    expect(rerun).toMatchObject({ imported: 0, duplicates: 2 });
    const rows = await k.t.database.db.selectFrom('messages').select('id').where('external_id', 'in', ids).execute();
    expect(rows).toHaveLength(2);
  });

  it('picks up new mail within seconds through IDLE, without waiting for the next poll', async () => {
    const enable = await k.t.app.inject({
      method: 'PATCH', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers,
      payload: { imap: { enabled: true, host: env.host, port: env.port, tls: false, user: env.user, folder } },
    });
    expect(enable.statusCode).toBe(200);
    const pollers = new ImapPollers(deps, { pollMs: 10 * 60_000, rescanMs: 10 * 60_000 });
    pollers.start();
    try {
      // Wait for the first pass, then deliver: only an IDLE notification can bring it in now.
      const started = (await mailboxRow()).imap_last_poll_at?.getTime() ?? 0;
      for (let i = 0; i < 200 && ((await mailboxRow()).imap_last_poll_at?.getTime() ?? 0) <= started; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 500));
      const [id] = await deliver(1, 'idle');
      let found = false;
      for (let i = 0; i < 150 && !found; i++) {
        found = Boolean(await k.t.database.db.selectFrom('messages').select('id').where('external_id', '=', id ?? '').executeTakeFirst());
        if (!found) await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toBe(true);
    } finally {
      await pollers.stop();
    }
  }, 60_000);

  it('reports a wrong password on the mailbox instead of crashing', async () => {
    await k.t.app.inject({
      method: 'PATCH', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers,
      payload: { imap: { enabled: false, host: env.host, port: env.port, tls: false, user: env.user, password: 'wrong', folder } },
    });
    await expect(pollMailboxOnce(await mailboxRow(), deps)).rejects.toThrow();
    const res = await k.t.app.inject({ method: 'GET', url: `/api/v1/mailboxes/${k.mailbox.id}`, headers: k.admin.headers });
    expect(res.json().imap.last_error).toBeTruthy();
    expect(res.body).not.toContain('wrong');
  });
});
