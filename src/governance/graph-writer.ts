/**
 * The one way governance changes the graph: a write to the store (atomic, with its audit event), then,
 * only once it has committed, the same change applied to the projection (DESIGN.md, Consistency). Writes
 * are serialized so that the projection applies commits in sequence order.
 */
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import type { Projection } from '../projection/projection.js';
import type { AuditInput, Commit, GraphStore } from '../store/port.js';

export class GraphWriter {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: GraphStore,
    private readonly projection: Projection,
  ) {}

  /**
   * Commits the nodes, edges and audit event in one store transaction, then applies them to the
   * projection. A failed write leaves both as they were.
   * @throws IdGraphError from the store (UNAVAILABLE, CONFLICT).
   */
  commit(nodes: readonly NodeRecord[], edges: readonly EdgeRecord[], audit: AuditInput): Promise<Commit> {
    const run = async (): Promise<Commit> => {
      const commit = await this.store.write({ nodes, edges, audit });
      // In order unless another process wrote in between: then the log has the commits in between.
      if (commit.sequence === this.projection.sequence + 1) this.projection.apply({ sequence: commit.sequence, nodes, edges });
      else await this.projection.catchUp(this.store);
      return commit;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
