/**
 * A canonical, index-free dump of an `Adjacency`: what two projections must agree on to be equal,
 * whatever order they interned ids or appended edges in.
 */
import type { Adjacency } from '../../src/paths/adjacency.js';

export interface AdjacencyDump {
  nodes: Record<string, string>;
  edges: Record<string, string>;
  out: Record<string, string[]>;
  in: Record<string, string[]>;
}

export function dumpAdjacency(adj: Adjacency): AdjacencyDump {
  const edgeName = (e: number): string =>
    `${adj.edgeType(e)} ${adj.idOf(adj.edgeFrom(e))}→${adj.idOf(adj.edgeTo(e))} #${adj.edgeKey(e)}`;
  const dump: AdjacencyDump = { nodes: {}, edges: {}, out: {}, in: {} };
  for (let n = 0; n < adj.nodeCount; n++) {
    const id = adj.idOf(n);
    dump.nodes[id] = [adj.labelOf(n), adj.nodeStart(n), adj.nodeEnd(n), adj.scopeLevelOf(n), adj.severityOf(n)].join(' ');
    const outs: string[] = [];
    const ins: string[] = [];
    adj.forEachOut(n, (e) => outs.push(edgeName(e)));
    adj.forEachIn(n, (e) => ins.push(edgeName(e)));
    dump.out[id] = outs.sort();
    dump.in[id] = ins.sort();
  }
  for (let e = 0; e < adj.edgeCount; e++) {
    dump.edges[edgeName(e)] = [adj.edgeOrigin(e), adj.edgeStart(e), adj.edgeEnd(e)].join(' ');
  }
  return dump;
}
