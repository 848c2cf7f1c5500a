import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_KEY_FILE, ensureLocalKey, localKeyPath, readLocalKey } from '../../src/auth/local-key.js';
import { failureOf } from '../support/failure.js';
import { tempDir } from '../support/temp-store.js';

describe('ensureLocalKey', () => {
  it('creates the key file once, readable by its owner only, and reuses it', async () => {
    const dir = tempDir();
    expect(await readLocalKey(dir)).toBeUndefined();
    const first = await ensureLocalKey(dir);
    const file = localKeyPath(dir);
    expect(file).toBe(join(dir, LOCAL_KEY_FILE));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = readFileSync(file, 'utf8');
    const again = await ensureLocalKey(dir);
    expect(again.kid).toBe(first.kid);
    expect(readFileSync(file, 'utf8')).toBe(written);
    expect(readdirSync(dir)).toEqual([LOCAL_KEY_FILE]);
  });

  it('keeps one key when many callers race to create it, and leaves no temporary file', async () => {
    const dir = tempDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => ensureLocalKey(dir)));
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
    expect(readdirSync(dir)).toEqual([LOCAL_KEY_FILE]);
    expect((await readLocalKey(dir))?.kid).toBe(keys[0]?.kid);
  });

  it('creates a missing data directory', async () => {
    const dir = join(tempDir(), 'data', 'nested');
    expect((await ensureLocalKey(dir)).file).toBe(localKeyPath(dir));
  });

  it('stores an ES256 private JWK whose thumbprint is the kid', async () => {
    const dir = tempDir();
    const key = await ensureLocalKey(dir, new Date('2026-11-23T12:00:00Z'));
    const stored = JSON.parse(readFileSync(localKeyPath(dir), 'utf8')) as Record<string, any>;
    expect(stored).toMatchObject({ version: 1, alg: 'ES256', kid: key.kid, createdAt: '2026-11-23T12:00:00.000Z', privateJwk: { kty: 'EC', crv: 'P-256' } });
    expect(typeof stored['privateJwk'].d).toBe('string');
  });

  it('refuses a file that is not a key of ours, naming it, rather than replacing it', async () => {
    const dir = tempDir();
    for (const text of ['not json', '{"version":2}', '{"version":1,"alg":"ES256","privateJwk":{"kty":"RSA"}}']) {
      writeFileSync(localKeyPath(dir), text);
      const error = await failureOf(ensureLocalKey(dir), 'BAD_USER_INPUT');
      expect(error.message).toContain(`${localKeyPath(dir)} is not an idgraph token key`);
      expect(readFileSync(localKeyPath(dir), 'utf8')).toBe(text);
    }
  });

  it('is UNAVAILABLE when the key directory is not a usable directory', async () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'file'), '');
    const error = await failureOf(ensureLocalKey(join(parent, 'file', 'data')), 'UNAVAILABLE');
    expect(error.message).toMatch(/^Cannot read the local token key .*ENOTDIR/);
  });
});
