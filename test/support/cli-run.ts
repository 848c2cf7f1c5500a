/** Runs the CLI in-process through `main(argv, io)`, capturing what it prints. */
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The fixed "now" of CLI tests, so seeded times and default `--at` agree across runs. */
export const CLI_NOW = new Date('2026-11-23T12:00:00Z');

export async function cli(argv: readonly string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
    now: () => CLI_NOW,
  });
  return { code, stdout, stderr };
}
