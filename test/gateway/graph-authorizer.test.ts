/**
 * The gateway's decision from the graph: which of the scopes and policies an operation needs the caller's
 * subject reaches, live, now; what a subject that is not a live identity holds (nothing); what the
 * explain extension says; what is recorded for the audit.
 */
import { describe, expect, it } from 'vitest';
import { GraphAuthorizer, scopeNode, type GatewayContext, type GatewayDecision } from '../../src/gateway/graph-authorizer.js';
import type { Denial } from '../../src/gateway/filter-operation.js';
import type { OperationRequirements } from '../../src/gateway/operation-requirements.js';
import { Projection } from '../../src/projection/projection.js';
import { day, dayMs, estate } from '../support/estate.js';

/**
 * agent:copilot assumes sa:deployer, whose role inherits the writer's; grp:oncall holds role:pager.
 * sa:old is disabled; key:ci authenticates sa:deployer; key:expired expired on day 5; key:of-old is a live
 * key of the disabled sa:old, key:orphan authenticates nobody.
 */
const graph = () => {
  const { nodes, edges } = estate()
    .identity('agent:copilot', { kind: 'AI_AGENT' })
    .identity('sa:deployer')
    .identity('sa:old', { status: 'DISABLED' })
    .credential('key:ci')
    .credential('key:expired', { expiresAt: day(5) })
    .group('grp:oncall')
    .role('role:deployer')
    .role('role:writer')
    .role('role:pager')
    .scope('scope:pay:write', { level: 'WRITE' })
    .scope('pay:read')
    .canAssume('agent:copilot', 'sa:deployer')
    .hasRole('sa:deployer', 'role:deployer')
    .inherits('role:deployer', 'role:writer')
    .grants('role:writer', 'scope:pay:write')
    .grants('role:writer', 'pay:read')
    .memberOf('sa:deployer', 'grp:oncall')
    .hasRole('grp:oncall', 'role:pager')
    .hasRole('sa:old', 'role:writer')
    .authenticates('key:ci', 'sa:deployer')
    .authenticates('key:expired', 'sa:deployer')
    .credential('key:of-old')
    .authenticates('key:of-old', 'sa:old')
    .credential('key:orphan')
    .build();
  return Projection.fromRecords(nodes, edges, 7);
};

const needs = (scopes: string[], policies: string[] = []): OperationRequirements => ({ authenticated: true, scopes: new Set(scopes), policies: new Set(policies), touched: true });
const context = (subject: string | undefined, explain = false): GatewayContext => ({ requestId: 'r1', authorization: undefined, subject, explain });

