/**
 * The Neo4j dialect's named statements (`cypher/neo4j/<name>.cypher`). Listing them here gives the
 * adapter typed names and lets the lint test check that the folder holds exactly these files.
 */
import { EDGE_ENDPOINTS, EDGE_TYPES, type EdgeType, type NodeLabel } from '../../model/vocabulary.js';
import { statement, type StatementVars } from '../statements.js';

/** An edge statement's placeholders: a relationship type and one label pair it allows. */
export interface EdgeTriple {
  readonly type: EdgeType;
  readonly from: NodeLabel;
  readonly to: NodeLabel;
}

/** Statements the adapter runs, grouped by when. */
export const NEO4J_STATEMENTS = {
  /** Read by `migrate` at open, once each: the names of the schema rules that exist. */
  inspect: ['show_constraints', 'show_indexes'],
  /** Idempotent schema, the missing part run by `migrate` at open; each in its own transaction (Neo4j requires it). */
  schema: [
    'create_constraint_node_id',
    'create_constraint_audit_sequence',
    'create_constraint_audit_head',
    'create_constraint_audit_write_id',
    'create_index_node_seq',
    'create_index_edge_seq',
  ],
  /**
   * One write transaction, in this order (`find_audit_by_write_id` on a retry only, and `get_nodes` for
   * the label check, between the lock and the upserts).
   */
  write: ['lock_audit_head', 'find_audit_by_write_id', 'upsert_nodes', 'upsert_edges', 'append_audit'],
  read: ['get_nodes', 'get_edges', 'scan_nodes', 'scan_edges', 'nodes_since', 'edges_since', 'audit_events', 'last_audit'],
  /** Never run by the adapter: `wipe_all` empties a database for the conformance tests. */
  testOnly: ['wipe_all'],
} as const;

/** The name of a statement file in `cypher/neo4j/`. */
export type Neo4jStatementName = (typeof NEO4J_STATEMENTS)[keyof typeof NEO4J_STATEMENTS][number];

/**
 * Every (type, from label, to label) that `EDGE_ENDPOINTS` allows, in vocabulary order (15). Edge
 * statements name both endpoint labels so that each endpoint is an index seek on its label's id
 * constraint; an unlabelled endpoint would scan every node.
 */
export const EDGE_TRIPLES: readonly EdgeTriple[] = EDGE_TYPES.flatMap((type) =>
  EDGE_ENDPOINTS[type].from.flatMap((from) => EDGE_ENDPOINTS[type].to.map((to) => ({ type, from, to }))),
);

/**
 * The text of a Neo4j statement with its placeholders filled from the vocabulary.
 * @example neo4jStatement('upsert_nodes', { label: 'Identity' })
 */
export function neo4jStatement(name: Neo4jStatementName, vars: StatementVars = {}): string {
  return statement('neo4j', name, vars);
}
