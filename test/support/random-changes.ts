/** Random committed changes over a small id space, for property tests of the projection and the stores. */
import fc from 'fast-check';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import { EDGE_ENDPOINTS, EDGE_TYPES, NODE_LABELS, type NodeLabel } from '../../src/model/vocabulary.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (days: number): string => new Date(T0 + days * 86_400_000).toISOString();
const IDS_PER_LABEL = 3;
const ids = (label: NodeLabel): string[] => Array.from({ length: IDS_PER_LABEL }, (_, i) => `${label.toLowerCase()}:${i}`);
const time = fc.option(fc.integer({ min: -5, max: 5 }).map(iso), { nil: undefined });

const nodeArb = fc
  .record({ label: fc.constantFrom(...NODE_LABELS), i: fc.nat(IDS_PER_LABEL - 1), disabled: fc.boolean(), expiresAt: time })
  .map(({ label, i, disabled, expiresAt }): NodeRecord => {
    const props: Record<string, unknown> = { name: `n${i}` };
    if (disabled && label === 'Identity') props['status'] = 'DISABLED';
    if (label === 'Credential' && expiresAt) props['expiresAt'] = expiresAt;
    if (label === 'Scope') props['level'] = ['READ', 'WRITE', 'ADMIN'][i % 3];
    if (label === 'Service') props['criticality'] = ['LOW', 'HIGH', 'CRITICAL'][i % 3];
    return { label, id: ids(label)[i]!, props };
  });

/** An edge waiting for the nodes known so far: undefined when an endpoint does not exist yet. */
export type PendingEdge = (known: ReadonlyMap<string, NodeRecord>) => EdgeRecord | undefined;

const edgeArb = fc
  .record({
    type: fc.constantFrom(...EDGE_TYPES),
    a: fc.nat(20),
    b: fc.nat(20),
    key: fc.constantFrom('', 'k'),
    status: fc.constantFrom(undefined, 'ACTIVE', 'REVOKED', 'PENDING'),
    grantedAt: time,
    expiresAt: time,
    origin: fc.constantFrom(undefined, 'CENTRAL', 'LOCAL'),
  })
  .map((r): PendingEdge => {
    const ends = EDGE_ENDPOINTS[r.type];
    const fromLabel = ends.from[r.a % ends.from.length]!;
    const toLabel = ends.to[r.b % ends.to.length]!;
    const props: Record<string, unknown> = {};
    if (r.key) props['id'] = r.key;
    for (const k of ['status', 'grantedAt', 'expiresAt', 'origin'] as const) if (r[k] !== undefined) props[k] = r[k];
    return (known) => {
      const from = ids(fromLabel)[r.a % IDS_PER_LABEL]!;
      const to = ids(toLabel)[r.b % IDS_PER_LABEL]!;
      if (!known.has(from) || !known.has(to)) return undefined;
      return { type: r.type, from, to, fromLabel, toLabel, key: r.key, props };
    };
  });

export interface RandomBatch {
  readonly nodes: NodeRecord[];
  readonly edges: PendingEdge[];
}

/** Sequences of batches: each a few node upserts and a few edge upserts among the nodes known by then. */
export const batchesArb = (maxBatches: number) =>
  fc.array(fc.record({ nodes: fc.array(nodeArb, { maxLength: 8 }), edges: fc.array(edgeArb, { maxLength: 12 }) }), { minLength: 1, maxLength: maxBatches });

/** Resolves a batch against the nodes known so far (which it updates), deduplicating its edges. */
export function resolveBatch(batch: RandomBatch, known: Map<string, NodeRecord>): { nodes: NodeRecord[]; edges: EdgeRecord[] } {
  const nodes = [...new Map(batch.nodes.map((n) => [n.id, n])).values()];
  for (const n of nodes) known.set(n.id, n);
  const edges = new Map<string, EdgeRecord>();
  for (const make of batch.edges) {
    const e = make(known);
    if (e !== undefined) edges.set(`${e.type} ${e.from} ${e.to} ${e.key}`, e);
  }
  return { nodes, edges: [...edges.values()] };
}
