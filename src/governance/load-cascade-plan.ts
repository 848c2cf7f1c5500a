/**
 * `planCascade` reads properties synchronously, so that it stays pure; a store answers asynchronously, in
 * batches. This runs the plan over what is loaded so far, records what it asked for and did not have, loads
 * exactly that in one batch of nodes and one of edges, and plans again, until a plan asks for nothing new.
 * A plan's reads only grow as it learns more, so this ends, usually in two or three rounds.
 */
import { edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../model/records.js';
import type { Adjacency } from '../paths/adjacency.js';
import { applyCascade, type CascadeWrite, type StoredRecords } from './apply-cascade.js';
import { planCascade, type CascadeOptions, type CascadePlan, type LifecycleEvent } from './cascade.js';

/** The two batch reads of the store port (a `GraphStore` is one): one entry per id or key, in order. */
export interface RecordLoader {
  getNodes(ids: readonly string[]): Promise<readonly (NodeRecord | undefined)[]>;
  getEdges(keys: readonly EdgeKey[]): Promise<readonly (EdgeRecord | undefined)[]>;
}

export interface LoadedCascadePlan {
  readonly plan: CascadePlan;
  /** The plan applied to the records as loaded: what to write (see `applyCascade`). */
  readonly write: CascadeWrite;
  /** How many times the plan was computed; each round but the last loaded one batch of each kind. */
  readonly rounds: number;
}

/**
 * The cascade of `event` at `at`, with the properties it needs loaded through `loader`, and the records to
 * write. A dry run returns `plan`; a real run writes `write` in one commit with one audit event.
 * @throws IdGraphError as `planCascade` does; CONFLICT when a record vanished between load and plan.
 * @example
 * const { plan, write } = await loadCascadePlan(projection, store, { kind: 'offboardVendor', vendor: 'vendor:clearpath' }, Date.now(), { by: caller.subject });
 */
export async function loadCascadePlan(
  adj: Adjacency,
  loader: RecordLoader,
  event: LifecycleEvent,
  at: number,
  options: CascadeOptions = {},
): Promise<LoadedCascadePlan> {
  // A key present with `undefined` is known to be absent; a key not present is not loaded yet.
  const nodes = new Map<string, NodeRecord | undefined>();
  const edges = new Map<string, EdgeRecord | undefined>();
  const stored: StoredRecords = { node: (id) => nodes.get(id), edge: (key) => edges.get(edgeKeyString(key)) };
  for (let rounds = 1; ; rounds++) {
    const wantNodes = new Set<string>();
    const wantEdges = new Map<string, EdgeKey>();
    const plan = planCascade(
      adj,
      {
        node: (id) => {
          if (!nodes.has(id)) wantNodes.add(id);
          return nodes.get(id)?.props;
        },
        edge: (key) => {
          const k = edgeKeyString(key);
          if (!edges.has(k)) wantEdges.set(k, { type: key.type, from: key.from, to: key.to, key: key.key });
          return edges.get(k)?.props;
        },
      },
      event,
      at,
      options,
    );
    if (wantNodes.size === 0 && wantEdges.size === 0) return { plan, write: applyCascade(plan, stored), rounds };
    const nodeIds = [...wantNodes];
    const edgeKeys = [...wantEdges.values()];
    const [loadedNodes, loadedEdges] = await Promise.all([
      nodeIds.length === 0 ? [] : loader.getNodes(nodeIds),
      edgeKeys.length === 0 ? [] : loader.getEdges(edgeKeys),
    ]);
    nodeIds.forEach((id, i) => nodes.set(id, loadedNodes[i]));
    edgeKeys.forEach((key, i) => edges.set(edgeKeyString(key), loadedEdges[i]));
  }
}
