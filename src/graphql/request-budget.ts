/**
 * What one request may cost, whatever its shape. graphql-armor's cost limit reads `first` only where it is
 * written as a number, so a variable or a default slips past it; and each path query walks synchronously.
 * So the request itself carries a budget: one deadline for all its path queries, a cap on how many it
 * runs, and a cap on the items its connections and path results return in all.
 */
import { IdGraphError } from '../model/errors.js';
import type { ApiLimits } from './context.js';

export class RequestBudget {
  /** Epoch ms by which every path query of the request must have finished. */
  readonly deadline: number;
  private pathQueries = 0;
  private items = 0;

  constructor(
    private readonly limits: ApiLimits,
    now: number,
  ) {
    this.deadline = now + limits.queryTimeoutMs;
  }

  /**
   * Counts one path query.
   * @throws IdGraphError BAD_USER_INPUT past `limits.maxPathQueries`.
   */
  pathQuery(): void {
    if (++this.pathQueries > this.limits.maxPathQueries) {
      throw new IdGraphError('BAD_USER_INPUT', `A request may run at most ${this.limits.maxPathQueries} path queries; split it`);
    }
  }

  /**
   * Counts the items (connection edges, path entries) a field returns.
   * @throws IdGraphError BAD_USER_INPUT past `limits.maxItems`.
   */
  take(count: number): void {
    this.items += count;
    if (this.items > this.limits.maxItems) {
      throw new IdGraphError('BAD_USER_INPUT', `A request may return at most ${this.limits.maxItems} items in all; ask for smaller pages`);
    }
  }
}
