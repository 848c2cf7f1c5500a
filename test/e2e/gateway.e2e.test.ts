/**
 * `idgraph gateway` for real, on loopback: the gateway process (with the identity subgraph in it, on a
 * Kuzu store seeded with the demo estate) in front of the example company's two subgraphs, each its own
 * process. Every field the company marks `@requiresScopes` or `@authenticated` is served or withheld by
 * what the caller's subject reaches in the graph at the moment of the request.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken, type ApiRole } from '../../src/auth/index.js';
import { main } from '../../src/cli/main.js';
import { DEMO_MESSES } from '../../seed/demo-estate.js';
import { tempDir } from '../support/temp-store.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');
const SERVE = join(ROOT, 'examples', 'company', 'serve.ts');

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly match: RegExpExecArray;
  output(): string;
}

/** A child process, once it has printed what `ready` matches. */
async function start(args: readonly string[], ready: RegExp, env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, IDGRAPH_LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (ready.exec(output) === null) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${args.join(' ')} did not start:\n${output}`);
    await Promise.race([once(child.stdout, 'data'), once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 500))]);
  }
  return { child, match: ready.exec(output)!, output: () => output };
}

async function stop(running: Running | undefined): Promise<number | null> {
  if (running === undefined || running.child.exitCode !== null) return running?.child.exitCode ?? null;
  running.child.kill('SIGTERM');
  const [code] = (await once(running.child, 'exit')) as [number | null];
  return code;
}

interface GraphqlResponse {
  readonly status: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: { message: string; path?: (string | number)[]; extensions: { code: string; coordinate?: string; missing?: { scopes: string[][] }; serviceName?: string } }[];
  readonly extensions?: Record<string, unknown>;
}

const READ = '{ supportedCurrencies payments(first: 2) { id cardLast4 fee } }';
const REFUND = 'mutation Refund { refund(paymentId: "pay_1001", amount: 5) { amount } }';
const VOLUME = '{ paymentVolume { payments } }';
const DEPLOYMENTS = '{ service(id: "svc:ci-platform") { id deployments { id } } }';
const AGENT = 'agent:deploy-copilot';
const DEPLOYER = 'sa:payments-deployer';

describe('idgraph gateway', () => {
  const dir = join(tempDir(), 'data');
  let payments: Running;
  let inventory: Running;
  let gateway: Running | undefined;
  let url: string;
  const tokens = new Map<string, string>();

  const token = async (subject: string, roles: ApiRole[] = ['analyst']): Promise<string> => {
    const key = `${subject} ${roles.join(',')}`;
    if (!tokens.has(key)) tokens.set(key, (await mintLocalToken({ dir, subject, roles })).token);
    return tokens.get(key)!;
  };

  const post = async (query: string, subject?: string, headers: Record<string, string> = {}, roles?: ApiRole[]): Promise<GraphqlResponse> => {
    const auth: Record<string, string> = subject === undefined ? {} : { authorization: `Bearer ${await token(subject, roles)}` };
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body: JSON.stringify({ query }) });
    return { status: response.status, ...((await response.json()) as object) };
  };

  /** The coordinates withheld, once each, in order. */
  const denied = (r: GraphqlResponse): string[] => [...new Set((r.errors ?? []).filter((e) => e.extensions.code === 'FORBIDDEN').map((e) => e.extensions.coordinate!))];

  beforeAll(async () => {
    const quiet = { stdout: () => undefined, stderr: (text: string) => process.stderr.write(text), stdin: process.stdin, env: {} };
    expect(await main(['--store', `kuzu:${dir}`, 'seed'], quiet)).toBe(0);
    [payments, inventory] = await Promise.all([
      start([SERVE, 'payments', '--port', '0'], /listening on (\S+)/),
      start([SERVE, 'inventory', '--port', '0'], /listening on (\S+)/),
    ]);
    const config = join(dir, '..', 'gateway.yaml');
    writeFileSync(
      config,
      [
        'listen: { host: 127.0.0.1, port: 0 }',
        'identity: { port: 0 }',
        'subgraphs:',
        `  - { name: payments, url: "${payments.match[1]}" }`,
        `  - { name: inventory, url: "${inventory.match[1]}" }`,
        'audit: { sampleAllows: 0 }',
      ].join('\n'),
    );
    gateway = await start([CLI, '--store', `kuzu:${dir}`, 'gateway', '--config', config], /gateway ready at (\S+) /);
    url = gateway.match[1]!;
  }, 120_000);

  afterAll(async () => {
    expect(await stop(gateway)).toBe(0);
    await Promise.all([stop(payments), stop(inventory)]);
  });

  it('serves each subject exactly the fields its graph access allows, and names what is missing', async () => {
    const matrix: [subject: string | undefined, query: string, withheld: string[]][] = [
      // Reads payments and both fee routes (ledger, warehouse), not the customer half of cardLast4 (AND).
      ['bot:dw-sync', READ, ['Payment.cardLast4']],
      ['bot:dw-sync', REFUND, ['Mutation.refund']],
      // Both halves of the AND through grp:security → role:security-auditor, and a fee route.
      ['human:quinn', READ, []],
      // One OR route each for the fee: the ledger, or the warehouse; one half of the AND.
      ['sa:payments-ci', READ, ['Payment.cardLast4']],
      ['sa:reporting-export', READ, ['Payment.cardLast4']],
      // The refund only through CAN_ASSUME sa:payments-deployer and two INHERITS.
      [AGENT, REFUND, []],
      [AGENT, VOLUME, []],
      ['sa:ci-platform-ci', DEPLOYMENTS, []],
      ['bot:dw-sync', DEPLOYMENTS, ['Service.deployments']],
      // No token, a subject the graph does not know, a disabled one: only public fields.
      [undefined, READ, ['Query.payments']],
      [undefined, VOLUME, ['Query.paymentVolume']],
      ['sa:ghost', VOLUME, ['Query.paymentVolume']],
      ['sa:ghost', REFUND, ['Mutation.refund']],
      ['human:victor', VOLUME, ['Query.paymentVolume']],
      // A credential is a subject too: live, it acts as its identity; expired, it is nobody.
      ['cred:payments-ci-key', REFUND, []],
      [DEMO_MESSES.expiredUnrevokedToken.credential, VOLUME, ['Query.paymentVolume']],
    ];
    const got = [];
    for (const [subject, query] of matrix) got.push(denied(await post(query, subject)));
    expect(got).toEqual(matrix.map(([, , withheld]) => withheld));
  });

  it('returns the data of what it serves and null for what it withholds, with FORBIDDEN and the missing scope at each path', async () => {
    const bot = await post(READ, 'bot:dw-sync');
    expect(bot.status).toBe(200);
    // pay_1004 has no fee posted yet; pay_1003's fee is served through the OR.
    expect(bot.data).toEqual({ supportedCurrencies: ['EUR', 'GBP', 'USD'], payments: [{ id: 'pay_1004', cardLast4: null, fee: null }, { id: 'pay_1003', cardLast4: null, fee: 1654 }] });
    expect(bot.errors).toEqual([0, 1].map((i) => expect.objectContaining({ message: 'Unauthorized field or type: Payment.cardLast4 (needs scope identity:users:read)', path: ['payments', i, 'cardLast4'], extensions: expect.objectContaining({ code: 'FORBIDDEN', missing: expect.objectContaining({ scopes: [['identity:users:read']] }) }) })));
    const quinn = await post('{ payments(first: 1) { cardLast4 } }', 'human:priya');
    expect(quinn).toMatchObject({ data: { payments: [{ cardLast4: expect.stringMatching(/^\d{4}$/) }] } });
    expect(quinn.errors).toBeUndefined();
    const refund = await post(REFUND, AGENT);
    expect(refund).toMatchObject({ data: { refund: { amount: 5 } } });
  });

  it('names the path that granted each scope when asked, and audits every denial', async () => {
    const explained = await post(REFUND, AGENT, { 'x-idgraph-explain': '1' });
    expect(explained.extensions).toMatchObject({
      idgraph: {
        subject: AGENT,
        granted: [{ name: 'payments:transactions:write', path: { nodes: [AGENT, DEPLOYER, 'role:payments-deployer', 'role:payments-writer', 'scope:payments:transactions:write'] } }],
      },
    });
    expect((await post(REFUND, AGENT)).extensions).toBeUndefined();
    await post(REFUND, 'bot:dw-sync');
    const audited = async () =>
      (await post('{ auditLog(filter: { actor: "bot:dw-sync", action: "authorizeOperation", decision: "DENY" }, first: 100) { events { actor decision targets reason } } }', 'human:quinn', {}, ['auditor'])).data as {
        auditLog: { events: { reason: string; targets: string[] }[] };
      };
    let events: { reason: string; targets: string[] }[] = [];
    for (const until = Date.now() + 5_000; Date.now() < until && !events.some((e) => e.reason.startsWith('Refund')); ) {
      events = (await audited()).auditLog.events;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(events).toContainEqual(expect.objectContaining({ targets: ['payments:transactions:write'], reason: expect.stringMatching(/^Refund: denied Mutation\.refund at sequence \d+$/) }));
  });

  it('stops serving a revoked grant on the very next request (1,000 loops, 0 stale allows)', async () => {
    const key = `type: CAN_ASSUME, from: "${AGENT}", to: "${DEPLOYER}"`;
    const revoke = (id: string) => post(`mutation { revoke(grant: { ${key}, id: "${id}" }, reason: "loop") { decision { outcome } } }`, 'human:priya', {}, ['central-admin']);
    const grant = () =>
      post(`mutation { grant(input: { ${key}, domain: "svc:payments", ttl: "1h", justification: "loop" }) { id decision { outcome } } }`, 'human:priya', {}, ['central-admin']);
    const first = await post(`mutation { revoke(grant: { ${key}, id: "" }, reason: "incident") { sequence } }`, 'human:priya', { 'x-request-id': 'e2e-revoke-1' }, ['central-admin']);
    const { sequence } = (first.data as { revoke: { sequence: number } }).revoke;
    // The identity subgraph audits the change under the id the caller got from the gateway.
    const log = await post(`{ auditLog(first: 1, after: ${sequence - 1}) { events { sequence action requestId } } }`, 'human:quinn', {}, ['auditor']);
    expect(log.data).toEqual({ auditLog: { events: [{ sequence, action: 'revoke', requestId: 'e2e-revoke-1' }] } });
    let staleAllows = 0;
    let staleDenials = 0;
    for (let i = 0; i < 1000; i++) {
      const granted = (await grant()).data as { grant: { id: string; decision: { outcome: string } } };
      expect(granted.grant.decision.outcome).toBe('ALLOW');
      if (denied(await post(REFUND, AGENT)).length > 0) staleDenials++;
      expect((await revoke(granted.grant.id)).data).toEqual({ revoke: { decision: { outcome: 'ALLOW' } } });
      if (denied(await post(REFUND, AGENT)).length === 0) staleAllows++;
    }
    expect({ staleAllows, staleDenials }).toEqual({ staleAllows: 0, staleDenials: 0 });
  }, 300_000);

  it('answers /livez, /readyz, and /metrics with a token', async () => {
    const base = url.replace('/graphql', '');
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready', sequence: expect.any(Number) });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${await token('human:quinn', ['auditor'])}` } })).text();
    expect(metrics).toMatch(/idgraph_gateway_decisions_total\{outcome="DENY"\} \d+/);
    expect(metrics).toMatch(/idgraph_gateway_requests_total\{operation="Refund",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/idgraph_gateway_request_duration_seconds_count\{operation="Refund"\} \d+/);
  });

  it('answers with a clear error when a subgraph is down, and stays up', async () => {
    await stop(inventory);
    const down = await post(DEPLOYMENTS, 'sa:ci-platform-ci');
    expect(down.errors).toContainEqual(expect.objectContaining({ message: 'Subgraph "inventory" is unavailable', extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'inventory' }) }));
    expect(JSON.stringify(down)).not.toContain(inventory.match[1]!);
    expect(down.data).toEqual({ service: { id: 'svc:ci-platform', deployments: null } });
    expect(await post(VOLUME, AGENT)).toMatchObject({ data: { paymentVolume: { payments: expect.any(Number) } } });
  });
});
