/** Guardrail drift: live grants that today's guardrails would deny (policy/guardrailViolations). */
import { describe, expect, it } from 'vitest';
import { cleanEstate, findingsOf, guardrails, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'guardrail-drift', undefined, { guardrails: guardrails() });

describe('guardrail-drift', () => {
  it('reports nothing when every grant is within the guardrails', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a grant that a guardrail would deny today, naming the policy, and revokes it', () => {
    const found = run(cleanEstate().hasRole('wl:pay-dev-api', 'role:pay-writer', localGrant('svc:pay')));
    expect(found).toMatchObject([
      {
        id: 'guardrail-drift:wl:pay-dev-api:grant:HAS_ROLE:role:pay-writer',
        owasp: null,
        evidence: { props: { policyIds: ['dev-never-prod'], domain: 'svc:pay' } },
        remediation: { mutation: 'revoke', args: { grant: { type: 'HAS_ROLE', from: 'wl:pay-dev-api', to: 'role:pay-writer', id: '' } } },
      },
    ]);
  });

  it('reports nothing without guardrails in the input', () => {
    const b = cleanEstate().hasRole('wl:pay-dev-api', 'role:pay-writer', localGrant('svc:pay'));
    expect(ids(findingsOf(b, 'guardrail-drift'))).toEqual([]);
  });
});
