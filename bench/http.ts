/**
 * The API over HTTP on the demo estate, for what `npm run bench` (the API at scale: blast radius latency
 * and throughput) does not measure: the store calls one federated batch of entity representations costs,
 * and the latency of governance mutations (a local grant and its revocation). Latencies are given against
 * a `/livez` round trip measured in the same run. Run: `npm run bench:http`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mintLocalToken } from '../src/auth/index.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/server/logger.js';
import { startServer } from '../src/server/start-server.js';
import { CountingStore } from '../src/store/counting-store.js';
import { openKuzuStore } from '../src/store/kuzu/kuzu-store.js';

const RUNS = 500;
const dir = mkdtempSync(join(tmpdir(), 'idgraph-bench-http-'));
const store = new CountingStore(await openKuzuStore({ dir }));
const base = loadConfig({ port: 0 }, {});
const server = await startServer({ config: { ...base, auth: { ...base.auth, localKeyDir: dir } }, store, logger: createLogger('silent') });
const authorization = `Bearer ${(await mintLocalToken({ dir, roles: ['analyst'] })).token}`;

async function time(request: () => Promise<Response>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 30; i++) await (await request()).arrayBuffer();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const response = await request();
    await response.arrayBuffer();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(RUNS / 2)]!, p95: samples[Math.floor(RUNS * 0.95)]! };
}

const post = (body: unknown) => () => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
const blast = `query Blast { blastRadius(subject: "cred:payments-ci-key") {
  summary { total impact byLabel { label count } }
  entries { target { id label name } path { nodes steps { type from to origin grant { status expiresAt } } } routes accessEndsAt impact }
} }`;

const baseline = await time(() => fetch(server.url.replace('/graphql', '/livez')));
const blastTimes = await time(post({ query: blast, operationName: 'Blast' }));
const fmt = (t: { p50: number; p95: number }) => `p50 ${t.p50.toFixed(2)} ms  p95 ${t.p95.toFixed(2)} ms`;
console.log(`Demo estate over HTTP (${RUNS} sequential requests each)`);
console.log(`  baseline GET /livez                 ${fmt(baseline)}`);
console.log(`  blastRadius(cred:payments-ci-key)   ${fmt(blastTimes)}   ×${(blastTimes.p50 / baseline.p50).toFixed(1)} baseline p50`);

const ids = server.projection.nodesOfLabel('Identity').map((n) => server.projection.idOf(n));
const representations = Array.from({ length: 1000 }, (_, i) => ({ __typename: 'Identity', id: i % 10 === 9 ? `sa:unknown-${i}` : ids[i % ids.length]! }));
store.reset();
const entities = await (await post({
  query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Identity { id name kind owners { edges { node { id name } } } } } }',
  variables: { r: representations },
})()).json() as { errors?: unknown };
if (entities.errors) throw new Error(JSON.stringify(entities.errors));
console.log(`  _entities × 1000 Identity (with owners): ${store.count('getNodes')} getNodes call(s), ${store.count('getEdges')} getEdges call(s)`);

// Mutations: a local grant (guardrails, one commit with its audit event, applied to the projection),
// then its revocation, over HTTP with a service owner's token.
const owner = `Bearer ${(await mintLocalToken({ dir, roles: ['service-owner'], services: ['svc:notifications'] })).token}`;
const mutate = async (query: string): Promise<{ data: any }> =>
  (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: owner }, body: JSON.stringify({ query }) })).json() as Promise<{ data: any }>;
const grants: number[] = [];
const revokes: number[] = [];
for (let i = 0; i < 200; i++) {
  let start = performance.now();
  const made = await mutate('mutation { grant(input: { from: "wl:checkout-worker", to: "role:notifications-reader", ttl: "1d", justification: "bench" }) { id } }');
  grants.push(performance.now() - start);
  start = performance.now();
  await mutate(`mutation { revoke(grant: { type: HAS_ROLE, from: "wl:checkout-worker", to: "role:notifications-reader", id: "${made.data.grant.id as string}" }, reason: "bench") { sequence } }`);
  revokes.push(performance.now() - start);
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;
console.log(`  grant (guardrails + commit + audit)  p50 ${pct(grants, 0.5).toFixed(2)} ms  p95 ${pct(grants, 0.95).toFixed(2)} ms   ×${(pct(grants, 0.5) / baseline.p50).toFixed(1)} baseline p50`);
console.log(`  revoke                              p50 ${pct(revokes, 0.5).toFixed(2)} ms  p95 ${pct(revokes, 0.95).toFixed(2)} ms`);

await server.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
