/**
 * The supergraph the gateway serves, composed once at start from each subgraph's SDL (`_service { sdl }`,
 * fetched over HTTP) and the identity subgraph's own, which the gateway process has in hand. Composing
 * here instead of in the gateway's introspection gives a clear error naming the subgraph that is down or
 * does not compose, and needs no token for the identity subgraph's `_service`.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { IdGraphError } from '../model/errors.js';

export interface SubgraphSource {
  readonly name: string;
  readonly url: string;
  /** The subgraph's SDL when known (the identity subgraph's); fetched from `url` otherwise. */
  readonly sdl?: string | undefined;
}

/** How long one `_service` request may take. */
const FETCH_TIMEOUT_MS = 10_000;

/**
 * @throws IdGraphError UNAVAILABLE naming a subgraph that does not answer `_service { sdl }`;
 *   BAD_USER_INPUT with every composition error, each naming its subgraphs.
 * @example const sdl = await composeSupergraph([{ name: 'identity', url, sdl: printedSchema() }, { name: 'payments', url: 'http://127.0.0.1:4101/graphql' }])
 */
export async function composeSupergraph(subgraphs: readonly SubgraphSource[]): Promise<string> {
  const sources = await Promise.all(subgraphs.map(async (s) => ({ ...s, sdl: s.sdl ?? (await fetchSubgraphSdl(s)) })));
  const composed = composeServices(sources.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (composed.errors !== undefined && composed.errors.length > 0) {
    const issues = composed.errors.map((e) => ({ path: 'subgraphs', message: e.message }));
    throw new IdGraphError('BAD_USER_INPUT', `The subgraphs do not compose: ${issues.map((i) => i.message).join('; ')}`, { issues });
  }
  return composed.supergraphSdl!;
}

/**
 * @throws IdGraphError UNAVAILABLE when the subgraph cannot be reached or does not answer with its SDL.
 * @example await fetchSubgraphSdl({ name: 'payments', url: 'http://127.0.0.1:4101/graphql' })
 */
export async function fetchSubgraphSdl(subgraph: SubgraphSource): Promise<string> {
  const failed = (why: string) => new IdGraphError('UNAVAILABLE', `Subgraph "${subgraph.name}" at ${subgraph.url} did not give its SDL: ${why}`);
  let response: Response;
  try {
    response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: 'query SubgraphSdl { _service { sdl } }' }),
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    throw failed(causeOf(error));
  }
  const body = (await response.json().catch(() => undefined)) as { data?: { _service?: { sdl?: unknown } }; errors?: { message: string }[] } | undefined;
  const sdl = body?.data?._service?.sdl;
  if (!response.ok || typeof sdl !== 'string') {
    throw failed(body?.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`);
  }
  return sdl;
}

/** fetch says only "fetch failed": the reason (ECONNREFUSED, a timeout) is in its cause, or the cause's errors. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.find((e) => e.code !== undefined)?.code ?? cause?.message ?? (error as Error).message;
}
