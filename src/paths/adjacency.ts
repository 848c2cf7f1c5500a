/**
 * What the path engine reads: the graph's topology with node and edge validity, by integer index.
 * `projection/` implements it over typed arrays; a test implements it over plain arrays in a few lines.
 * Nodes are `0 … nodeCount-1`, edges `0 … edgeCount-1`; indices are stable while a query runs.
 */
import type { EdgeType, NodeLabel, Origin, ScopeLevel, Severity } from '../model/vocabulary.js';

export interface Adjacency {
  readonly nodeCount: number;
  readonly edgeCount: number;

  indexOf(id: string): number | undefined;
  idOf(node: number): string;
  labelOf(node: number): NodeLabel;
  /** The node's validity interval in epoch ms (`model/liveness.ts`). */
  nodeStart(node: number): number;
  nodeEnd(node: number): number;
  /** A Scope's level; undefined for other labels. */
  scopeLevelOf(node: number): ScopeLevel | undefined;
  /** A Scope's sensitivity or a Service's criticality; undefined when not set or another label. */
  severityOf(node: number): Severity | undefined;

  /** Calls `visit` with every edge out of `node` (any type, live or not). */
  forEachOut(node: number, visit: (edge: number) => void): void;
  /** Calls `visit` with every edge into `node`. */
  forEachIn(node: number, visit: (edge: number) => void): void;

  edgeType(edge: number): EdgeType;
  edgeFrom(edge: number): number;
  edgeTo(edge: number): number;
  /** The edge's `props.id`, or ''. */
  edgeKey(edge: number): string;
  edgeOrigin(edge: number): Origin | undefined;
  edgeStart(edge: number): number;
  edgeEnd(edge: number): number;
}
