/**
 * A naive `Adjacency` over plain records, for engine tests: validity from `model/liveness.ts`, nodes in
 * input order, edges listed per node in input order. It shares nothing with the projection, so that the
 * engine is tested against the contract and not against one implementation of it.
 */
import { edgeInterval, nodeInterval, type Interval } from '../../src/model/liveness.js';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import type { Origin, ScopeLevel, Severity } from '../../src/model/vocabulary.js';
import type { Adjacency } from '../../src/paths/adjacency.js';

/** @example const adj = arrayAdjacency(estate().identity('sa:ci').build()) */
export function arrayAdjacency({ nodes, edges }: { nodes: readonly NodeRecord[]; edges: readonly EdgeRecord[] }): Adjacency {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`edge endpoint ${id} is not a node`);
    return i;
  };
  const nodeIntervals: Interval[] = nodes.map((n) => nodeInterval(n.label, n.props));
  const edgeIntervals: Interval[] = edges.map((e) => edgeInterval(e.type, e.props));
  const from = edges.map((e) => at(e.from));
  const to = edges.map((e) => at(e.to));
  const out: number[][] = nodes.map(() => []);
  const into: number[][] = nodes.map(() => []);
  edges.forEach((_, e) => {
    out[from[e]!]!.push(e);
    into[to[e]!]!.push(e);
  });
  const node = (n: number): NodeRecord => nodes[n]!;
  const edge = (e: number): EdgeRecord => edges[e]!;
  return {
    nodeCount: nodes.length,
    edgeCount: edges.length,
    indexOf: (id) => index.get(id),
    idOf: (n) => node(n).id,
    labelOf: (n) => node(n).label,
    nodeStart: (n) => nodeIntervals[n]!.start,
    nodeEnd: (n) => nodeIntervals[n]!.end,
    scopeLevelOf: (n) => (node(n).label === 'Scope' ? (node(n).props['level'] as ScopeLevel | undefined) : undefined),
    severityOf: (n) => {
      const { label, props } = node(n);
      const value = label === 'Scope' ? props['sensitivity'] : label === 'Service' ? props['criticality'] : undefined;
      return value as Severity | undefined;
    },
    forEachOut: (n, visit) => out[n]!.forEach((e) => visit(e)),
    forEachIn: (n, visit) => into[n]!.forEach((e) => visit(e)),
    edgeType: (e) => edge(e).type,
    edgeFrom: (e) => from[e]!,
    edgeTo: (e) => to[e]!,
    edgeKey: (e) => edge(e).key,
    edgeOrigin: (e) => edge(e).props['origin'] as Origin | undefined,
    edgeStart: (e) => edgeIntervals[e]!.start,
    edgeEnd: (e) => edgeIntervals[e]!.end,
  };
}
