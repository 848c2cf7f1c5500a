/**
 * The example company of examples/company: its two subgraphs serve, carry their authorization directives,
 * compose with the identity subgraph, and name only scopes of the demo estate, held by exactly the
 * subjects that SUBJECTS.md and the README walkthrough say.
 */
import { composeServices, type CompositionResult } from '@apollo/composition';
import { Kind, parse, valueFromASTUntyped, type DocumentNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeDefs as inventoryTypeDefs, startInventorySubgraph } from '../../examples/company/inventory-subgraph.js';
import { typeDefs as paymentsTypeDefs, startPaymentsSubgraph } from '../../examples/company/payments-subgraph.js';
import { SUBGRAPHS, parseServeArgs, serve } from '../../examples/company/serve.js';
import type { RunningSubgraph } from '../../examples/company/start-subgraph.js';
import { printedSchema } from '../../src/graphql/index.js';
import { recordsOf } from '../../src/model/interchange.js';
import type { EdgeRecord } from '../../src/model/records.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { reach } from '../../src/paths/index.js';
import { Projection } from '../../src/projection/projection.js';
import { demoEstate } from '../../seed/demo-estate.js';

/** What a field requires: `@requiresScopes` as an OR of ANDs, or `@authenticated`. */
interface Requirement {
  readonly scopes?: string[][];
  readonly authenticated?: true;
}

const ANCHOR = new Date('2026-11-23T00:00:00Z');
const GUARDED = ['Query.payments', 'Payment.cardLast4', 'Payment.fee', 'Mutation.refund', 'Service.deployments'] as const;
type Guarded = (typeof GUARDED)[number];

/** SUBJECTS.md, as data: which guarded fields each subject may read in the seeded demo estate. */
const MATRIX: Record<string, Guarded[]> = {
  'bot:dw-sync': ['Query.payments', 'Payment.fee'],
  'agent:deploy-copilot': ['Query.payments', 'Mutation.refund'],
  'sa:reporting-export': ['Query.payments', 'Payment.fee'],
  'sa:payments-ci': ['Query.payments', 'Payment.fee', 'Mutation.refund'],
  'human:quinn': ['Query.payments', 'Payment.cardLast4', 'Payment.fee'],
  'agent:support-copilot': [],
  'human:kofi': ['Service.deployments'],
  'sa:ci-platform-ci': ['Service.deployments'],
  'human:victor': [],
};

/** The grant that the walkthrough revokes. */
const AGENT_GRANT = { type: 'CAN_ASSUME', from: 'agent:deploy-copilot', to: 'sa:payments-deployer' } as const;

