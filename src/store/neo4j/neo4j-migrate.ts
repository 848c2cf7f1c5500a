/**
 * The Neo4j schema, completed at every open: uniqueness constraints (which are also the indexes behind
 * every lookup by id and every id-ordered scan page, and the writeId look-up of a retried write) and
 * `_seq` range indexes for `changesSince`. Data needs no migration: labels and relationship types come
 * into being on first write.
 *
 * Open first reads which constraints and indexes exist (two round trips) and runs only the DDL that is
 * missing: on a migrated database that is none, so opening costs no ~30 DDL round trips and needs no
 * schema privilege (the built-in reader and editor roles may SHOW both, not CREATE either).
 */
import type { BookmarkManager, Driver } from 'neo4j-driver';
import neo4j, { Neo4jError } from 'neo4j-driver';
import { invariant } from '../../model/errors.js';
import { EDGE_TYPES, NODE_LABELS } from '../../model/vocabulary.js';
import { rawStatement, type StatementVars } from '../statements.js';
import { NEO4J_STATEMENTS, neo4jStatement, type Neo4jStatementName } from './neo4j-statements.js';

/** Where to migrate; the store's bookmark manager, so that its first reads see the new schema. */
export interface MigrateOptions {
  readonly database?: string;
  readonly bookmarkManager: BookmarkManager;
}

/** One schema rule: its kind and name (as SHOW lists them) and the DDL that creates it. */
export interface SchemaRule {
  readonly kind: 'CONSTRAINT' | 'INDEX';
  readonly name: string;
  readonly ddl: string;
}

/**
 * Every schema rule, in the order they are created, placeholders filled: one per label or type where the
 * statement has a placeholder. Exported so tests can pin the plan without a server.
 */
export function migrationPlan(): SchemaRule[] {
  return NEO4J_STATEMENTS.schema.flatMap((name) => instances(name)).map(ruleOf);
}

/**
 * Creates whatever part of the schema is missing, by name; a no-op on a migrated database. Two instances
 * opening at once may race on the same rule; `IF NOT EXISTS` makes the loser's DDL a no-op, or it sees
 * an "already exists" error and runs the statement once more, which then finds the rule and does nothing.
 * @returns the rules it created.
 * @throws the driver's error when the server refuses (e.g. a user without schema privileges on a
 *   database that lacks a rule, or an existing plain index on `Identity.id` blocking the constraint);
 *   the caller maps it.
 */
export async function migrateNeo4j(driver: Driver, options: MigrateOptions): Promise<SchemaRule[]> {
  const config = {
    ...(options.database === undefined ? {} : { database: options.database }),
    bookmarkManager: options.bookmarkManager,
    // The leader: its schema is the one the DDL would change, so a lagging replica never makes us run
    // DDL that is not needed.
    routing: neo4j.routing.WRITE,
  };
  const names = async (statement: Neo4jStatementName) => {
    const { records } = await driver.executeQuery(neo4jStatement(statement), {}, config);
    return new Set(records.map((record) => String(record.get('name'))));
  };
  const existing = { CONSTRAINT: await names('show_constraints'), INDEX: await names('show_indexes') };
  const missing = migrationPlan().filter((rule) => !existing[rule.kind].has(rule.name));
  // Schema commands cannot share a transaction with each other's writes, so each runs on its own.
  for (const { ddl } of missing) {
    try {
      await driver.executeQuery(ddl, {}, config);
    } catch (error) {
      if (!(error instanceof Neo4jError && /^Neo\.ClientError\.Schema\.\w*AlreadyExists$/.test(error.code))) throw error;
      await driver.executeQuery(ddl, {}, config);
    }
  }
  return missing;
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

/** The kind and name a DDL statement declares (for a constraint: its name after CREATE CONSTRAINT). */
function ruleOf(ddl: string): SchemaRule {
  const match = /^CREATE (CONSTRAINT|INDEX) (\w+) IF NOT EXISTS\b/m.exec(ddl);
  invariant(match !== null, `a schema statement names its rule: ${ddl}`);
  return { kind: match[1] as SchemaRule['kind'], name: match[2]!, ddl };
}
