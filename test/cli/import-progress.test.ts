import { describe, expect, it } from 'vitest';
import { importProgress } from '../../src/cli/import-progress.js';
import type { ImportProgress } from '../../src/interchange/import.js';

/** A reporter over a buffer, and a clock the test moves. */
function reporter(isTTY: boolean, quiet = false) {
  let now = 0;
  let out = '';
  const progress = importProgress({ write: (text) => (out += text), isTTY, quiet, everyMs: 5000, now: () => now, totalBytes: 1000 });
  return { progress, output: () => out, advance: (ms: number) => (now += ms) };
}

const step = (phase: ImportProgress['phase'], lines: number, done = false): ImportProgress => ({ phase, lines, totalLines: 1000, bytes: lines, done });

describe('import progress on stderr', () => {
  it('prints nothing for an import shorter than one interval when stderr is not a terminal', () => {
    const { progress, output } = reporter(false);
    progress.onProgress(step('validate', 500));
    progress.onProgress(step('validate', 1000, true));
    progress.onProgress(step('commit', 1000, true));
    expect(output()).toBe('');
  });

  it('prints a plain line per interval, then each phase end, with no terminal control characters', () => {
    const { progress, output, advance } = reporter(false);
    advance(6000);
    progress.onProgress(step('validate', 500));
    advance(1000);
    progress.onProgress(step('validate', 1000, true));
    advance(2000);
    progress.onProgress(step('commit', 1000, true));
    expect(output().split('\n')).toEqual([
      'import: validating running: 500 of 1,000 lines, 83 lines/s, 6.0 s',
      'import: validating done: 1,000 of 1,000 lines, 143 lines/s, 7.0 s',
      'import: committing done: 1,000 lines, 9.0 s',
      '',
    ]);
    expect(output()).not.toMatch(/[\r\u001b]/);
  });

  it('draws a bar with the phase, the count and an ETA when stderr is a terminal', () => {
    const { progress, output } = reporter(true);
    progress.onProgress(step('validate', 500));
    progress.stop();
    expect(output()).toMatch(/import validating \[[=-]+\] \d+% \| \d+\/1000 \|.*lines\/s \| ETA/);
  });

  it('prints nothing at all with --quiet', () => {
    for (const isTTY of [true, false]) {
      const { progress, output, advance } = reporter(isTTY, true);
      advance(60_000);
      progress.onProgress(step('validate', 500));
      progress.onProgress(step('commit', 1000, true));
      progress.stop();
      expect(output()).toBe('');
    }
  });
});
