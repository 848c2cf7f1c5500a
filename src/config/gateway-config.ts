/**
 * The gateway's configuration (`gateway.yaml`, DESIGN.md Gateway): where it listens, which subgraphs it
 * federates (or a supergraph file), how it enforces, and where the identity subgraph is. Read and
 * validated once, at start, by `idgraph gateway`; every problem is reported at once, by its YAML path.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { badInput, type Issue } from '../model/errors.js';
import type { StoreSpec } from './config.js';

/** What the gateway does with an operation that selects a field its caller may not read. */
export type EnforcementMode = 'filter' | 'reject';

export interface SubgraphSpec {
  readonly name: string;
  readonly url: string;
  /** Whether it gets the caller's Authorization header; undefined: the config's `forwardAuthorization`. */
  readonly forwardAuthorization?: boolean | undefined;
}

export interface GatewayConfig {
  /** The file it was read from, for messages. */
  readonly file: string;
  readonly listen: { readonly host: string; readonly port: number };
  /** `filter`: drop the unauthorized fields and report each (the router's behaviour); `reject`: refuse the operation. */
  readonly mode: EnforcementMode;
  /** Off only to measure the cost of enforcement (`bench/gateway.ts`): every field is then served. */
  readonly enforce: boolean;
  /**
   * The identity subgraph. `port`: the gateway serves it itself, in process, over the store the gateway
   * opens (the only way with Kuzu, which one process opens). `url`: another process serves it over a
   * shared Neo4j database, and the gateway reads the same database to decide.
   */
  readonly identity: { readonly port: number; readonly url?: undefined } | { readonly url: string; readonly port?: undefined };
  /** The other subgraphs, composed at start by introspection; empty when `supergraph` is given. */
  readonly subgraphs: readonly SubgraphSpec[];
  /** A composed supergraph SDL file (absolute), instead of `subgraphs`; it must include the identity subgraph. */
  readonly supergraph: string | undefined;
  readonly audit: {
    /** The share of allowed decisions written to the audit log (0 … 1); every denial is written. */
    readonly sampleAllows: number;
  };
  /**
   * Whether subgraphs get the caller's Authorization header (the identity subgraph always does): a
   * subgraph that does no authorization of its own has no use for a token it could replay.
   */
  readonly forwardAuthorization: boolean;
  /** The request header that asks for the explain extension (`extensions.idgraph`). */
  readonly explainHeader: string;
  /** The greatest path length a decision follows (as the path queries' `maxDepth`). */
  readonly maxDepth: number;
}

/** The name under which the identity subgraph is composed; no other subgraph may take it. */
export const IDENTITY_SUBGRAPH = 'identity';

const port = z.number().int('must be a whole number').min(0, 'must be at least 0').max(65_535, 'must be at most 65535');
const httpUrl = z.string().refine((value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol), 'must be an http:// or https:// URL');
const subgraphName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, _ and -')
  .refine((name) => name !== IDENTITY_SUBGRAPH, `"${IDENTITY_SUBGRAPH}" is the identity subgraph's name; give this subgraph another`);

const schema = z
  .object({
    listen: z.object({ host: z.string().min(1, 'must not be empty').default('127.0.0.1'), port: port.default(4000) }).strict().default({ host: '127.0.0.1', port: 4000 }),
    mode: z.enum(['filter', 'reject']).default('filter'),
    enforce: z.boolean().default(true),
    identity: z
      .union([z.object({ port }).strict(), z.object({ url: httpUrl }).strict()], { error: 'must be { port: <number> } (served by the gateway) or { url: <http URL> }' })
      .default({ port: 4001 }),
    subgraphs: z.array(z.object({ name: subgraphName, url: httpUrl, forwardAuthorization: z.boolean().optional() }).strict()).default([]),
    forwardAuthorization: z.boolean().default(true),
    supergraph: z.string().min(1, 'must name a file').optional(),
    audit: z.object({ sampleAllows: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0) }).strict().default({ sampleAllows: 0 }),
    explain: z
      .object({ header: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name').default('x-idgraph-explain') })
      .strict()
      .default({ header: 'x-idgraph-explain' }),
    maxDepth: z.number().int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64').default(16),
  })
  .strict();

/**
 * Reads and validates a gateway config file; `store` is the store the gateway opens (from `--store` or
 * IDGRAPH_STORE), checked against where the identity subgraph runs.
 * @throws IdGraphError BAD_USER_INPUT naming every problem by its YAML path, e.g. `subgraphs.1.url: must be
 *   an http:// or https:// URL`, or `--config` when the file cannot be read.
 * @example loadGatewayConfig('examples/company/gateway.yaml', { kind: 'kuzu', dir: './data' })
 */
export function loadGatewayConfig(file: string, store: StoreSpec): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const message = `cannot read ${file}: ${(error as Error).message}`;
    throw badInput(`--config: ${message}`, [{ path: '--config', message }]);
  }
  return parseGatewayConfig(text, resolve(file), store);
}

/**
 * @throws IdGraphError BAD_USER_INPUT as `loadGatewayConfig`.
 * @example parseGatewayConfig('subgraphs: [{ name: payments, url: "http://127.0.0.1:4101/graphql" }]', '/etc/idgraph/gateway.yaml', store)
 */
export function parseGatewayConfig(text: string, file: string, store: StoreSpec): GatewayConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw badInput(`${file}: not valid YAML: ${(error as Error).message}`, [{ path: file, message: `not valid YAML: ${(error as Error).message}` }]);
  }
  const parsed = schema.safeParse(raw);
  const issues: Issue[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(top)', message: i.message }));
  if (parsed.success) {
    const { subgraphs, supergraph, identity } = parsed.data;
    if (supergraph === undefined && subgraphs.length === 0) issues.push({ path: 'subgraphs', message: 'name at least one subgraph, or give a supergraph file' });
    if (supergraph !== undefined && subgraphs.length > 0) issues.push({ path: 'supergraph', message: 'give either subgraphs or a supergraph file, not both' });
    const seen = new Set<string>();
    subgraphs.forEach((s, i) => {
      if (seen.has(s.name)) issues.push({ path: `subgraphs.${i}.name`, message: `"${s.name}" is named twice` });
      seen.add(s.name);
    });
    if ('url' in identity && identity.url !== undefined && store.kind === 'kuzu') {
      issues.push({ path: 'identity.url', message: 'an embedded (Kuzu) store is opened by one process: let the gateway serve the identity subgraph (identity: { port: … }), or use a Neo4j store' });
    }
  }
  if (!parsed.success || issues.length > 0) throw badInput(`${file}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues.map((i) => ({ ...i, file })));
  const { listen, mode, enforce, identity, subgraphs, supergraph, audit, explain, maxDepth, forwardAuthorization } = parsed.data;
  return {
    file,
    listen,
    mode,
    enforce,
    identity,
    subgraphs,
    supergraph: supergraph === undefined ? undefined : resolve(dirname(file), supergraph),
    audit,
    forwardAuthorization,
    explainHeader: explain.header.toLowerCase(),
    maxDepth,
  };
}
