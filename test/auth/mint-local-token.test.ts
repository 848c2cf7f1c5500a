import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { ensureLocalKey } from '../../src/auth/local-key.js';
import { getValidTokenRequest, mintLocalToken, parseTtl } from '../../src/auth/mint-local-token.js';
import { thrownBy } from '../support/failure.js';
import { tempDir } from '../support/temp-store.js';
import { NOW, NOW_S } from './jwt-fixtures.js';

describe('mintLocalToken', () => {
  it('signs the roles, services, subject and expiry with the local key', async () => {
    const dir = tempDir();
    const minted = await mintLocalToken({ dir, roles: ['service-owner', 'analyst'], services: ['svc:payments', 'svc:ledger'], subject: 'dev:ana', ttl: '30m', now: () => NOW });
    expect(minted.expiresAt).toEqual(new Date(NOW.getTime() + 30 * 60_000));
    expect(minted).toMatchObject({ subject: 'dev:ana', roles: ['analyst', 'service-owner'], services: ['svc:payments', 'svc:ledger'] });
    expect(decodeProtectedHeader(minted.token)).toEqual({ alg: 'ES256', kid: (await ensureLocalKey(dir)).kid, typ: 'JWT' });
    const claims = decodeJwt(minted.token);
    expect(claims).toMatchObject({
      iss: 'idgraph-local', aud: 'idgraph', sub: 'dev:ana', iat: NOW_S, exp: NOW_S + 1800,
      idgraph_roles: ['analyst', 'service-owner'], idgraph_services: ['svc:payments', 'svc:ledger'],
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('defaults to 8 hours for the local user, and leaves out an empty services claim', async () => {
    const minted = await mintLocalToken({ dir: tempDir(), roles: ['auditor'], now: () => NOW });
    const claims = decodeJwt(minted.token);
    expect(claims.exp).toBe(NOW_S + 8 * 3600);
    expect(claims.sub).toMatch(/^local:\S+$/);
    expect(claims).not.toHaveProperty('idgraph_services');
  });
});

describe('getValidTokenRequest', () => {
  it('names every problem by its flag', () => {
    const error = thrownBy(() => getValidTokenRequest({ roles: ['admin', 'service-owner'], subject: 'two words', ttl: 'forever' }), 'BAD_USER_INPUT');
    expect(error.issues).toEqual([
      { path: '--role', message: 'unknown role "admin"; expected one of analyst, auditor, service-owner, central-admin' },
      { path: '--service', message: 'a service-owner token needs at least one --service <id>' },
      { path: '--subject', message: 'must be 1-200 characters without spaces, got "two words"' },
      { path: '--ttl', message: 'must be a duration such as 30m, 8h or 7d, from 1m to 30d, got "forever"' },
    ]);
  });

  it('wants a role, and services only with service-owner', () => {
    expect(thrownBy(() => getValidTokenRequest({ roles: [] }), 'BAD_USER_INPUT').issues).toEqual([
      { path: '--role', message: 'give at least one role; expected one of analyst, auditor, service-owner, central-admin' },
    ]);
    expect(thrownBy(() => getValidTokenRequest({ roles: ['analyst'], services: ['svc:a'] }), 'BAD_USER_INPUT').issues).toEqual([
      { path: '--service', message: 'only a service-owner token names services, got "svc:a"' },
    ]);
    expect(thrownBy(() => getValidTokenRequest({ roles: ['service-owner'], services: [''] }), 'BAD_USER_INPUT').issues[0]?.message).toBe(
      'must be a service id such as svc:payments, got ""',
    );
  });

  it('deduplicates roles and services', () => {
    expect(getValidTokenRequest({ roles: ['central-admin', 'analyst', 'analyst'], subject: 's', ttl: '1d' })).toEqual({ roles: ['analyst', 'central-admin'], services: [], subject: 's', ttlSeconds: 86_400 });
  });
});

describe('parseTtl', () => {
  it.each([
    ['60s', 60], ['1m', 60], ['90m', 5400], ['8h', 28_800], [' 7d ', 604_800], ['30d', 2_592_000],
    ['59s', undefined], ['31d', undefined], ['0h', undefined], ['8', undefined], ['8 h', undefined], ['1w', undefined], ['-1h', undefined], ['1.5h', undefined], ['', undefined],
  ])('%j → %j', (value, seconds) => {
    expect(parseTtl(value)).toBe(seconds);
  });
});
