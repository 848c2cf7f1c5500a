/** The work budget that travels with a query: counted visits and the abort signal. */
import { IdGraphError } from '../model/errors.js';

/**
 * Counts work and checks the abort signal and the deadline every few thousand visits, so that a cancelled
 * or overlong request stops a large walk without paying for a check per edge. The walk is synchronous, so
 * a timer could not abort it: the deadline is read off the clock here. Both are also checked at the start.
 * @throws IdGraphError UNAVAILABLE from the constructor when the signal has already aborted.
 * @example const budget = new Budget(signal, Date.now() + 5_000); for (const edge of edges) budget.tick();
 */
export class Budget {
  private count = 0;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly deadline: number | undefined = undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.check();
  }

  /** Visits so far: what the query cost. */
  get visits(): number {
    return this.count;
  }

  /** One unit of work (an edge or a route step visited). */
  tick(): void {
    if ((++this.count & 4095) === 0) this.check();
  }

  /** @throws IdGraphError UNAVAILABLE when the signal has aborted or the deadline has passed. */
  check(): void {
    if (this.signal?.aborted) throw new IdGraphError('UNAVAILABLE', 'query aborted');
    if (this.deadline !== undefined && this.clock() >= this.deadline) throw new IdGraphError('UNAVAILABLE', 'query exceeded its time budget');
  }
}
