/**
 * Guardrails.decide beyond grants (credentials, definitions, lifecycle events) and the properties of
 * every decision: deterministic, naming its policies, failing closed.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IdGraphError } from '../../src/model/errors.js';
import {
  LIFECYCLE_ACTIONS,
  defaultPolicyDir,
  grantFacts,
  identityFacts,
  loadGuardrails,
  type Actor,
  type CredentialAction,
  type Decision,
  type GuardrailRequest,
  type LifecycleAction,
} from '../../src/policy/index.js';
import { AT, DAY, HOUR, admin, bankOwner, guardrails, localRole, projection, props, shopOwner } from './fixture.js';

function expectDecision(decision: Decision, outcome: Decision['outcome'], policyIds: string[]): void {
  expect({ outcome: decision.outcome, policyIds: decision.policyIds }).toEqual({ outcome, policyIds });
}

function credential(actor: Actor, action: CredentialAction, identity: string, ttlSeconds?: number): Decision {
  const facts = identityFacts(projection, props.node, identity, AT);
  return guardrails().decide({ action, actor, credential: { id: `cred:${identity}`, identity: facts }, ttlSeconds });
}

describe('credentials must expire', () => {
  it('allows an expiry within a year and denies none or a longer one', () => {
    expectDecision(credential(shopOwner, 'issueCredential', 'sa:shop-ci', 365 * DAY), 'ALLOW', ['service-owner-acts-locally']);
    expectDecision(credential(shopOwner, 'issueCredential', 'sa:shop-ci'), 'DENY', ['credential-must-expire']);
    expectDecision(credential(shopOwner, 'issueCredential', 'sa:shop-ci', 365 * DAY + 1), 'DENY', ['credential-must-expire']);
    expectDecision(credential(shopOwner, 'rotateCredential', 'sa:shop-ci'), 'DENY', ['credential-must-expire']);
  });

  it('does not ask a revocation for an expiry', () => {
    expectDecision(credential(shopOwner, 'revokeCredential', 'sa:shop-ci'), 'ALLOW', ['service-owner-acts-locally']);
  });

  it("keeps a service owner to identities of their services, and lets a central admin act on any", () => {
    expectDecision(credential(shopOwner, 'rotateCredential', 'wl:shop-dev-api', 30 * DAY), 'ALLOW', ['service-owner-acts-locally']);
    expectDecision(credential(bankOwner, 'issueCredential', 'sa:shop-ci', 30 * DAY), 'DENY', ['local-credential-own-identity']);
    expectDecision(credential(shopOwner, 'revokeCredential', 'sa:orphan'), 'DENY', ['local-credential-own-identity']);
    expectDecision(credential(admin, 'revokeCredential', 'sa:orphan'), 'ALLOW', ['central-admin-acts']);
  });
});

describe('roles and scopes are defined locally only in the actor’s own services', () => {
  const define = (actor: Actor, action: 'defineRole' | 'defineScope', origin: 'LOCAL' | 'CENTRAL', service?: string) =>
    guardrails().decide({ action, actor, definition: { id: 'role:new', origin, service } });

  it('allows a LOCAL definition in their service and denies a central one or another service’s', () => {
    expectDecision(define(shopOwner, 'defineRole', 'LOCAL', 'svc:shop'), 'ALLOW', ['service-owner-acts-locally']);
    expectDecision(define(shopOwner, 'defineScope', 'LOCAL', 'svc:shop-dev'), 'ALLOW', ['service-owner-acts-locally']);
    expectDecision(define(shopOwner, 'defineRole', 'CENTRAL'), 'DENY', ['local-definition-own-service']);
    expectDecision(define(shopOwner, 'defineScope', 'LOCAL', 'svc:bank'), 'DENY', ['local-definition-own-service']);
    expectDecision(define(admin, 'defineRole', 'CENTRAL'), 'ALLOW', ['central-admin-acts']);
  });
});

describe('lifecycle events are central-admin only', () => {
  for (const action of Object.keys(LIFECYCLE_ACTIONS) as LifecycleAction[]) {
    for (const label of LIFECYCLE_ACTIONS[action]) {
      it(`${action} on ${label}: a central admin yes, a service owner no`, () => {
        const request = (actor: Actor): GuardrailRequest => ({ action, actor, target: { id: 'x:target', label } });
        expectDecision(guardrails().decide(request(admin)), 'ALLOW', ['central-admin-acts']);
        expectDecision(guardrails().decide(request(shopOwner)), 'DENY', ['central-only']);
      });
    }
  }

  it('rejects an event on a label it does not act on', () => {
    const request: GuardrailRequest = { action: 'offboardVendor', actor: admin, target: { id: 'svc:shop', label: 'Service' } };
    expect(() => guardrails().decide(request)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'offboardVendor acts on Vendor, got Service "svc:shop"' }));
  });
});

describe('decisions', () => {
  const requests: GuardrailRequest[] = [
    { action: 'grant', actor: shopOwner, grant: grantFacts(projection, props.node, localRole('sa:shop-ci', 'role:shop-orders'), AT), ttlSeconds: DAY },
    { action: 'grant', actor: bankOwner, grant: grantFacts(projection, props.node, localRole('sa:orphan', 'role:bank-writer', 'svc:bank'), AT) },
    { action: 'grant', actor: admin, grant: grantFacts(projection, props.node, localRole('sa:acme-sync', 'role:shop-deployer'), AT), ttlSeconds: HOUR },
    { action: 'retireService', actor: admin, target: { id: 'svc:shop', label: 'Service' } },
  ];

  it('are the same for the same request, in any order and from any load of the same policies', () => {
    const first = requests.map((r) => guardrails().decide(r));
    const again = [...requests].reverse().map((r) => guardrails().decide(r)).reverse();
    const fresh = loadGuardrails();
    expect(again).toEqual(first);
    expect(requests.map((r) => fresh.decide(r))).toEqual(first);
  });

  it('explain each policy with its @reason, in the order of the ids', () => {
    const decision = guardrails().decide(requests[1]!);
    expect(decision.reasons).toEqual(decision.policyIds.map((id) => guardrails().policy(id)!.reason));
    expect(decision.reasons).toContain('an identity without a (live) owner gets no grant');
  });

  it('reject a TTL that is not a number of seconds, and facts that do not fit the action', () => {
    const request = { ...requests[0]!, ttlSeconds: Number.NaN } as GuardrailRequest;
    expect(() => guardrails().decide(request)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }) as IdGraphError);
    const mismatched = { ...requests[0]!, action: 'issueCredential' } as GuardrailRequest;
    expect(() => guardrails().decide(mismatched)).toThrow('Action "issueCredential" does not take this request\'s facts');
  });

  describe('over many grants with the same facts (the drift report)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idgraph-policy-named-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const grantOf = (from: string) => grantFacts(projection, props.node, localRole(from, 'role:shop-orders'), AT);

    it('give every grant the decision of its facts, whatever the order', () => {
      const subjects = ['sa:shop-ci', 'sa:orphan', 'sa:shop-ci', 'sa:acme-sync', 'sa:orphan'];
      const shared = guardrails();
      const inOrder = subjects.map((from) => shared.decide({ action: 'reviewGrant', actor: shopOwner, grant: grantOf(from) }));
      const oneEach = subjects.map((from) => loadGuardrails().decide({ action: 'reviewGrant', actor: shopOwner, grant: grantOf(from) }));
      expect(inOrder).toEqual(oneEach);
      expect(new Set(inOrder.map((d) => d.outcome)).size).toBeGreaterThan(1);
    });

    it('still tell apart two grants with equal facts when a policy names one of them', () => {
      cpSync(defaultPolicyDir(), dir, { recursive: true });
      const named = grantOf('sa:shop-ci').edge;
      writeFileSync(join(dir, 'named.cedar'), [
        '@id("one-grant-under-review")',
        `forbid (principal, action == IdGraph::Action::"reviewGrant", resource == IdGraph::Grant::"${named.type} ${named.from} -> ${named.to}#${named.key}");`,
      ].join('\n'));
      const withNamed = loadGuardrails(dir);
      const facts = grantOf('sa:shop-ci');
      const twin = { ...facts, edge: { ...facts.edge, key: 'twin' } };
      expectDecision(withNamed.decide({ action: 'reviewGrant', actor: admin, grant: facts }), 'DENY', ['one-grant-under-review']);
      expect(withNamed.decide({ action: 'reviewGrant', actor: admin, grant: twin }).outcome).toBe('ALLOW');
    });
  });

  describe('fail closed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idgraph-policy-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('deny, naming the forbid with the others that apply, when a forbid cannot be evaluated', () => {
      cpSync(defaultPolicyDir(), dir, { recursive: true });
      // Valid against the schema, but a large TTL overflows Cedar's 64-bit Long at evaluation.
      writeFileSync(join(dir, 'overflow.cedar'), [
        '@id("overflowing-forbid")',
        'forbid (principal, action == IdGraph::Action::"grant", resource)',
        'when { context has ttlSeconds && context.ttlSeconds * 1000000000000 > 0 };',
      ].join('\n'));
      const decision = loadGuardrails(dir).decide({ ...requests[0]!, actor: admin, ttlSeconds: 100_000_000 } as GuardrailRequest);
      expectDecision(decision, 'DENY', ['grant-ttl-high', 'overflowing-forbid']);
      expect(decision.reasons[1]).toMatch(/^policy "overflowing-forbid" could not be evaluated, so it denies: .*overflow/);
    });
  });
});
