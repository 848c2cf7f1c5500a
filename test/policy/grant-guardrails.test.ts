/** Each guardrail on grants: an allow, a deny and, where it applies, a needs-approval, with the exact policy ids. */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/policy/index.js';
import { DAY, HOUR, admin, analyst, bankOwner, centralRole, decideGrant, localRole, shopOwner, subject } from './fixture.js';

function expectDecision(decision: Decision, outcome: Decision['outcome'], policyIds: string[]): void {
  expect({ outcome: decision.outcome, policyIds: decision.policyIds }).toEqual({ outcome, policyIds });
  expect(decision.reasons).toHaveLength(Math.max(policyIds.length, 1));
}

describe('local actors act only on their own service', () => {
  it('lets a service owner grant a local role of their service', () => {
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:shop-reader'), DAY), 'ALLOW', ['service-owner-acts-locally']);
  });

  it("denies a service owner another service's role, whatever domain they claim", () => {
    expectDecision(decideGrant(bankOwner, localRole('sa:shop-ci', 'role:shop-reader'), DAY), 'DENY', ['local-actor-own-service']);
    expectDecision(decideGrant(bankOwner, localRole('sa:shop-ci', 'role:shop-reader', 'svc:bank'), DAY), 'DENY', ['local-actor-own-service']);
  });

  it('keeps central roles to central admins', () => {
    expectDecision(decideGrant(shopOwner, centralRole('sa:shop-ci', 'role:auditor'), DAY), 'DENY', ['local-actor-own-service']);
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:auditor'), DAY), 'DENY', ['local-actor-own-service']);
    expectDecision(decideGrant(admin, centralRole('sa:shop-ci', 'role:auditor'), DAY), 'ALLOW', ['central-admin-acts']);
  });

  it('denies an analyst any grant', () => {
    expectDecision(decideGrant(analyst, localRole('sa:shop-ci', 'role:shop-reader'), DAY), 'DENY', ['local-actor-own-service']);
  });

  it('lets an owner hand over an identity of their service to assume, and no other', () => {
    const assume = (domain: string) => subject('CAN_ASSUME', 'sa:shop-ci', 'sa:bank-ci', { origin: 'LOCAL', domain });
    expectDecision(decideGrant(shopOwner, assume('svc:shop'), HOUR), 'DENY', ['local-actor-own-service']);
    expectDecision(decideGrant(bankOwner, assume('svc:bank'), HOUR), 'NEEDS_APPROVAL', ['high-grant-needs-approval']);
  });

  it('lets an owner revoke grants of their service only', () => {
    const grant = localRole('sa:bank-ci', 'role:bank-writer', 'svc:bank');
    expectDecision(decideGrant(bankOwner, grant, undefined, 'revoke'), 'ALLOW', ['service-owner-acts-locally']);
    expectDecision(decideGrant(shopOwner, grant, undefined, 'revoke'), 'DENY', ['local-actor-own-service']);
  });
});

describe('a grant has a TTL within the limit of the highest sensitivity it reaches', () => {
  it('requires a positive TTL', () => {
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:shop-reader')), 'DENY', ['grant-ttl-required']);
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:shop-reader'), 0), 'DENY', ['grant-ttl-required']);
  });

  const tiers = [
    { tier: 'LOW', role: 'role:shop-reader', limit: 90 * DAY, id: 'grant-ttl-low' },
    { tier: 'MEDIUM (through INHERITS)', role: 'role:shop-writer', limit: 30 * DAY, id: 'grant-ttl-medium' },
    { tier: 'HIGH', role: 'role:shop-orders', limit: 7 * DAY, id: 'grant-ttl-high' },
    { tier: 'CRITICAL', role: 'role:shop-deployer', limit: 8 * HOUR, id: 'grant-ttl-critical' },
  ];
  for (const { tier, role, limit, id } of tiers) {
    it(`allows ${tier} up to ${limit / HOUR} hours and denies a second more with ${id}`, () => {
      expectDecision(decideGrant(admin, centralRole('sa:shop-ci', role), limit), 'ALLOW', ['central-admin-acts']);
      expectDecision(decideGrant(admin, centralRole('sa:shop-ci', role), limit + 1), 'DENY', [id]);
    });
  }

  it('holds a grant that reaches no scope to the LOW limit', () => {
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:empty'), 91 * DAY), 'DENY', ['grant-ttl-low']);
  });

  it('binds access requests too', () => {
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:shop-reader'), undefined, 'requestAccess'), 'DENY', ['grant-ttl-required']);
  });
});

