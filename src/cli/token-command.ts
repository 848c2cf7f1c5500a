/**
 * `idgraph token`: mints a local API token. It reads (or, the first time, creates) the key file in the
 * data directory and never opens the store, so it works while a server holds the database.
 */
import type { Command } from 'commander';
import { getValidTokenRequest, mintLocalToken } from '../auth/mint-local-token.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../auth/local-key.js';
import { IdGraphError } from '../model/errors.js';
import type { CliIo } from './main.js';

export interface TokenCommandOptions {
  /**
   * The directory of the local key when `--key-dir` is not given: the program's `--store kuzu:<dir>`,
   * or IDGRAPH_JWT_KEY_DIR. Undefined for a Neo4j store without one.
   */
  readonly dataDir: () => string | undefined;
}

interface TokenFlags {
  readonly role?: string[];
  readonly service?: string[];
  readonly subject?: string;
  readonly ttl?: string;
  readonly keyDir?: string;
  readonly json?: boolean;
}

/**
 * Registers `token` on the program. Bad flags exit 2 with one line per problem, before any file is touched.
 * @example addTokenCommand(program, io, { dataDir: () => loadConfig({ store }, io.env).auth.localKeyDir })
 */
export function addTokenCommand(program: Command, io: CliIo, options: TokenCommandOptions): void {
  program
    .command('token')
    .description('mint a local API token, for a server that listens on loopback (signed with the key in the data directory)')
    .option('--role <role>', 'analyst, auditor, service-owner or central-admin (repeatable)', collect)
    .option('--service <id>', 'a service a service-owner owns, e.g. svc:payments (repeatable)', collect)
    .option('--subject <name>', 'whom the token names (default: local:<your user name>)')
    .option('--ttl <duration>', 'how long it lasts: 30m, 8h, 7d (default 8h, at most 30d)')
    .option('--key-dir <dir>', 'the directory of the key file (default: the kuzu data directory; required for a Neo4j store)')
    .option('--json', 'print { token, expiresAt, subject, roles, services, issuer, audience }')
    .action(async (flags: TokenFlags) => {
      const request = { roles: flags.role ?? [], services: flags.service ?? [], subject: flags.subject, ttl: flags.ttl };
      getValidTokenRequest(request);
      const dir = flags.keyDir ?? options.dataDir();
      if (dir === undefined || dir.length === 0) {
        const message = 'local tokens need a key directory with a Neo4j store: give --key-dir <dir> or set IDGRAPH_JWT_KEY_DIR';
        throw new IdGraphError('BAD_USER_INPUT', message, { issues: [{ path: '--key-dir', message }] });
      }
      const minted = await mintLocalToken({ ...request, dir, ...(io.now ? { now: io.now } : {}) });
      if (!flags.json) {
        io.stdout(`${minted.token}\n`);
        return;
      }
      const document = {
        token: minted.token,
        expiresAt: minted.expiresAt.toISOString(),
        subject: minted.subject,
        roles: minted.roles,
        services: minted.services,
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
      };
      io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    });
}

/** Commander's reducer for a repeatable option; no default, so that the help shows none. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
