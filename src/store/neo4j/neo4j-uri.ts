/**
 * Neo4j connection targets: which URIs the adapter accepts, and how they are shown. A URI may carry
 * credentials (`neo4j://user:secret@host`); they are taken out before the URI reaches the driver or any
 * message, so that no password is ever printed.
 */
import { IdGraphError } from '../../model/errors.js';

/** The URI schemes the adapter accepts: routing (`neo4j`) or direct (`bolt`), each plain or TLS. */
export const NEO4J_SCHEMES = ['neo4j', 'neo4j+s', 'bolt', 'bolt+s'] as const;
/** One of `NEO4J_SCHEMES`. */
export type Neo4jScheme = (typeof NEO4J_SCHEMES)[number];

/** A parsed Neo4j URI, split into what the driver needs and what messages may show. */
export interface Neo4jTarget {
  readonly scheme: Neo4jScheme;
  /** The URI for the driver: no user info, routing context (`?policy=…`) kept. */
  readonly driverUri: string;
  /** For messages and `GraphStore.location`: scheme, host and port, plus `/<database>` when given. */
  readonly location: string;
  /** Credentials found in the URI's user info, if any (decoded). */
  readonly user?: string;
  readonly password?: string;
}

/**
 * Parses and checks a Neo4j URI.
 * @throws IdGraphError BAD_USER_INPUT for a malformed URI, an unsupported scheme or a missing host; the
 *   message quotes the URI with any password replaced by `***`.
 * @example parseNeo4jUri('neo4j+s://abc.databases.neo4j.io', 'neo4j').location
 *   // 'neo4j+s://abc.databases.neo4j.io/neo4j'
 */
export function parseNeo4jUri(uri: string, database?: string): Neo4jTarget {
  const shown = redactUri(uri);
  let url: URL;
  try {
    url = new URL(uri);
  } catch (error) {
    throw new IdGraphError('BAD_USER_INPUT', `Invalid Neo4j URI "${shown}"; expected e.g. neo4j://localhost:7687`, {
      cause: error,
    });
  }
  const scheme = url.protocol.slice(0, -1);
  if (!isNeo4jScheme(scheme)) {
    const expected = NEO4J_SCHEMES.map((s) => `${s}://`).join(', ');
    throw new IdGraphError('BAD_USER_INPUT', `Unsupported Neo4j URI scheme "${scheme}:" in "${shown}"; expected one of ${expected}`);
  }
  if (url.host === '') {
    throw new IdGraphError('BAD_USER_INPUT', `Neo4j URI "${shown}" names no host; expected e.g. ${scheme}://localhost:7687`);
  }
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  const path = url.pathname === '/' ? '' : url.pathname;
  return {
    scheme,
    driverUri: `${scheme}://${url.host}${path}${url.search}`,
    location: `${scheme}://${url.host}${database ? `/${database}` : ''}`,
    ...(user === undefined ? {} : { user }),
    ...(password === undefined ? {} : { password }),
  };
}

/** A URI as it may be printed: the password in its user info, if any, replaced by `***`. */
export function redactUri(uri: string): string {
  // Greedy up to the authority's last '@', so a password holding an unescaped '@' is hidden whole.
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_, start: string, userInfo: string) => {
    const colon = userInfo.indexOf(':');
    return colon < 0 ? `${start}${userInfo}@` : `${start}${userInfo.slice(0, colon)}:***@`;
  });
}

function isNeo4jScheme(value: string): value is Neo4jScheme {
  return (NEO4J_SCHEMES as readonly string[]).includes(value);
}
