/**
 * The drift report over the live graph: today's guardrails applied to every standing grant
 * (policy/guardrail-violations.ts), with the properties it reads loaded from the store in one scan.
 * One function behind both the `guardrailViolations` query and `idgraph check`.
 */
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import type { Adjacency } from '../paths/adjacency.js';
import { graphPropsOf, guardrailViolations, type GuardrailViolationsResult, type Guardrails } from '../policy/index.js';
import type { GraphStore } from '../store/port.js';

/**
 * @example const report = await driftReport(store, projection, loadGuardrails(), Date.now())
 */
export async function driftReport(store: GraphStore, adj: Adjacency, guardrails: Guardrails, at: number): Promise<GuardrailViolationsResult> {
  const nodes: NodeRecord[] = [];
  for await (const batch of store.scanNodes()) nodes.push(...batch);
  const edges: EdgeRecord[] = [];
  for await (const batch of store.scanEdges()) edges.push(...batch);
  return guardrailViolations(adj, graphPropsOf(nodes, edges), guardrails, at);
}
