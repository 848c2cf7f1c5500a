/** The accountable owner: OWNS walked to the subject, and a team standing in for a person who left. */
import { describe, expect, it } from 'vitest';
import { accountableOwner } from '../../src/findings/index.js';
import { day } from '../support/estate.js';
import { cleanEstate, freshCredential, inputOf } from './fixture.js';

const ownerIn = (b: ReturnType<typeof cleanEstate>, id: string) => accountableOwner(inputOf(b.build()), id);

describe('accountableOwner', () => {
  it('is the owner by a live OWNS edge, with its name', () => {
    const b = cleanEstate().owner('team:pay', { kind: 'TEAM', name: 'Payments', status: 'ACTIVE' });
    expect(ownerIn(b, 'sa:pay-deployer')).toEqual({ id: 'team:pay', name: 'Payments', via: 'OWNS' });
  });

  it('is, for a credential without an owner, its identity’s; for an identity without one, the owner of a service that runs as it', () => {
    const b = cleanEstate()
      .credential('cred:loose', freshCredential('API_KEY'))
      .authenticates('cred:loose', 'sa:pay-deployer')
      .identity('wl:sidecar', { kind: 'WORKLOAD', status: 'ACTIVE' })
      .runsAs('svc:pay', 'wl:sidecar');
    expect(ownerIn(b, 'cred:loose')).toMatchObject({ id: 'team:pay', via: 'OWNS' });
    expect(ownerIn(b, 'wl:sidecar')).toMatchObject({ id: 'team:pay', via: 'OWNS' });
  });

  it('falls back to a team when the person who owns it is not ACTIVE, with a note', () => {
    const b = cleanEstate()
      .owner('person:bob', { kind: 'PERSON', status: 'DEPARTED' })
      .owns('person:bob', 'sa:pay-deployer')
      .credential('cred:bobs', freshCredential('API_KEY'))
      .owns('person:bob', 'cred:bobs')
      .authenticates('cred:bobs', 'sa:pay-deployer');
    expect(ownerIn(b, 'sa:pay-deployer')).toEqual({ id: 'team:pay', name: 'team:pay', via: 'team', note: 'person:bob (DEPARTED) is not ACTIVE; team:pay owns sa:pay-deployer' });
    expect(ownerIn(b, 'cred:bobs')).toEqual({ id: 'team:pay', name: 'team:pay', via: 'team', note: 'person:bob (DEPARTED) is not ACTIVE; team:pay owns sa:pay-deployer' });
  });

  it('is nobody when nothing owns it, or only people who left, and says which', () => {
    const b = cleanEstate()
      .identity('sa:orphan', { kind: 'SERVICE_ACCOUNT', status: 'ACTIVE' })
      .owner('person:bob', { kind: 'PERSON', status: 'DEPARTED' })
      .identity('sa:bobs', { kind: 'SERVICE_ACCOUNT', status: 'ACTIVE' })
      .owns('person:bob', 'sa:bobs');
    expect(ownerIn(b, 'sa:orphan')).toEqual({ id: '', via: 'none', note: 'nothing owns sa:orphan' });
    expect(ownerIn(b, 'sa:bobs')).toEqual({ id: '', via: 'none', note: 'person:bob (DEPARTED) is not ACTIVE and no team stands in' });
  });

  it('ignores a revoked ownership', () => {
    const b = cleanEstate()
      .identity('sa:moved', { kind: 'SERVICE_ACCOUNT', status: 'ACTIVE' })
      .owner('team:old', { kind: 'TEAM', status: 'ACTIVE' })
      .owns('team:old', 'sa:moved', { status: 'REVOKED', revokedAt: day(-5) })
      .owns('team:pay', 'sa:moved', { grantedAt: day(-5) });
    expect(ownerIn(b, 'sa:moved')).toMatchObject({ id: 'team:pay', via: 'OWNS' });
  });
});
