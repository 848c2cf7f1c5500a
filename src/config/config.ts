/**
 * Configuration, read and validated in one place at start (DESIGN.md, Configuration): flags first, then
 * environment variables, then defaults. Nothing else in the code reads `process.env`; the composition
 * roots (`cli/`, `server/`) call `loadConfig` and pass the result down.
 */
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { badInput, type Issue } from '../model/errors.js';

/** Where the graph lives. */
export type StoreSpec =
  | { readonly kind: 'kuzu'; readonly dir: string }
  | {
      readonly kind: 'neo4j';
      readonly uri: string;
      readonly user: string | undefined;
      readonly password: string | undefined;
      readonly database: string | undefined;
    };

export interface Config {
  readonly store: StoreSpec;
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Production turns introspection and the landing page off (NODE_ENV=production). */
  readonly production: boolean;
  /** The largest `first` a connection or a path query accepts. */
  readonly maxFirst: number;
  /** The time budget of all the path queries of one request, in ms. */
  readonly queryTimeoutMs: number;
  /** The most path queries one request may run. */
  readonly maxPathQueries: number;
  /** The most items (connection edges, path entries, entities) one request may return. */
  readonly maxItems: number;
  /** Seed the demo estate when the store is empty (the server's default, for a first run). */
  readonly seedWhenEmpty: boolean;
  /** How callers authenticate; `auth/` holds the rules (which tokens are accepted where). */
  readonly auth: AuthSettings;
}

/**
 * The JWT settings (DESIGN.md, API conventions). Remote tokens need `issuer` and `jwksUrl` together;
 * local tokens (`idgraph token`) are signed by a key kept in `localKeyDir`.
 */
export interface AuthSettings {
  /** The identity provider's JSON Web Key Set (IDGRAPH_JWKS_URL): https, or http on a loopback host. */
  readonly jwksUrl: string | undefined;
  /** The `iss` that remote tokens must carry (IDGRAPH_JWT_ISSUER). */
  readonly issuer: string | undefined;
  /** The `aud` that remote tokens must carry, when set (IDGRAPH_JWT_AUDIENCE). */
  readonly audience: string | undefined;
  /** The signature algorithms remote tokens may use (IDGRAPH_JWT_ALGORITHMS); asymmetric only. */
  readonly algorithms: readonly JwtAlgorithm[];
  /** Where the local signing key lives: IDGRAPH_JWT_KEY_DIR, else the Kuzu data directory, else none. */
  readonly localKeyDir: string | undefined;
}

/**
 * The algorithms a token may be signed with. Only asymmetric ones: an HMAC secret would have to be shared
 * with the API (and a JWKS does not publish one), and `none` is never a signature.
 */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export const DEFAULT_JWT_ALGORITHMS = 'RS256,ES256,EdDSA';

/** Values given as flags; undefined where the flag was not given. */
export interface ConfigFlags {
  readonly store?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: string | number | undefined;
}

export const DEFAULT_STORE = 'kuzu:./data';
const NEO4J_SCHEMES = ['neo4j:', 'neo4j+s:', 'bolt:', 'bolt+s:'];