describe('GraphAuthorizer', () => {
  const projection = graph();
  const authorizer = (options: Partial<ConstructorParameters<typeof GraphAuthorizer>[0]> = {}) =>
    new GraphAuthorizer({ graph: () => projection, maxDepth: 16, sampleAllows: 0, now: () => dayMs(10), ...options });

  it('names a scope by its id or by the id without `scope:`', () => {
    expect(scopeNode(projection, 'pay:write')).toBe(projection.indexOf('scope:pay:write'));
    expect(scopeNode(projection, 'scope:pay:write')).toBe(projection.indexOf('scope:pay:write'));
    expect(scopeNode(projection, 'pay:read')).toBe(projection.indexOf('pay:read'));
    expect(scopeNode(projection, 'role:writer')).toBeUndefined();
  });

  it('grants the scopes reached through delegation and inheritance, and the roles and groups held as policies', async () => {
    const grants = await authorizer().grantsFor(context('agent:copilot'), needs(['pay:write', 'pay:read', 'pay:admin'], ['role:pager', 'grp:oncall', 'role:absent', 'scope:pay:write']));
    expect(grants).toEqual({ authenticated: true, scopes: new Set(['pay:write', 'pay:read']), policies: new Set(['role:pager', 'grp:oncall']) });
  });

  it('lets a live credential act as the identity it authenticates, and an expired one as nobody', async () => {
    expect((await authorizer().grantsFor(context('key:ci'), needs(['pay:write']))).scopes).toEqual(new Set(['pay:write']));
    expect(await authorizer().grantsFor(context('key:expired'), needs(['pay:write']))).toEqual({ authenticated: false, scopes: new Set(), policies: new Set() });
  });

  it('holds nothing, not even authentication, for no subject, an unknown one, a disabled one, or a node that is not a subject', async () => {
    for (const subject of [undefined, 'sa:ghost', 'sa:old', 'role:writer', 'key:of-old', 'key:orphan']) {
      expect(await authorizer().grantsFor(context(subject), needs(['pay:read']))).toEqual({ authenticated: false, scopes: new Set(), policies: new Set() });
    }
  });

  it('decides as of now: a grant that ends is not held after its end', async () => {
    const { nodes, edges } = estate().identity('sa:temp').role('role:r').scope('scope:s').hasRole('sa:temp', 'role:r', { expiresAt: day(3) }).grants('role:r', 'scope:s').build();
    const temporary = Projection.fromRecords(nodes, edges);
    const at = (n: number) => new GraphAuthorizer({ graph: () => temporary, maxDepth: 16, sampleAllows: 0, now: () => dayMs(n) }).grantsFor(context('sa:temp'), needs(['s']));
    expect((await at(2)).scopes).toEqual(new Set(['s']));
    expect((await at(4)).scopes).toEqual(new Set());
  });

  it('catches up before it decides, and fails closed while there is no graph', async () => {
    let freshened = 0;
    await authorizer({ freshen: async () => void freshened++ }).grantsFor(context('agent:copilot'), needs(['pay:read']));
    expect(freshened).toBe(1);
    await expect(authorizer({ graph: () => undefined }).grantsFor(context('agent:copilot'), needs(['pay:read']))).rejects.toThrow('the identity graph is not ready');
  });

  it('explains, on request, the path of each granted scope, the sequence read and what was denied', async () => {
    const a = authorizer();
    const ctx = context('agent:copilot', true);
    const grants = await a.grantsFor(ctx, needs(['pay:write', 'pay:admin']));
    const denial: Denial = { path: ['refundAll'], coordinate: 'Mutation.refundAll', missing: { authenticated: false, scopes: [['pay:admin']], policies: [] } };
    const extensions = a.decided({ context: ctx, operationName: 'Refund', needed: needs(['pay:write', 'pay:admin']), grants, denials: [denial], mode: 'filter' });
    expect(extensions).toEqual({
      idgraph: {
        subject: 'agent:copilot',
        subjectStatus: 'live',
        sequence: 7,
        authenticated: true,
        granted: [
          {
            name: 'pay:write',
            node: 'scope:pay:write',
            path: {
              nodes: ['agent:copilot', 'sa:deployer', 'role:deployer', 'role:writer', 'scope:pay:write'],
              steps: [
                { type: 'CAN_ASSUME', from: 'agent:copilot', to: 'sa:deployer', origin: null },
                { type: 'HAS_ROLE', from: 'sa:deployer', to: 'role:deployer', origin: null },
                { type: 'INHERITS', from: 'role:deployer', to: 'role:writer', origin: null },
                { type: 'GRANTS', from: 'role:writer', to: 'scope:pay:write', origin: null },
              ],
            },
          },
        ],
        missing: ['pay:admin'],
        denied: [{ coordinate: 'Mutation.refundAll', path: ['refundAll'] }],
      },
    });
    expect(a.decided({ context: context('agent:copilot'), operationName: null, needed: needs([]), grants, denials: [], mode: 'filter' })).toBeUndefined();
  });

  it('observes every decision, and audits every denial and the sampled share of allows', async () => {
    const recorded: GatewayDecision[] = [];
    const draws = [0.5, 0.05];
    const observed: GatewayDecision[] = [];
    const a = authorizer({ sampleAllows: 0.1, audit: (d) => recorded.push(d), observe: (d) => observed.push(d), random: () => draws.shift() ?? 1 });
    const decide = async (subject: string, scope: string) => {
      const ctx = context(subject);
      const grants = await a.grantsFor(ctx, needs([scope]));
      const denials: Denial[] = grants.scopes.has(scope) ? [] : [{ path: ['f'], coordinate: 'Query.f', missing: { authenticated: false, scopes: [[scope]], policies: [] } }];
      a.decided({ context: ctx, operationName: 'Op', needed: needs([scope]), grants, denials, mode: 'filter' });
    };
    await decide('agent:copilot', 'pay:read'); // allow, draw 0.5: not sampled
    await decide('agent:copilot', 'pay:read'); // allow, draw 0.05: sampled
    await decide('sa:old', 'pay:read'); // deny: always
    expect(recorded.map(({ subject, status, outcome, needed, missing, denied, sequence }) => ({ subject, status, outcome, needed, missing, denied, sequence }))).toEqual([
      { subject: 'agent:copilot', status: 'live', outcome: 'ALLOW', needed: ['pay:read'], missing: [], denied: [], sequence: 7 },
      { subject: 'sa:old', status: 'not-live', outcome: 'DENY', needed: ['pay:read'], missing: ['pay:read'], denied: ['Query.f'], sequence: 7 },
    ]);
    expect(observed.map((d) => d.outcome)).toEqual(['ALLOW', 'ALLOW', 'DENY']);
  });
});
