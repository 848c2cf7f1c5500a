/**
 * The load generator, run as a child process of the benchmark (`fork`, IPC) so that the clients do not
 * share the server's event loop: autocannon with concurrent connections, each request the next body of a
 * rotating list, and every response body checked for GraphQL `errors` (a 200 can still carry them).
 */
import autocannon from 'autocannon';
import { percentiles } from './percentiles.js';

export interface LoadRequest {
  readonly url: string;
  readonly authorization: string;
  /** Request bodies, sent in turn. */
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly durationSeconds: number;
  /** A request unanswered after this long is given up and counted as a timeout. */
  readonly timeoutSeconds: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Latency percentiles over every request, ms. */
  readonly ms: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly non2xx: number;
  /** Requests sent, answered or not. */
  readonly sent: number;
  /** Socket errors. */
  readonly socketErrors: number;
  /** Requests the client gave up on after `timeoutSeconds`. */
  readonly timeouts: number;
  /** 2xx responses whose body is not `{"data": …}` without `errors`. */
  readonly graphqlErrors: number;
  /** The first bad body seen, for the message. */
  readonly firstError?: string;
}

/** Runs one load test. */
export async function runLoad(request: LoadRequest): Promise<LoadResult> {
  let next = 0;
  let graphqlErrors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const options: autocannon.Options = {
    url: request.url,
    connections: request.connections,
    duration: request.durationSeconds,
    timeout: request.timeoutSeconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: request.authorization },
        setupRequest: (req) => ({ ...req, body: request.bodies[next++ % request.bodies.length]! }),
        onResponse: (status, body) => {
          if (status < 200 || status >= 300) return;
          if (!body.startsWith('{"data":') || body.includes('"errors":')) {
            graphqlErrors++;
            firstError ??= body.slice(0, 300);
          }
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    // autocannon reports p90 and p97.5 but no p95: each response's time is kept to compute them exactly.
    const instance = autocannon(options, (error, done) => (error ? reject(error as Error) : resolve(done)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    ms: latencies.length > 0 ? percentiles(latencies) : { p50: 0, p95: 0, p99: 0 },
    non2xx: result.non2xx,
    sent: result.requests.sent,
    // autocannon counts a timeout among its errors too.
    socketErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    graphqlErrors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

if (process.send !== undefined) {
  process.once('message', (message: LoadRequest) => {
    runLoad(message).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) => process.send!({ ok: false, error: String((error as Error).stack ?? error) }, () => process.exit(1)),
    );
  });
}
