/**
 * The properties the guardrails read that the projection does not hold: an identity's or a service's
 * environment, a role's origin and service, a grant's domain. Lookups are synchronous so that the facts
 * builders stay pure; a caller backed by the store loads what it needs first (a DataLoader batch).
 */
import type { Props } from '../model/properties.js';
import { edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../model/records.js';

/** A node's properties by id; undefined when unknown. */
export type NodeProps = (id: string) => Props | undefined;

/** Node and edge properties, for the drift report, which reads every grant's domain. */
export interface GraphProps {
  readonly node: NodeProps;
  readonly edge: (edge: EdgeKey) => Props | undefined;
}

/**
 * Lookups over records in memory: for tests, the CLI and tools that hold the records already.
 * @example guardrailViolations(projection, graphPropsOf(nodes, edges), guardrails, Date.now())
 */
export function graphPropsOf(nodes: readonly NodeRecord[], edges: readonly EdgeRecord[]): GraphProps {
  const byId = new Map(nodes.map((n) => [n.id, n.props]));
  const byKey = new Map(edges.map((e) => [edgeKeyString(e), e.props]));
  return { node: (id) => byId.get(id), edge: (key) => byKey.get(edgeKeyString(key)) };
}
