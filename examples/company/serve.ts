/**
 * `npx tsx examples/company/serve.ts <payments|inventory> [--port N] [--host H]`: starts one example
 * subgraph and stops it on SIGINT or SIGTERM. The default ports are those of gateway.yaml: payments 4101,
 * inventory 4102. The process entry is at the bottom; `serve` is what a test calls.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startInventorySubgraph } from './inventory-subgraph.js';
import { startPaymentsSubgraph } from './payments-subgraph.js';
import type { RunningSubgraph, SubgraphListenOptions } from './start-subgraph.js';

export const SUBGRAPHS = {
  payments: { start: startPaymentsSubgraph, port: 4101 },
  inventory: { start: startInventorySubgraph, port: 4102 },
} as const satisfies Record<string, { start: (options: SubgraphListenOptions) => Promise<RunningSubgraph>; port: number }>;

export type SubgraphName = keyof typeof SUBGRAPHS;

export interface ServeArgs {
  readonly name: SubgraphName;
  readonly host: string;
  readonly port: number;
}

export interface ServeIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

export const USAGE = 'usage: tsx examples/company/serve.ts <payments|inventory> [--port N] [--host H]';

/** Exit code for bad arguments, as the idgraph CLI's. */
export const EXIT_USAGE = 2;

/**
 * Reads the arguments, collecting every problem before reporting.
 * @example parseServeArgs(['payments', '--port', '0']) // { args: { name: 'payments', host: '127.0.0.1', port: 0 }, issues: [] }
 */
export function parseServeArgs(argv: readonly string[]): { args?: ServeArgs; issues: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { port: { type: 'string' }, host: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    return { issues: [(error as Error).message] };
  }
  const issues: string[] = [];
  const [name, ...extra] = parsed.positionals;
  if (!isSubgraphName(name)) issues.push(`the subgraph must be one of ${Object.keys(SUBGRAPHS).join(', ')}; got ${name === undefined ? 'none' : `"${name}"`}`);
  if (extra.length > 0) issues.push(`one subgraph at a time; got also "${extra.join('", "')}"`);
  const port = parsed.values.port === undefined ? undefined : Number(parsed.values.port);
  if (port !== undefined && (!/^\d+$/.test(parsed.values.port!) || port > 65_535)) issues.push(`--port must be an integer from 0 to 65535; got "${parsed.values.port}"`);
  const host = parsed.values.host ?? '127.0.0.1';
  if (host === '') issues.push('--host must not be empty');
  if (issues.length > 0 || !isSubgraphName(name)) return { issues };
  return { args: { name, host, port: port ?? SUBGRAPHS[name].port }, issues };
}

/**
 * Starts the subgraph that `argv` names and says where it listens; undefined (after writing the problems
 * and the usage to stderr) when the arguments are wrong.
 * @throws the listen error when the port is taken.
 */
export async function serve(argv: readonly string[], io: ServeIo): Promise<RunningSubgraph | undefined> {
  const { args, issues } = parseServeArgs(argv);
  if (args === undefined) {
    for (const issue of issues) io.stderr(`serve: ${issue}`);
    io.stderr(USAGE);
    return undefined;
  }
  const running = await SUBGRAPHS[args.name].start({ host: args.host, port: args.port });
  io.stdout(`${args.name} subgraph listening on ${running.url}`);
  return running;
}

function isSubgraphName(name: string | undefined): name is SubgraphName {
  return name !== undefined && Object.hasOwn(SUBGRAPHS, name);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: ServeIo = { stdout: (line) => process.stdout.write(`${line}\n`), stderr: (line) => process.stderr.write(`${line}\n`) };
  const running = await serve(process.argv.slice(2), io).catch((error: unknown) => {
    io.stderr(`serve: ${(error as Error).message}`);
    process.exit(1);
  });
  if (running === undefined) process.exit(EXIT_USAGE);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void running.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
