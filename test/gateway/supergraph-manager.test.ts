import { IntrospectAndCompose, RemoteGraphQLDataSource, type SupergraphManager } from '@apollo/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authzSupergraphManager, originalSupergraphOf, stripSecurityFeatures } from '../../src/gateway/index.js';
import { loadingWith } from '../../src/gateway/supergraph-manager.js';
import { composeFixture, startSubgraphs, type RunningSubgraphs } from './fixture.js';

const original = composeFixture().supergraphSdl;
const stripped = stripSecurityFeatures(original);

/** What ApolloGateway hands a supergraph manager, recording what it is given. */
function gatewaySide(refuse = false) {
  const seen = { updates: [] as string[], healthChecks: [] as string[] };
  return {
    seen,
    hooks: {
      update: (sdl: string) => {
        if (refuse) throw new Error('the gateway refused this supergraph');
        seen.updates.push(sdl);
      },
      healthCheck: async (sdl: string) => void seen.healthChecks.push(sdl),
      getDataSource: ({ url }: { name: string; url?: string }) => new RemoteGraphQLDataSource({ url: url! }),
    },
  };
}

/** A manager that reports an update when told to, as IntrospectAndCompose does on a poll. */
function pushing(initial: string) {
  let hooks: Parameters<SupergraphManager['initialize']>[0] | undefined;
  let cleanedUp = false;
  const manager: SupergraphManager = {
    async initialize(options) {
      hooks = options;
      return { supergraphSdl: initial, cleanup: async () => void (cleanedUp = true) };
    },
  };
  return { manager, push: (sdl: string) => hooks!.update(sdl), check: (sdl: string) => hooks!.healthCheck(sdl), cleanedUp: () => cleanedUp };
}

describe('authzSupergraphManager', () => {
  it('gives the gateway a static supergraph stripped, and the original to onOriginal before the gateway builds on it', async () => {
    const originals: string[] = [];
    const result = await authzSupergraphManager(original, (sdl) => originals.push(sdl)).initialize(gatewaySide().hooks);
    expect(result.supergraphSdl).toBe(stripped);
    expect(originals).toEqual([original]);
  });

  it('strips every update, and reports its original once the gateway took it', async () => {
    const inner = pushing(original);
    const originals: string[] = [];
    const gateway = gatewaySide();
    await authzSupergraphManager(inner.manager, (sdl) => originals.push(sdl)).initialize(gateway.hooks);
    const next = original.replace('read:email', 'read:mail');
    inner.push(next);
    expect(gateway.seen.updates).toEqual([stripSecurityFeatures(next)]);
    expect(originals).toEqual([original, next]);
  });

  it('does not report an update the gateway refused, and lets the refusal reach the inner manager', async () => {
    const inner = pushing(original);
    const originals: string[] = [];
    await authzSupergraphManager(inner.manager, (sdl) => originals.push(sdl)).initialize(gatewaySide(true).hooks);
    expect(() => inner.push(original.replace('read:email', 'read:mail'))).toThrow('the gateway refused this supergraph');
    expect(originals).toEqual([original]);
  });

  it('strips the supergraph of a health check, which the gateway parses the same way', async () => {
    const inner = pushing(original);
    const gateway = gatewaySide();
    await authzSupergraphManager(inner.manager, () => undefined).initialize(gateway.hooks);
    await inner.check(original);
    expect(gateway.seen.healthChecks).toEqual([stripped]);
  });

  it('remembers each original in the map of the gateway loading it, before the gateway gets the stripped SDL', async () => {
    const inner = pushing(original);
    const mine = new Map<string, string>();
    const known: (string | undefined)[] = [];
    const gateway = gatewaySide();
    const update = (sdl: string): void => {
      known.push(originalSupergraphOf(sdl, mine));
      gateway.hooks.update(sdl);
    };
    const result = await loadingWith(mine, () => authzSupergraphManager(inner.manager, () => undefined).initialize({ ...gateway.hooks, update }));
    expect(originalSupergraphOf(result.supergraphSdl, mine)).toBe(original);
    const next = original.replace('read:email', 'read:mail');
    inner.push(next);
    expect(known).toEqual([next]);
  });

  it('keeps the originals of two gateways apart, and remembers none outside a gateway’s load', async () => {
    const [a, b] = [new Map<string, string>(), new Map<string, string>()];
    const other = original.replace('read:email', 'read:mail');
    await Promise.all([
      loadingWith(a, () => authzSupergraphManager(original, () => undefined).initialize(gatewaySide().hooks)),
      loadingWith(b, () => authzSupergraphManager(other, () => undefined).initialize(gatewaySide().hooks)),
    ]);
    expect([...a.values()]).toEqual([original]);
    expect([...b.values()]).toEqual([other]);
    const result = await authzSupergraphManager(original, () => undefined).initialize(gatewaySide().hooks);
    expect(originalSupergraphOf(result.supergraphSdl, new Map())).toBeUndefined();
  });

  it('passes the inner manager’s cleanup through', async () => {
    const inner = pushing(original);
    const result = await authzSupergraphManager(inner.manager, () => undefined).initialize(gatewaySide().hooks);
    await result.cleanup?.();
    expect(inner.cleanedUp()).toBe(true);
  });

  describe('around IntrospectAndCompose and real subgraphs', () => {
    let subgraphs: RunningSubgraphs;
    beforeAll(async () => {
      subgraphs = await startSubgraphs();
    });
    afterAll(async () => {
      await subgraphs.stop();
    });

    it('gives the gateway the composed supergraph stripped and keeps the original with its directives', async () => {
      const originals: string[] = [];
      const manager = new IntrospectAndCompose({
        subgraphs: [
          { name: 'users', url: subgraphs.urls.users },
          { name: 'orders', url: subgraphs.urls.orders },
        ],
      });
      const result = await authzSupergraphManager(manager, (sdl) => originals.push(sdl)).initialize(gatewaySide().hooks);
      try {
        expect(originals).toHaveLength(1);
        expect(originals[0]).toContain('@requiresScopes(scopes: [["read:email"]])');
        expect(result.supergraphSdl).toBe(stripSecurityFeatures(originals[0]!));
        expect(result.supergraphSdl).not.toContain('requiresScopes');
      } finally {
        await result.cleanup?.();
      }
    });
  });
});
