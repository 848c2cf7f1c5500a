/**
 * The gateway composed in one process over a store that another API instance writes: what a shared
 * Neo4j deployment does across processes. The gateway keeps its own projection and catches up with the
 * store's last commit (the audit log's tail) before each decision, so a grant revoked through the other
 * instance is refused on the very next request; and `reject` refuses a whole operation with 403.
 */
import { createServer, type AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken, type ApiRole } from '../../src/auth/index.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { composeSupergraph } from '../../src/gateway/compose-supergraph.js';
import { printedSchema } from '../../src/graphql/index.js';
import { createLogger } from '../../src/server/logger.js';
import { startGateway, type RunningGateway } from '../../src/server/start-gateway.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import type { GraphStore } from '../../src/store/port.js';
import { startPaymentsSubgraph } from '../../examples/company/payments-subgraph.js';
import type { RunningSubgraph } from '../../examples/company/start-subgraph.js';
import { tempDir } from '../support/temp-store.js';

const REFUND = 'mutation { refund(paymentId: "pay_1001", amount: 5) { amount } }';
const AGENT = 'agent:deploy-copilot';

describe('a gateway beside another API instance on the same store', () => {
  const dir = join(tempDir(), 'data');
  let config: Config;
  let store: GraphStore;
  let identity: RunningServer;
  let payments: RunningSubgraph;
  const gateways: RunningGateway[] = [];

  const settings = (overrides: Partial<GatewayConfig>): GatewayConfig => ({
    file: 'test',
    listen: { host: '127.0.0.1', port: 0 },
    mode: 'filter',
    enforce: true,
    identity: { url: identity.url },
    subgraphs: [{ name: 'payments', url: payments.url }],
    supergraph: undefined,
    audit: { sampleAllows: 0 },
    forwardAuthorization: true,
    explainHeader: 'x-idgraph-explain',
    maxDepth: 16,
    ...overrides,
  });

  const post = async (url: string, query: string, subject: string, roles: ApiRole[] = ['analyst']) => {
    const { token } = await mintLocalToken({ dir, subject, roles });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions: { code: string; coordinate?: string } }[] } };
  };

  beforeAll(async () => {
    config = loadConfig({ store: `kuzu:${dir}`, port: '0' }, { IDGRAPH_LOG_LEVEL: 'silent' });
    store = await openKuzuStore({ dir });
    // The other instance: it seeds the demo estate and takes the writes.
    identity = await startServer({ config, store, logger: createLogger('silent'), snapshotPath: undefined });
    payments = await startPaymentsSubgraph({ port: 0 });
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await payments.stop();
    await identity.close();
    await store.close();
  });

  it('sees a revocation committed by the other instance on the next request', async () => {
    const gateway = await startGateway({ config, gateway: settings({}), store, logger: createLogger('silent') });
    gateways.push(gateway);
    expect(gateway.identity).toBeUndefined();
    expect((await post(gateway.url, REFUND, AGENT)).body).toEqual({ data: { refund: { amount: 5 } } });
    const revoked = await post(identity.url, `mutation { revoke(grant: { type: CAN_ASSUME, from: "${AGENT}", to: "sa:payments-deployer", id: "" }, reason: "incident") { sequence } }`, 'human:priya', ['central-admin']);
    expect(revoked.body.errors).toBeUndefined();
    const after = await post(gateway.url, REFUND, AGENT);
    expect(after.body).toMatchObject({ data: { refund: null }, errors: [{ extensions: { code: 'FORBIDDEN', coordinate: 'Mutation.refund' } }] });
  });

  it('in reject mode, refuses the whole operation with 403 and runs nothing', async () => {
    const gateway = await startGateway({ config, gateway: settings({ mode: 'reject' }), store, logger: createLogger('silent') });
    gateways.push(gateway);
    const rejected = await post(gateway.url, '{ supportedCurrencies payments(first: 1) { id cardLast4 } }', 'bot:dw-sync');
    expect(rejected.status).toBe(403);
    expect(rejected.body.data).toBeUndefined();
    expect(rejected.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', coordinate: 'Payment.cardLast4' }) })]);
    expect((await post(gateway.url, '{ supportedCurrencies payments(first: 1) { id } }', 'bot:dw-sync')).body).toMatchObject({ data: { payments: [{ id: expect.any(String) }] } });
  });

  it('serves a supergraph composed beforehand (a file) as it serves subgraphs composed at start', async () => {
    const file = join(dir, '..', 'supergraph.graphql');
    writeFileSync(file, await composeSupergraph([{ name: 'identity', url: identity.url, sdl: printedSchema() }, { name: 'payments', url: payments.url }]));
    const gateway = await startGateway({ config, gateway: settings({ subgraphs: [], supergraph: file }), store, logger: createLogger('silent') });
    gateways.push(gateway);
    const read = await post(gateway.url, '{ supportedCurrencies payments(first: 1) { id cardLast4 } node(id: "svc:payments") { id } }', 'bot:dw-sync');
    expect(read.body).toMatchObject({ data: { supportedCurrencies: expect.any(Array), payments: [{ cardLast4: null }], node: { id: 'svc:payments' } }, errors: [{ extensions: { coordinate: 'Payment.cardLast4' } }] });
  });

  it('fails to start, naming the subgraph, when one does not answer', async () => {
    const closed = await freePort();
    const ledger = `http://127.0.0.1:${closed}/graphql`;
    await expect(startGateway({ config, gateway: settings({ subgraphs: [{ name: 'ledger', url: ledger }] }), store, logger: createLogger('silent') })).rejects.toThrow(
      `Subgraph "ledger" at ${ledger} did not give its SDL: ECONNREFUSED`,
    );
  });
});

/** A loopback port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
