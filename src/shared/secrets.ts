/**
 * Secrets (mailbox relay and IMAP passwords, DKIM keys, store platform credentials) encrypted at rest with AES-256-GCM.
 * The key comes from STOREDESK_SECRET_KEY; without it a random key is created once in the data
 * folder (fine for the embedded demo, with a warning: copy that file with the database).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const keys = new Map<string, Buffer>();

/** The 32-byte encryption key for a configuration; creates the demo key file when needed. */
export function secretKeyFor(config: { secretKey: string | undefined; dataDir: string }, warn: (line: string) => void = () => {}): Buffer {
  const id = config.secretKey ? `env:${config.secretKey}` : `file:${config.dataDir}`;
  const cached = keys.get(id);
  if (cached) return cached;
  let material: string;
  if (config.secretKey) {
    material = config.secretKey;
  } else {
    const file = path.join(config.dataDir, 'secret.key');
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    warn(`STOREDESK_SECRET_KEY is not set: mailbox passwords and store credentials are encrypted with the key in ${file} (keep it with the database). Set STOREDESK_SECRET_KEY in production.`);
    material = fs.readFileSync(file, 'utf8').trim();
  }
  const key = createHash('sha256').update(`storedesk-secrets-v1:${material}`).digest();
  keys.set(id, key);
  return key;
}

/** Encrypts a secret for storage: `v1:<iv>:<tag>:<ciphertext>`, all base64. */
export function encryptSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
}

/** Decrypts a stored secret; throws when the key is wrong or the value was tampered with. */
export function decryptSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, ct] = stored.split(':');
  if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
}
