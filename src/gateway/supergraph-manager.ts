/**
 * The supergraph source for an ApolloGateway that must not see the SECURITY features it refuses: a static
 * SDL or any `SupergraphManager` (IntrospectAndCompose, Uplink) whose every supergraph is stripped on the
 * way to the gateway, while the original stays available for enforcement.
 */
import type { SupergraphManager } from '@apollo/gateway';
import { stripSecurityFeatures } from './requirements.js';

/**
 * Wraps `source` so the gateway gets `stripSecurityFeatures(sdl)`: on the initial load, on every update,
 * and in the subgraph health check (which parses the SDL with the same `Supergraph.build` that refuses
 * the features). `onOriginal` gets each original SDL once the gateway has it: the initial one before the
 * gateway builds its schema, an update after the gateway accepted it (an update it refuses never reaches
 * `onOriginal`). `AuthzGateway` needs no callback: it finds the original from the stripped SDL itself.
 * @example new ApolloGateway({ supergraphSdl: authzSupergraphManager(new IntrospectAndCompose({ subgraphs }), (sdl) => log(sdl)) })
 */
export function authzSupergraphManager(source: string | SupergraphManager, onOriginal: (originalSdl: string) => void): SupergraphManager {
  const inner: SupergraphManager = typeof source === 'string' ? { initialize: async () => ({ supergraphSdl: source }) } : source;
  return {
    async initialize({ update, healthCheck, getDataSource }) {
      const result = await inner.initialize({
        update: (sdl) => {
          update(stripSecurityFeatures(sdl));
          onOriginal(sdl);
        },
        healthCheck: (sdl) => healthCheck(stripSecurityFeatures(sdl)),
        getDataSource,
      });
      const supergraphSdl = stripSecurityFeatures(result.supergraphSdl);
      onOriginal(result.supergraphSdl);
      return { ...result, supergraphSdl };
    },
  };
}