describe('a HIGH or CRITICAL grant needs central approval', () => {
  it('sends a service owner to a central admin', () => {
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:shop-orders'), DAY), 'NEEDS_APPROVAL', ['high-grant-needs-approval']);
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:shop-deployer'), HOUR), 'NEEDS_APPROVAL', ['high-grant-needs-approval']);
  });

  it('lets a central admin grant it at once', () => {
    expectDecision(decideGrant(admin, localRole('sa:shop-ci', 'role:shop-orders'), DAY), 'ALLOW', ['central-admin-acts']);
  });

  it('never turns a hard denial into an approval', () => {
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:shop-orders'), 8 * DAY), 'DENY', ['grant-ttl-high']);
  });

  it('leaves approval to central admins', () => {
    const grant = localRole('sa:shop-ci', 'role:shop-orders');
    expectDecision(decideGrant(admin, grant, undefined, 'approve'), 'ALLOW', ['central-admin-acts']);
    expectDecision(decideGrant(shopOwner, grant, undefined, 'approve'), 'DENY', ['central-only']);
  });

  it("makes every access request wait, even outside the requester's service", () => {
    expectDecision(decideGrant(shopOwner, localRole('sa:shop-ci', 'role:bank-writer', 'svc:bank'), HOUR, 'requestAccess'), 'NEEDS_APPROVAL', ['access-request-needs-approval']);
    const denied = decideGrant(analyst, localRole('sa:shop-ci', 'role:shop-reader'), HOUR, 'requestAccess');
    expectDecision(denied, 'DENY', []);
    expect(denied.reasons).toEqual(['no policy permits "requestAccess" for actor "human:analyst" with roles [analyst]']);
  });
});

describe('a vendor-operated identity never gets CRITICAL', () => {
  it('denies CRITICAL and allows HIGH', () => {
    expectDecision(decideGrant(admin, centralRole('sa:acme-sync', 'role:shop-deployer'), HOUR), 'DENY', ['vendor-never-critical']);
    expectDecision(decideGrant(admin, centralRole('sa:acme-sync', 'role:shop-orders'), HOUR), 'ALLOW', ['central-admin-acts']);
  });

  it('follows the grant to the members of a group', () => {
    expectDecision(decideGrant(admin, centralRole('grp:partners', 'role:shop-deployer'), HOUR), 'DENY', ['vendor-never-critical']);
  });

  it('denies it outright, not as a request for approval, and an approval cannot pass it', () => {
    expectDecision(decideGrant(shopOwner, localRole('sa:acme-sync', 'role:shop-deployer'), HOUR), 'DENY', ['vendor-never-critical']);
    expectDecision(decideGrant(admin, localRole('sa:acme-sync', 'role:shop-deployer'), HOUR, 'approve'), 'DENY', ['vendor-never-critical']);
  });
});

describe('a dev identity never gets a prod scope', () => {
  it('denies a prod scope and allows a dev one', () => {
    expectDecision(decideGrant(shopOwner, localRole('wl:shop-dev-api', 'role:shop-reader'), DAY), 'DENY', ['dev-never-prod']);
    expectDecision(decideGrant(shopOwner, localRole('wl:shop-dev-api', 'role:shop-dev-writer', 'svc:shop-dev'), DAY), 'ALLOW', ['service-owner-acts-locally']);
  });

  it('binds central admins too', () => {
    expectDecision(decideGrant(admin, centralRole('wl:shop-dev-api', 'role:auditor'), DAY), 'DENY', ['dev-never-prod']);
  });

  it('ignores a member whose membership is still pending', () => {
    expectDecision(decideGrant(admin, centralRole('grp:builders', 'role:shop-reader'), DAY), 'ALLOW', ['central-admin-acts']);
  });
});

describe('an identity without an owner gets no new grant', () => {
  it('denies an orphan and an identity whose only owner departed, and allows an owned one', () => {
    expectDecision(decideGrant(admin, centralRole('sa:orphan', 'role:shop-reader'), DAY), 'DENY', ['owner-required']);
    expectDecision(decideGrant(admin, centralRole('sa:left-behind', 'role:shop-reader'), DAY), 'DENY', ['owner-required']);
    expectDecision(decideGrant(admin, centralRole('sa:shop-ci', 'role:shop-reader'), DAY), 'ALLOW', ['central-admin-acts']);
  });

  it('names every hard rule a request breaks, sorted, and leaves out the approval it would also need', () => {
    expectDecision(decideGrant(bankOwner, localRole('sa:orphan', 'role:bank-writer', 'svc:bank')), 'DENY', ['grant-ttl-required', 'owner-required']);
  });
});
