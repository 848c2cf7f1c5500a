/**
 * `idgraph token` end to end: a commander program built as `cli/program.ts` builds it (global `--store`,
 * exit override), errors reported as `main` reports them; and through `main` itself once registered.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticator.js';
import { LOCAL_KEY_FILE, localKeyPath } from '../../src/auth/local-key.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import type { CliIo } from '../../src/cli/main.js';
import { buildProgram } from '../../src/cli/program.js';
import { addTokenCommand } from '../../src/cli/token-command.js';
import { loadConfig } from '../../src/config/config.js';
import { IdGraphError, formatIssue } from '../../src/model/errors.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { CLI_NOW, cli, type CliRun } from '../support/cli-run.js';
import { tempDir } from '../support/temp-store.js';

/** Runs `idgraph <argv>` on a program with only the token command, reporting errors as `main` does. */
async function idgraph(argv: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdin: Readable.from(['']), env, now: () => CLI_NOW };
  const program = new Command('idgraph').option('--store <store>').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  addTokenCommand(program, io, { dataDir: () => loadConfig({ store: program.opts<{ store?: string }>().store }, io.env).auth.localKeyDir });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: 2, stdout, stderr };
    if (!(error instanceof IdGraphError)) throw error;
    if (error.issues.length === 0) stderr += `idgraph: ${error.message}\n`;
    for (const issue of error.issues) stderr += `idgraph: ${formatIssue(issue)}\n`;
    return { code: exitCodeFor(error.code), stdout, stderr };
  }
}

const verifier = (dir: string) => createAuthenticator({ host: '127.0.0.1', algorithms: ['ES256'], localKeyDir: dir, now: () => CLI_NOW });

describe('idgraph token', () => {
  it('prints a token, alone on its line, that a server on loopback accepts', async () => {
    const dir = tempDir();
    const run = await idgraph(['--store', `kuzu:${dir}`, 'token', '--role', 'analyst', '--subject', 'dev:ana']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verifier(dir).authenticate(`Bearer ${run.stdout.trim()}`)).toEqual({ subject: 'dev:ana', issuer: 'idgraph-local', roles: ['analyst'], services: [] });
  });

  it('prints one JSON document with --json', async () => {
    const dir = tempDir();
    const run = await idgraph(['--store', `kuzu:${dir}`, 'token', '--role', 'service-owner', '--service', 'svc:payments', '--service', 'svc:ledger', '--subject', 'team:pay', '--ttl', '30m', '--json']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(document).toEqual({
      token: expect.any(String), expiresAt: '2026-11-23T12:30:00.000Z', subject: 'team:pay', roles: ['service-owner'],
      services: ['svc:payments', 'svc:ledger'], issuer: 'idgraph-local', audience: 'idgraph',
    });
    expect(await verifier(dir).authenticate(`Bearer ${document['token'] as string}`)).toMatchObject({ services: ['svc:payments', 'svc:ledger'] });
  });

  it('works while a server holds the store: it reads the key file, never the database', async () => {
    const dir = tempDir();
    const store = await openKuzuStore({ dir });
    try {
      const run = await idgraph(['--store', `kuzu:${dir}`, 'token', '--role', 'central-admin']);
      expect(run.code).toBe(0);
      expect(existsSync(localKeyPath(dir))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('creates the key once and signs every later token with it', async () => {
    const dir = tempDir();
    const kids = [];
    for (const role of ['analyst', 'auditor']) {
      const run = await idgraph(['--store', `kuzu:${dir}`, 'token', '--role', role]);
      kids.push(decodeProtectedHeader(run.stdout.trim()).kid);
    }
    expect(kids[0]).toEqual(kids[1]);
    expect(readdirSync(dir)).toEqual([LOCAL_KEY_FILE]);
  });

  it('finds the data directory in IDGRAPH_STORE, and the key directory in --key-dir or IDGRAPH_JWT_KEY_DIR', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    expect((await idgraph(['token', '--role', 'analyst'], { IDGRAPH_STORE: `kuzu:${a}` })).code).toBe(0);
    expect((await idgraph(['--store', 'neo4j://db.internal:7687', 'token', '--role', 'analyst', '--key-dir', b])).code).toBe(0);
    expect((await idgraph(['--store', 'neo4j://db.internal:7687', 'token', '--role', 'analyst'], { IDGRAPH_JWT_KEY_DIR: c })).code).toBe(0);
    for (const dir of [a, b, c]) expect(existsSync(localKeyPath(dir))).toBe(true);
  });

  it.each([
    [['--role', 'root'], 'idgraph: --role: unknown role "root"; expected one of analyst, auditor, service-owner, central-admin'],
    [[], 'idgraph: --role: give at least one role; expected one of analyst, auditor, service-owner, central-admin'],
    [['--role', 'service-owner'], 'idgraph: --service: a service-owner token needs at least one --service <id>'],
    [['--role', 'analyst', '--ttl', '1y'], 'idgraph: --ttl: must be a duration such as 30m, 8h or 7d, from 1m to 30d, got "1y"'],
    [['--role', 'analyst', '--ttl', '90d'], 'idgraph: --ttl: must be a duration such as 30m, 8h or 7d, from 1m to 30d, got "90d"'],
  ])('exits 2 with one line for %j, and writes no key', async (flags, line) => {
    const dir = join(tempDir(), 'data');
    const run = await idgraph(['--store', `kuzu:${dir}`, 'token', ...flags]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
    expect(existsSync(dir)).toBe(false);
  });

  it('exits 2 for a Neo4j store without a key directory', async () => {
    const run = await idgraph(['--store', 'neo4j://db.internal:7687', 'token', '--role', 'analyst']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'idgraph: --key-dir: local tokens need a key directory with a Neo4j store: give --key-dir <dir> or set IDGRAPH_JWT_KEY_DIR\n' });
  });

  const registered = buildProgram({ stdout: () => {}, stderr: () => {}, stdin: Readable.from(['']), env: {} }).commands.some((c) => c.name() === 'token');
  it.runIf(registered)('runs through main() once cli/program.ts registers it', async () => {
    const dir = tempDir();
    const run = await cli(['--store', `kuzu:${dir}`, 'token', '--role', 'auditor', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ roles: ['auditor'], expiresAt: '2026-11-23T20:00:00.000Z' });
    expect((await cli(['--store', `kuzu:${dir}`, 'token', '--role', 'nobody'])).code).toBe(2);
  });
});
