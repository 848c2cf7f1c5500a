/**
 * The signing key of local tokens: an ES256 key pair kept as a JWK in one file of the data directory,
 * created on first use. The token command and the server share it through the file alone (never the
 * database), so `idgraph token` works while the server holds the store.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { IdGraphError } from '../model/errors.js';

/** The `iss` of every local token; the server routes tokens with it to the local key. */
export const LOCAL_ISSUER = 'idgraph-local';
/** The `aud` of every local token. */
export const LOCAL_AUDIENCE = 'idgraph';
/** The key file's name inside the key directory. */
export const LOCAL_KEY_FILE = 'idgraph-jwt.key.json';
/** P-256 ECDSA: short tokens, and supported by every JOSE library a client might check them with. */
export const LOCAL_ALGORITHM = 'ES256';

/** A loaded local key. */
export interface LocalKey {
  readonly file: string;
  /** The RFC 7638 thumbprint of the public key, sent as the token's `kid`. */
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/** What the file holds. The public half is derived from the private JWK, so the two cannot disagree. */
interface KeyFile {
  readonly version: 1;
  readonly alg: typeof LOCAL_ALGORITHM;
  readonly kid: string;
  readonly createdAt: string;
  readonly privateJwk: JWK;
}

/** `<dir>/idgraph-jwt.key.json`. */
export function localKeyPath(dir: string): string {
  return join(dir, LOCAL_KEY_FILE);
}

/**
 * Reads the local key, or undefined when the file does not exist.
 * @throws IdGraphError BAD_USER_INPUT when the file is not a key file of ours; UNAVAILABLE when it cannot be read.
 */
export async function readLocalKey(dir: string): Promise<LocalKey | undefined> {
  const file = localKeyPath(dir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IdGraphError('UNAVAILABLE', `Cannot read the local token key ${file}: ${(error as Error).message}`, { cause: error });
  }
  return importKeyFile(file, text);
}

/**
 * Reads the local key, creating it first when missing. Creation is atomic and never replaces a key:
 * the file is written under a temporary name (mode 0600) and hard-linked into place, which fails when
 * another process (the server, a second `idgraph token`) got there first; then that key is used.
 * @throws IdGraphError as `readLocalKey`, and UNAVAILABLE when the directory is not writable.
 * @example const key = await ensureLocalKey('./data')
 */
export async function ensureLocalKey(dir: string, now: Date = new Date()): Promise<LocalKey> {
  const existing = await readLocalKey(dir);
  if (existing !== undefined) return existing;
  const file = localKeyPath(dir);
  const temp = join(dir, `.${LOCAL_KEY_FILE}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeNew(temp, `${JSON.stringify(await newKeyFile(now), null, 2)}\n`);
    await publish(temp, file);
  } catch (error) {
    throw new IdGraphError('UNAVAILABLE', `Cannot create the local token key ${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    await rm(temp, { force: true });
  }
  const created = await readLocalKey(dir);
  if (created === undefined) throw new IdGraphError('UNAVAILABLE', `The local token key ${file} vanished as it was created`);
  return created;
}

async function newKeyFile(now: Date): Promise<KeyFile> {
  const { privateKey } = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  return { version: 1, alg: LOCAL_ALGORITHM, kid: await calculateJwkThumbprint(publicHalf(privateJwk)), createdAt: now.toISOString(), privateJwk };
}

/** `wx` with 0600: the key is never readable by others, not even for the instant before a chmod. */
async function writeNew(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** link() refuses to replace; a file system without hard links falls back to rename (last writer wins). */
async function publish(temp: string, file: string): Promise<void> {
  try {
    await link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
    await rename(temp, file);
  }
}

async function importKeyFile(file: string, text: string): Promise<LocalKey> {
  const bad = (why: string, cause?: unknown): IdGraphError =>
    new IdGraphError('BAD_USER_INPUT', `${file} is not an idgraph token key (${why}); remove it to create a new key (tokens signed with it stop working)`, { cause });
  let parsed: Partial<KeyFile>;
  try {
    parsed = JSON.parse(text) as Partial<KeyFile>;
  } catch (error) {
    throw bad('not JSON', error);
  }
  const jwk = parsed.privateJwk;
  if (parsed.version !== 1 || parsed.alg !== LOCAL_ALGORITHM || typeof jwk !== 'object' || jwk === null) throw bad(`expected version 1, alg ${LOCAL_ALGORITHM} and a private JWK`);
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') throw bad('the JWK is not a private P-256 key');
  try {
    const privateKey = (await importJWK(jwk, LOCAL_ALGORITHM)) as CryptoKey;
    const publicKey = (await importJWK(publicHalf(jwk), LOCAL_ALGORITHM)) as CryptoKey;
    return { file, kid: await calculateJwkThumbprint(publicHalf(jwk)), privateKey, publicKey };
  } catch (error) {
    throw bad('the JWK does not import', error);
  }
}

/** The public members of an EC JWK, in the form thumbprints and verification use. */
function publicHalf(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}
