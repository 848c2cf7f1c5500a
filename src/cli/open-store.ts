/** The CLI's composition root for storage: the one place (with `server/`) that picks an adapter. */
import type { StoreSpec } from '../config/config.js';
import type { GraphStore } from '../store/port.js';
import { openKuzuStore } from '../store/kuzu/kuzu-store.js';
import { openNeo4jStore } from '../store/neo4j/neo4j-store.js';

/** How long a Neo4j store may take to answer before the CLI gives up with exit 3. */
export const NEO4J_CONNECT_TIMEOUT_MS = 8_000;

/** @throws IdGraphError UNAVAILABLE when the store cannot be opened (locked, unwritable, not answering). */
export async function openStore(spec: StoreSpec): Promise<GraphStore> {
  if (spec.kind === 'kuzu') return openKuzuStore({ dir: spec.dir });
  return openNeo4jStore({
    uri: spec.uri,
    user: spec.user,
    password: spec.password,
    database: spec.database,
    connectTimeoutMs: NEO4J_CONNECT_TIMEOUT_MS,
  });
}
