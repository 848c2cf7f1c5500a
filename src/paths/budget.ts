/** The work budget that travels with a query: counted visits and the abort signal. */
import { IdGraphError } from '../model/errors.js';

/**
 * Counts work and checks the abort signal every few thousand visits, so that a cancelled request stops a
 * large walk without paying for a check per edge. The signal is also checked once at the start.
 * @throws IdGraphError UNAVAILABLE from the constructor when the signal has already aborted.
 * @example const budget = new Budget(signal); for (const edge of edges) budget.tick();
 */
export class Budget {
  private count = 0;

  constructor(private readonly signal: AbortSignal | undefined) {
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

  /** @throws IdGraphError UNAVAILABLE when the signal has aborted. */
  check(): void {
    if (this.signal?.aborted) throw new IdGraphError('UNAVAILABLE', 'query aborted');
  }
}