const whole = (min: number, max: number) =>
  z.coerce.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const algorithmList = z.string().transform((value, ctx) => {
  const list = value.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  if (list.length > 0 && list.every((name) => (JWT_ALGORITHMS as readonly string[]).includes(name))) return list as JwtAlgorithm[];
  ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${JWT_ALGORITHMS.join(', ')}` });
  return z.NEVER;
});
const jwksUrl = z.string().refine(isAcceptableJwksUrl, 'must be an https:// URL (http:// only on a loopback host)');

const schema = z.object({
  store: z.string().min(1),
  host: z.string().min(1, 'must not be empty'),
  port: whole(0, 65_535),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  production: z.boolean(),
  maxFirst: whole(1, 10_000),
  queryTimeoutMs: whole(10, 600_000),
  maxPathQueries: whole(1, 1_000),
  maxItems: whole(1, 10_000_000),
  seedWhenEmpty: flag,
  jwksUrl: jwksUrl.optional(),
  jwtIssuer: z.string().optional(),
  jwtAudience: z.string().optional(),
  jwtAlgorithms: algorithmList,
  jwtKeyDir: z.string().optional(),
});

/** Source names as a user sees them, for messages: the flag when given as a flag, else the variable. */
const NAMES = {
  store: ['--store', 'IDGRAPH_STORE'],
  host: ['--host', 'IDGRAPH_HOST'],
  port: ['--port', 'IDGRAPH_PORT'],
  logLevel: ['', 'IDGRAPH_LOG_LEVEL'],
  production: ['', 'NODE_ENV'],
  maxFirst: ['', 'IDGRAPH_MAX_FIRST'],
  queryTimeoutMs: ['', 'IDGRAPH_QUERY_TIMEOUT_MS'],
  maxPathQueries: ['', 'IDGRAPH_MAX_PATH_QUERIES'],
  maxItems: ['', 'IDGRAPH_MAX_ITEMS'],
  seedWhenEmpty: ['', 'IDGRAPH_SEED_WHEN_EMPTY'],
  jwksUrl: ['', 'IDGRAPH_JWKS_URL'],
  jwtIssuer: ['', 'IDGRAPH_JWT_ISSUER'],
  jwtAudience: ['', 'IDGRAPH_JWT_AUDIENCE'],
  jwtAlgorithms: ['', 'IDGRAPH_JWT_ALGORITHMS'],
  jwtKeyDir: ['', 'IDGRAPH_JWT_KEY_DIR'],
} as const;

/**
 * @throws IdGraphError BAD_USER_INPUT naming every bad value, e.g. `--port: must be at most 65535 (got "70000")`.
 * @example loadConfig({ port: '4100' }, process.env)
 */
export function loadConfig(flags: ConfigFlags, givenEnv: Readonly<Record<string, string | undefined>>): Config {
  // An empty variable (`IDGRAPH_PORT=`) means unset, as in most shells' conventions, not port 0.
  const env = Object.fromEntries(Object.entries(givenEnv).filter(([, value]) => value !== undefined && value !== ''));
  const raw = {
    store: flags.store ?? env['IDGRAPH_STORE'] ?? DEFAULT_STORE,
    host: flags.host ?? env['IDGRAPH_HOST'] ?? '127.0.0.1',
    port: flags.port ?? env['IDGRAPH_PORT'] ?? 4000,
    logLevel: env['IDGRAPH_LOG_LEVEL'] ?? 'info',
    production: env['NODE_ENV'] === 'production',
    maxFirst: env['IDGRAPH_MAX_FIRST'] ?? 500,
    queryTimeoutMs: env['IDGRAPH_QUERY_TIMEOUT_MS'] ?? 5_000,
    maxPathQueries: env['IDGRAPH_MAX_PATH_QUERIES'] ?? 20,
    maxItems: env['IDGRAPH_MAX_ITEMS'] ?? 50_000,
    seedWhenEmpty: env['IDGRAPH_SEED_WHEN_EMPTY'] ?? 'true',
    jwksUrl: env['IDGRAPH_JWKS_URL'],
    jwtIssuer: env['IDGRAPH_JWT_ISSUER'],
    jwtAudience: env['IDGRAPH_JWT_AUDIENCE'],
    jwtAlgorithms: env['IDGRAPH_JWT_ALGORITHMS'] ?? DEFAULT_JWT_ALGORITHMS,
    jwtKeyDir: env['IDGRAPH_JWT_KEY_DIR'],
  };
  const issues: Issue[] = [];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof typeof NAMES;
      const [flag, variable] = NAMES[key];
      const name = flags[key as keyof ConfigFlags] !== undefined ? flag : variable;
      issues.push({ path: name, message: `${issue.message} (got ${JSON.stringify(raw[key])})` });
    }
  }
  const storeName = flags.store !== undefined ? '--store' : 'IDGRAPH_STORE';
  const store = parseStoreSpec(raw.store, env, storeName, issues);
  if (issues.length > 0 || !parsed.success || store === undefined) {
    throw badInput(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  const { jwksUrl: url, jwtIssuer, jwtAudience, jwtAlgorithms, jwtKeyDir, ...rest } = parsed.data;
  const auth: AuthSettings = {
    jwksUrl: url,
    issuer: jwtIssuer,
    audience: jwtAudience,
    algorithms: jwtAlgorithms,
    // A Neo4j store has no local directory of ours, so local tokens there need IDGRAPH_JWT_KEY_DIR.
    localKeyDir: jwtKeyDir ?? (store.kind === 'kuzu' ? store.dir : undefined),
  };
  return { ...rest, store, auth };
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether a host name or address stays on this machine: 127.0.0.0/8, ::1 (in any spelling, bracketed or
 * IPv4-mapped) and `localhost`. Other names are not, whatever they resolve to today.
 * @example isLoopbackHost('127.0.0.1') // true; isLoopbackHost('0.0.0.0') // false
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** A JWKS must come over TLS unless it never leaves the machine: keys fetched in clear could be swapped. */
function isAcceptableJwksUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** `kuzu:<dir>` or a Neo4j URI (credentials from the IDGRAPH_NEO4J_* variables). */
function parseStoreSpec(value: string, env: Readonly<Record<string, string | undefined>>, name: string, issues: Issue[]): StoreSpec | undefined {
  if (value.startsWith('kuzu:')) {
    const dir = value.slice('kuzu:'.length);
    if (dir.length > 0) return { kind: 'kuzu', dir };
  } else if (NEO4J_SCHEMES.some((scheme) => value.startsWith(`${scheme}//`))) {
    return {
      kind: 'neo4j',
      uri: value,
      user: env['IDGRAPH_NEO4J_USER'],
      password: env['IDGRAPH_NEO4J_PASSWORD'],
      database: env['IDGRAPH_NEO4J_DATABASE'],
    };
  }
  issues.push({ path: name, message: `must be kuzu:<dir> or a neo4j:// or bolt:// URI (got ${JSON.stringify(value)})` });
  return undefined;
}
