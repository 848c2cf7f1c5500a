/**
 * The time budget of a path query, as the engine's abort signal. `AbortSignal.timeout` alone cannot stop
 * the engine: the walk is synchronous, so the timer that would abort the signal cannot fire until the walk
 * has finished. This signal also reads the clock when the engine checks `aborted` (every few thousand
 * visits, `paths/budget.ts`), so a walk past its deadline stops at the next check.
 */

/**
 * A signal that aborts with a TimeoutError `ms` milliseconds from now, whether or not the event loop
 * turns in between.
 * @example reach(projection, id, resolveQueryOptions({ signal: timeBudget(limits.queryTimeoutMs) }))
 */
export function timeBudget(ms: number, clock: () => number = performance.now.bind(performance)): AbortSignal {
  const deadline = clock() + ms;
  const controller = new AbortController();
  const { signal } = controller;
  const expire = (): void => controller.abort(new DOMException('query exceeded its time budget', 'TimeoutError'));
  setTimeout(expire, ms).unref();
  const aborted = (): boolean => Reflect.get(AbortSignal.prototype, 'aborted', signal) as boolean;
  Object.defineProperty(signal, 'aborted', {
    get: () => {
      if (!aborted() && clock() >= deadline) expire();
      return aborted();
    },
  });
  return signal;
}