describe('the example company', () => {
  const running: RunningSubgraph[] = [];
  let payments: RunningSubgraph;
  let inventory: RunningSubgraph;

  beforeAll(async () => {
    [payments, inventory] = await Promise.all([startPaymentsSubgraph(), startInventorySubgraph()]);
    running.push(payments, inventory);
  });
  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
  });

  describe('the subgraphs', () => {
    it('listen on a free loopback port at /graphql', () => {
      expect(payments.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect(inventory.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    });

    it('publish their directives in _service { sdl }, where the gateway reads them', async () => {
      const sdl = async (url: string) => ((await post(url, '{ _service { sdl } }')).data as { _service: { sdl: string } })._service.sdl;
      expect(Object.fromEntries(requirementsOf(parse(await sdl(payments.url))))).toEqual({
        'Query.payments': { scopes: [['payments:transactions:read']] },
        'Query.paymentVolume': { authenticated: true },
        'Payment.cardLast4': { scopes: [['payments:transactions:read', 'identity:users:read']] },
        'Payment.fee': { scopes: [['ledger:entries:read'], ['data-warehouse:tables:read']] },
        'Mutation.refund': { scopes: [['payments:transactions:write']] },
      });
      expect(Object.fromEntries(requirementsOf(parse(await sdl(inventory.url))))).toEqual({
        'Service.deployments': { scopes: [['ci-platform:deploy:admin']] },
      });
    });

    it('answer payments newest first, and refund a captured payment', async () => {
      const list = await post(payments.url, '{ payments(first: 2) { id status cardLast4 fee refunded } supportedCurrencies }');
      expect(list).toEqual({
        data: {
          payments: [
            { id: 'pay_1004', status: 'AUTHORIZED', cardLast4: '3220', fee: null, refunded: 0 },
            { id: 'pay_1003', status: 'CAPTURED', cardLast4: '1881', fee: 1654, refunded: 0 },
          ],
          supportedCurrencies: ['EUR', 'GBP', 'USD'],
        },
      });
      const refund = await post(payments.url, 'mutation { refund(paymentId: "pay_1003", amount: 5000) { id paymentId amount currency } }');
      expect(refund).toEqual({ data: { refund: { id: 'rf_1', paymentId: 'pay_1003', amount: 5000, currency: 'USD' } } });
      const after = await post(payments.url, '{ payments(first: 2) { id status refunded refunds { id } } paymentVolume { payments refunds } }');
      expect(after.data).toMatchObject({
        payments: [{ id: 'pay_1004' }, { id: 'pay_1003', status: 'PARTIALLY_REFUNDED', refunded: 5000, refunds: [{ id: 'rf_1' }] }],
        paymentVolume: { payments: 4, refunds: 1 },
      });
    });

    it('refuse a refund of an unknown payment, of an authorized one, or beyond what is left, saying why', async () => {
      const codes = async (paymentId: string, amount: number) => {
        const { data, errors } = await post(payments.url, `mutation { refund(paymentId: "${paymentId}", amount: ${amount}) { id } }`);
        expect(data).toEqual({ refund: null });
        return errors?.map((e) => [e.extensions?.['code'], e.message]);
      };
      expect(await codes('pay_9999', 100)).toEqual([['NOT_FOUND', 'No payment "pay_9999"']]);
      expect(await codes('pay_1004', 100)).toEqual([['BAD_USER_INPUT', 'Payment "pay_1004" is only authorized: void it instead of refunding it']]);
      expect(await codes('pay_1002', 1_900)).toEqual([
        ['BAD_USER_INPUT', 'amount must be a whole number of minor units from 1 to 1899 (what is left to refund of "pay_1002"); got 1900'],
      ]);
      const page = await post(payments.url, '{ payments(first: 500) { id } }');
      expect(page.errors?.map((e) => e.message)).toEqual(['first must be an integer from 0 to 100; got 500']);
    });

    it('resolve a Service of the graph by its id, and one the inventory never saw as deployed nowhere', async () => {
      const entities = await post(
        inventory.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Service { id regions deployments { version deployedBy } } } }',
        { r: [{ __typename: 'Service', id: 'svc:payments' }, { __typename: 'Service', id: 'svc:kyc' }] },
      );
      expect(entities).toEqual({
        data: {
          _entities: [
            {
              id: 'svc:payments',
              regions: ['eu-west-1', 'eu-central-1', 'us-east-1'],
              deployments: [
                { version: '2026.11.3', deployedBy: 'sa:payments-deployer' },
                { version: '2026.11.2', deployedBy: 'sa:payments-deployer' },
              ],
            },
            { id: 'svc:kyc', regions: [], deployments: [] },
          ],
        },
      });
    });
  });

  describe('composed with the identity subgraph', () => {
    let composed: CompositionResult;
    beforeAll(() => {
      // The names and ports of gateway.yaml; the identity subgraph is the API's own SDL.
      composed = composeServices([
        { name: 'identity', typeDefs: parse(printedSchema()), url: 'http://127.0.0.1:4001/graphql' },
        { name: 'payments', typeDefs: paymentsTypeDefs, url: 'http://127.0.0.1:4101/graphql' },
        { name: 'inventory', typeDefs: inventoryTypeDefs, url: 'http://127.0.0.1:4102/graphql' },
      ]);
    });

    it('composes without errors', () => {
      expect(composed.errors?.map((e) => e.message) ?? []).toEqual([]);
    });

    it('carries each directive to its field in the supergraph, for the gateway to enforce', () => {
      const supergraph = requirementsOf(parse(composed.supergraphSdl!));
      expect(Object.fromEntries(supergraph)).toEqual({
        'Query.payments': { scopes: [['payments:transactions:read']] },
        'Query.paymentVolume': { authenticated: true },
        'Payment.cardLast4': { scopes: [['payments:transactions:read', 'identity:users:read']] },
        'Payment.fee': { scopes: [['ledger:entries:read'], ['data-warehouse:tables:read']] },
        'Mutation.refund': { scopes: [['payments:transactions:write']] },
        'Service.deployments': { scopes: [['ci-platform:deploy:admin']] },
      });
      expect(composed.supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    });

    it('extends the graph\'s Service entity: the identity graph and the inventory both resolve it', () => {
      const service = parse(composed.supergraphSdl!).definitions.find((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Service');
      const keys = service?.kind === Kind.OBJECT_TYPE_DEFINITION ? service.directives?.filter((d) => d.name.value === 'join__type').map((d) => printArgs(d.arguments)) : [];
      expect(keys).toEqual(['graph: IDENTITY, key: "id"', 'graph: INVENTORY, key: "id"']);
    });
  });

  describe('governed by the demo estate', () => {
    const { nodes, edges } = recordsOf(demoEstate(ANCHOR));
    const now = resolveQueryOptions({ at: ANCHOR });
    const required = new Map([...requirementsOf(paymentsTypeDefs), ...requirementsOf(inventoryTypeDefs)]);
    const heldBy = (graph: Projection, subject: string) => new Set(reach(graph, subject, now).entries.map((e) => e.target.id));
    const mayRead = (held: Set<string>) => GUARDED.filter((field) => required.get(field)!.scopes!.some((all) => all.every((s) => held.has(`scope:${s}`))));
    const graph = Projection.fromRecords(nodes, edges);

    it('names only scopes that are Scope nodes of the estate (scope X is scope:X)', () => {
      const scopes = new Set(nodes.filter((n) => n.label === 'Scope').map((n) => n.id));
      const named = [...required.values()].flatMap((r) => r.scopes?.flat() ?? []);
      expect(named.filter((s) => !scopes.has(`scope:${s}`))).toEqual([]);
      expect(scopes.has('scope:payments:refunds:write')).toBe(false);
    });

    it('lets each subject of SUBJECTS.md read exactly its fields', () => {
      const actual = Object.fromEntries(Object.keys(MATRIX).map((subject) => [subject, mayRead(heldBy(graph, subject))]));
      expect(actual).toEqual(MATRIX);
    });

    it('gives the AI agent the refund only through CAN_ASSUME and role inheritance', () => {
      const entry = reach(graph, AGENT_GRANT.from, now).entries.find((e) => e.target.id === 'scope:payments:transactions:write')!;
      expect(entry.path.steps.map((s) => `${s.type} ${s.to}`)).toEqual([
        'CAN_ASSUME sa:payments-deployer',
        'HAS_ROLE role:payments-deployer',
        'INHERITS role:payments-writer',
        'GRANTS scope:payments:transactions:write',
      ]);
      // The seeded grant has no props.id: the walkthrough's revoke names it with id "".
      expect(entry.path.steps[0]!.key).toBe('');
    });

    it('takes the refund and the payments away from the agent when that one grant is revoked', () => {
      const revoked = edges.map((e): EdgeRecord => (isAgentGrant(e) ? { ...e, props: { ...e.props, status: 'REVOKED', revokedAt: ANCHOR.toISOString() } } : e));
      expect(revoked.filter(isAgentGrant)).toHaveLength(1);
      const after = Projection.fromRecords(nodes, revoked);
      expect(mayRead(heldBy(after, AGENT_GRANT.from))).toEqual([]);
      expect([...heldBy(after, AGENT_GRANT.from)]).toEqual(['scope:observability:dashboards:read']);
    });

    it('satisfies the OR of Payment.fee by either branch', () => {
      const branches = (subject: string) => required.get('Payment.fee')!.scopes!.filter((all) => all.every((s) => heldBy(graph, subject).has(`scope:${s}`))).flat();
      expect(branches('sa:payments-ci')).toEqual(['ledger:entries:read']);
      expect(branches('sa:reporting-export')).toEqual(['data-warehouse:tables:read']);
      expect(branches('bot:dw-sync')).toEqual(['ledger:entries:read', 'data-warehouse:tables:read']);
    });
  });

  describe('serve.ts', () => {
    it('reports every problem with its arguments', () => {
      expect(parseServeArgs(['billing', 'extra', '--port', '80a']).issues).toEqual([
        'the subgraph must be one of payments, inventory; got "billing"',
        'one subgraph at a time; got also "extra"',
        '--port must be an integer from 0 to 65535; got "80a"',
      ]);
      expect(parseServeArgs(['inventory'])).toEqual({ args: { name: 'inventory', host: '127.0.0.1', port: 4102 }, issues: [] });
    });

    it('starts the subgraph it names and says where it listens', async () => {
      const out: string[] = [];
      const served = await serve(['inventory', '--port', '0'], { stdout: (line) => out.push(line), stderr: (line) => out.push(`! ${line}`) });
      expect(served).toBeDefined();
      running.push(served!);
      expect(out).toEqual([`inventory subgraph listening on ${served!.url}`]);
      expect((await post(served!.url, '{ regions { id } }')).data).toEqual({ regions: [{ id: 'eu-west-1' }, { id: 'eu-central-1' }, { id: 'us-east-1' }] });
    });

    it('uses the ports that gateway.yaml names', () => {
      const yaml = readFileSync(new URL('../../examples/company/gateway.yaml', import.meta.url), 'utf8');
      const urls = Object.fromEntries([...yaml.matchAll(/\{ name: (\w+), url: (\S+) \}/g)].map((m) => [m[1], m[2]]));
      expect(urls).toEqual(Object.fromEntries(Object.entries(SUBGRAPHS).map(([name, { port }]) => [name, `http://127.0.0.1:${port}/graphql`])));
    });
  });
});

interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as GraphqlResponse;
}

