/**
 * The Neo4j schema, created idempotently at every open: uniqueness constraints (which are also the
 * indexes behind every lookup by id and every id-ordered scan page) and `_seq` range indexes for
 * `changesSince`. Data needs no migration: labels and relationship types come into being on first write.
 */
import type { BookmarkManager, Driver } from 'neo4j-driver';
import neo4j, { Neo4jError } from 'neo4j-driver';
import { EDGE_TYPES, NODE_LABELS } from '../../model/vocabulary.js';
import { rawStatement, type StatementVars } from '../statements.js';
import { NEO4J_STATEMENTS, neo4jStatement, type Neo4jStatementName } from './neo4j-statements.js';

/** Where to migrate; the store's bookmark manager, so that its first reads see the new schema. */
export interface MigrateOptions {
  readonly database?: string;
  readonly bookmarkManager: BookmarkManager;
}

/**
 * The schema statements in the order they run, placeholders filled: one per label or type where the
 * statement has a placeholder. Exported so tests can pin the plan without a server.
 */
export function migrationPlan(): string[] {
  return NEO4J_STATEMENTS.schema.flatMap((name) => instances(name));
}

/**
 * Creates whatever part of the schema is missing; a no-op on a migrated database. Two instances opening
 * at once may race on the same `IF NOT EXISTS`; the loser sees an "already exists" error and runs the
 * statement once more, which then finds the rule and does nothing.
 * @throws the driver's error when the server refuses (e.g. an existing plain index on `Identity.id`
 *   blocks the constraint); the caller maps it.
 */
export async function migrateNeo4j(driver: Driver, options: MigrateOptions): Promise<void> {
  const config = {
    ...(options.database === undefined ? {} : { database: options.database }),
    bookmarkManager: options.bookmarkManager,
    routing: neo4j.routing.WRITE,
  };
  // Schema commands cannot share a transaction with each other's writes, so each runs on its own.
  for (const ddl of migrationPlan()) {
    try {
      await driver.executeQuery(ddl, {}, config);
    } catch (error) {
      if (!(error instanceof Neo4jError && /^Neo\.ClientError\.Schema\.\w*AlreadyExists$/.test(error.code))) throw error;
      await driver.executeQuery(ddl, {}, config);
    }
  }
}

/** One instance per label for `{{label}}`, per relationship type for `{{type}}`, else the text itself. */
function instances(name: Neo4jStatementName): string[] {
  const text = rawStatement('neo4j', name);
  const varsList: StatementVars[] = text.includes('{{label}}')
    ? NODE_LABELS.map((label) => ({ label }))
    : text.includes('{{type}}')
      ? EDGE_TYPES.map((type) => ({ type }))
      : [{}];
  return varsList.map((vars) => neo4jStatement(name, vars));
}
