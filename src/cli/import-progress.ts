/**
 * What `idgraph import` shows on stderr while it runs: a progress bar (phase, lines, rate, ETA) when
 * stderr is a terminal; otherwise a plain line every few seconds (and, once there has been one, at the
 * end of each phase), which logs and CI keep readable; nothing with --quiet.
 */
import { SingleBar } from 'cli-progress';
import type { ImportProgress } from '../interchange/import.js';

export interface ProgressOutput {
  readonly write: (text: string) => void;
  /** Whether stderr is a terminal (a bar), or a file or pipe (plain lines). */
  readonly isTTY: boolean;
  readonly quiet: boolean;
  /** Total bytes of the input when known (a file), for the validate phase's ETA. */
  readonly totalBytes?: number;
  /** Milliseconds between plain lines. */
  readonly everyMs?: number;
  readonly now?: () => number;
}

export interface ProgressReporter {
  readonly onProgress: (progress: ImportProgress) => void;
  /** Stops the bar (on success or failure) so the terminal is left clean. */
  readonly stop: () => void;
}

const PHASE_NAMES: Readonly<Record<ImportProgress['phase'], string>> = {
  validate: 'validating',
  write: 'writing',
  commit: 'committing',
};

/** @example const progress = importProgress({ write: io.stderr, isTTY: true, quiet: false }) */
export function importProgress(output: ProgressOutput): ProgressReporter {
  if (output.quiet) return { onProgress: () => undefined, stop: () => undefined };
  return output.isTTY ? barReporter(output) : lineReporter(output);
}

function lineReporter(output: ProgressOutput): ProgressReporter {
  const now = output.now ?? Date.now;
  const every = output.everyMs ?? 5000;
  const started = now();
  let phaseStarted = started;
  let phase: ImportProgress['phase'] | undefined;
  let last = 0;
  return {
    onProgress: (progress) => {
      const at = now();
      if (progress.phase !== phase) {
        // The first phase runs from the start; a later one from when it is first reported.
        if (phase !== undefined) phaseStarted = at;
        phase = progress.phase;
      }
      // A short import prints nothing; a long one a line every `every` ms, and each phase's end from then on.
      if (progress.done ? last === 0 : at - (last || started) < every) return;
      last = at;
      const seconds = Math.max((at - phaseStarted) / 1000, 0.001);
      const rate = progress.phase === 'commit' ? '' : `, ${formatCount(progress.lines / seconds)} lines/s`;
      const of = progress.totalLines === undefined || progress.phase === 'commit' ? '' : ` of ${formatCount(progress.totalLines)}`;
      const state = progress.done ? 'done' : 'running';
      output.write(`import: ${PHASE_NAMES[progress.phase]} ${state}: ${formatCount(progress.lines)}${of} lines${rate}, ${((at - started) / 1000).toFixed(1)} s\n`);
    },
    stop: () => undefined,
  };
}

function barReporter(output: ProgressOutput): ProgressReporter {
  // cli-progress draws on a stream; this one forwards to the CLI's stderr (a terminal here).
  const stream = { write: (text: string) => (output.write(text), true), isTTY: true, columns: 100 };
  const bar = new SingleBar(
    {
      format: 'import {phase} [{bar}] {percentage}% | {value}/{total} | {rate} | ETA {eta_formatted}',
      stream: stream as unknown as NodeJS.WritableStream,
      hideCursor: false,
      etaBuffer: 50,
      fps: 5,
    },
  );
  let phase: ImportProgress['phase'] | undefined;
  let phaseStarted = Date.now();
  return {
    onProgress: (progress) => {
      const byBytes = progress.phase === 'validate' && output.totalBytes !== undefined && progress.bytes !== undefined;
      const total = byBytes ? output.totalBytes! : (progress.totalLines ?? progress.lines);
      const value = byBytes ? progress.bytes! : progress.lines;
      if (progress.phase !== phase) {
        if (phase !== undefined) bar.stop();
        phase = progress.phase;
        phaseStarted = Date.now();
        bar.start(Math.max(total, 1), 0, { phase: PHASE_NAMES[progress.phase], rate: '' });
      }
      const seconds = Math.max((Date.now() - phaseStarted) / 1000, 0.001);
      bar.setTotal(Math.max(total, value, 1));
      bar.update(progress.done ? Math.max(total, value, 1) : value, {
        phase: PHASE_NAMES[progress.phase],
        rate: progress.phase === 'commit' ? '' : `${formatCount(progress.lines / seconds)} lines/s`,
      });
      if (progress.done && progress.phase === 'commit') bar.stop();
    },
    stop: () => bar.stop(),
  };
}

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
