/**
 * Configuration, read and validated in one place at start (DESIGN.md, Configuration): flags first, then
 * environment variables, then defaults. Nothing else in the code reads `process.env`; the composition
 * roots (`cli/`, `server/`) call `loadConfig` and pass the result down.
 */
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
  /** The time budget of one path query, in ms. */
  readonly queryTimeoutMs: number;
  /** Seed the demo estate when the store is empty (the server's default, for a first run). */
  readonly seedWhenEmpty: boolean;
}

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

const schema = z.object({
  store: z.string().min(1),
  host: z.string().min(1, 'must not be empty'),
  port: whole(0, 65_535),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  production: z.boolean(),
  maxFirst: whole(1, 10_000),
  queryTimeoutMs: whole(10, 600_000),
  seedWhenEmpty: flag,
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
  seedWhenEmpty: ['', 'IDGRAPH_SEED_WHEN_EMPTY'],
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
    seedWhenEmpty: env['IDGRAPH_SEED_WHEN_EMPTY'] ?? 'true',
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
  return { ...parsed.data, store };
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
