/**
 * Prometheus metrics (`/metrics`): requests and latency by GraphQL operation name, the projection's size,
 * and the work path queries do. Each server owns its registry, so several can run in one process (tests).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueryStats } from '../paths/results.js';
import type { Projection } from '../projection/projection.js';

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly latency: Histogram<'operation'>;
  private readonly visits: Histogram<'query'>;

  constructor(projection: () => Projection | undefined) {
    collectDefaultMetrics({ register: this.registry, prefix: 'idgraph_process_' });
    this.requests = new Counter({
      name: 'idgraph_graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome (ok, error)',
      labelNames: ['operation', 'outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'idgraph_graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.visits = new Histogram({
      name: 'idgraph_path_query_visited_nodes',
      help: 'Nodes visited by one path query, by query',
      labelNames: ['query'],
      buckets: [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000],
      registers: [this.registry],
    });
    const size = (name: string, help: string, read: (p: Projection) => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = projection();
          this.set(p === undefined ? 0 : read(p));
        },
      });
    };
    size('idgraph_projection_nodes', 'Nodes in the in-memory projection', (p) => p.nodeCount);
    size('idgraph_projection_edges', 'Edges in the in-memory projection', (p) => p.edgeCount);
    size('idgraph_projection_bytes', 'Bytes of typed arrays held by the projection', (p) => p.stats().typedArrayBytes);
    size('idgraph_projection_sequence', 'Last audit sequence applied to the projection', (p) => p.sequence);
  }

  /**
   * Records one GraphQL request. Operation names come from clients, so the label set is bounded: an
   * unnamed operation counts as "anonymous", and names past the first 200 distinct ones as "other".
   */
  private readonly operationLabel = operationLabels();

  request(operation: string | undefined, seconds: number, ok: boolean): void {
    const name = this.operationLabel(operation);
    this.requests.inc({ operation: name, outcome: ok ? 'ok' : 'error' });
    this.latency.observe({ operation: name }, seconds);
  }

  /** Records the work of one path query. */
  query(query: string, stats: QueryStats): void {
    this.visits.observe({ query }, stats.visited);
  }
}

/**
 * Operation names as metric labels: a client names its operations, so at most 200 distinct names become
 * labels (the rest count as `other`) and a name that is not a GraphQL name counts as `anonymous`.
 * @example const label = operationLabels(); label('Blast') // 'Blast'
 */
export function operationLabels(): (operation: string | undefined) => string {
  const seen = new Set<string>();
  return (operation) => {
    if (operation === undefined || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(operation)) return 'anonymous';
    if (seen.has(operation)) return operation;
    if (seen.size >= 200) return 'other';
    seen.add(operation);
    return operation;
  };
}
