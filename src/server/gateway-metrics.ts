/**
 * The gateway's Prometheus metrics (`/metrics` of the gateway): requests by operation, decisions by outcome
 * and how long one takes, and the projection's sequence the last decision read. Its own registry, as
 * `ServerMetrics`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayDecision } from '../gateway/graph-authorizer.js';
import { operationLabels } from './metrics.js';

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly decisions: Counter<'outcome'>;
  private readonly latency: Histogram;
  private readonly sequence: Gauge;
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly requestLatency: Histogram<'operation'>;
  private readonly operationLabel = operationLabels();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'idgraph_gateway_process_' });
    this.decisions = new Counter({
      name: 'idgraph_gateway_decisions_total',
      help: 'Authorization decisions of operations that touch a protected field, by outcome (ALLOW, DENY); allows are counted as sampled for the audit',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'idgraph_gateway_decision_duration_seconds',
      help: 'From the start of a decision to the rewritten operation: catching up, the walk, the filter',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [this.registry],
    });
    this.requests = new Counter({
      name: 'idgraph_gateway_requests_total',
      help: 'GraphQL requests through the gateway by operation name and outcome (ok, error: any error, FORBIDDEN included)',
      labelNames: ['operation', 'outcome'],
      registers: [this.registry],
    });
    this.requestLatency = new Histogram({
      name: 'idgraph_gateway_request_duration_seconds',
      help: 'Gateway request latency by operation name, subgraphs included',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.sequence = new Gauge({ name: 'idgraph_gateway_decision_sequence', help: 'The projection sequence the last recorded decision read', registers: [this.registry] });
  }

  /** One request, as `ServerMetrics.request` (the request plugin calls it). */
  request(operation: string | undefined, seconds: number, ok: boolean): void {
    const name = this.operationLabel(operation);
    this.requests.inc({ operation: name, outcome: ok ? 'ok' : 'error' });
    this.requestLatency.observe({ operation: name }, seconds);
  }

  decision(decision: GatewayDecision): void {
    this.decisions.inc({ outcome: decision.outcome });
    this.latency.observe(decision.ms / 1000);
    this.sequence.set(decision.sequence);
  }
}
