/** The records that cross the store port and the interchange format. */
import type { Props } from './properties.js';
import type { EdgeType, NodeLabel } from './vocabulary.js';

export interface NodeRecord {
  readonly label: NodeLabel;
  readonly id: string;
  readonly props: Props;
}

/**
 * An edge is identified by `type`, `from`, `to` and `key` (its `props.id`, or '' when it has none).
 * Endpoint labels travel with it: the stores keep one table (Kuzu) or label (Neo4j) per node label.
 */
export interface EdgeRecord {
  readonly type: EdgeType;
  readonly from: string;
  readonly to: string;
  readonly fromLabel: NodeLabel;
  readonly toLabel: NodeLabel;
  readonly key: string;
  readonly props: Props;
}

/** The identity of an edge without its properties. */
export type EdgeKey = Pick<EdgeRecord, 'type' | 'from' | 'to' | 'key'>;

/** The key of an edge from its props, per DESIGN.md: `props.id` if given, else ''. */
export function edgeKeyOf(props: Props): string {
  return typeof props['id'] === 'string' ? props['id'] : '';
}

/** A stable string for an edge's identity, for maps and sets. */
export function edgeKeyString(edge: EdgeKey): string {
  return `${edge.type}\u0000${edge.from}\u0000${edge.to}\u0000${edge.key}`;
}
