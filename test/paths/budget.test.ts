import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/paths/budget.js';
import { failureOf } from '../support/failure.js';

describe('Budget', () => {
  it('counts every unit of work', () => {
    const budget = new Budget(undefined);
    for (let i = 0; i < 10; i++) budget.tick();
    expect(budget.visits).toBe(10);
  });

  it('stops at once when the signal has already aborted', async () => {
    const error = await failureOf(Promise.resolve().then(() => new Budget(AbortSignal.abort())), 'UNAVAILABLE');
    expect(error.message).toBe('query aborted');
  });

  it('stops a synchronous walk once the clock passes the deadline, checking every 4096 visits', async () => {
    let now = 0;
    const budget = new Budget(undefined, 100, () => now);
    now = 150;
    for (let i = 0; i < 4095; i++) budget.tick();
    const error = await failureOf(Promise.resolve().then(() => budget.tick()), 'UNAVAILABLE');
    expect(error.message).toBe('query exceeded its time budget');
  });
});