/** `Type.field` → its `@requiresScopes` and `@authenticated`, for every field that has one, in SDL order. */
function requirementsOf(document: DocumentNode): Map<string, Requirement> {
  const found = new Map<string, Requirement>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const requirement: { scopes?: string[][]; authenticated?: true } = {};
      for (const directive of field.directives ?? []) {
        if (directive.name.value === 'authenticated') requirement.authenticated = true;
        const scopes = directive.name.value === 'requiresScopes' ? directive.arguments?.find((a) => a.name.value === 'scopes') : undefined;
        if (scopes !== undefined) requirement.scopes = valueFromASTUntyped(scopes.value) as string[][];
      }
      if (Object.keys(requirement).length > 0) found.set(`${definition.name.value}.${field.name.value}`, requirement);
    }
  }
  return found;
}

function printArgs(args: readonly { name: { value: string }; value: { kind: string; value?: unknown } }[] | undefined): string {
  return (args ?? []).map((a) => `${a.name.value}: ${a.value.kind === Kind.STRING ? JSON.stringify(a.value.value) : String(a.value.value)}`).join(', ');
}

function isAgentGrant(edge: EdgeRecord): boolean {
  return edge.type === AGENT_GRANT.type && edge.from === AGENT_GRANT.from && edge.to === AGENT_GRANT.to;
}
