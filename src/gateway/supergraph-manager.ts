/**
 * The supergraph source for an ApolloGateway that must not see the SECURITY features it refuses: a static
 * SDL or any `SupergraphManager` (IntrospectAndCompose, Uplink) whose every supergraph is stripped on the
 * way to the gateway, while the original stays available for enforcement.
 */
import type { SupergraphManager } from '@apollo/gateway';
import { AsyncLocalStorage } from 'node:async_hooks';
import { rememberOriginal, stripSecurityFeatures } from './requirements.js';

/**
 * The originals map of the `AuthzGateway` whose `load` is running. ApolloGateway hands a manager nothing
 * that identifies the AuthzGateway around it, but it initializes the manager inside that gateway's `load`:
 * this is how each manager finds the one map it must fill, with no map shared by the whole process.
 */
const loadingGateway = new AsyncLocalStorage<Map<string, string>>();

/**
 * Runs `load` (the inner gateway's) so that an `authzSupergraphManager` it initializes remembers, in
 * `originals`, the original of each supergraph it strips (`rememberOriginal`), before the gateway loads it.
 * @example await loadingWith(this.originals, () => inner.load(options))
 */
export function loadingWith<T>(originals: Map<string, string>, load: () => T): T {
  return loadingGateway.run(originals, load);
}

/**
 * Wraps `source` so the gateway gets `stripSecurityFeatures(sdl)`: on the initial load, on every update,
 * and in the subgraph health check (which parses the SDL with the same `Supergraph.build` that refuses
 * the features). The original of each goes to the map of the `AuthzGateway` loading the gateway (see
 * `loadingWith`) before the gateway has the stripped SDL, so that it can read the requirements as soon as
 * the gateway reports the schema. `onOriginal` gets each original SDL once the gateway has it: the initial
 * one before the gateway builds its schema, an update after the gateway accepted it (an update it refuses
 * never reaches `onOriginal`).
 * @example new ApolloGateway({ supergraphSdl: authzSupergraphManager(new IntrospectAndCompose({ subgraphs }), (sdl) => log(sdl)) })
 */
export function authzSupergraphManager(source: string | SupergraphManager, onOriginal: (originalSdl: string) => void): SupergraphManager {
  const inner: SupergraphManager = typeof source === 'string' ? { initialize: async () => ({ supergraphSdl: source }) } : source;
  return {
    async initialize({ update, healthCheck, getDataSource }) {
      const originals = loadingGateway.getStore();
      const strip = (sdl: string): string => {
        const stripped = stripSecurityFeatures(sdl);
        if (originals !== undefined) rememberOriginal(originals, stripped, sdl);
        return stripped;
      };
      const result = await inner.initialize({
        update: (sdl) => {
          update(strip(sdl));
          onOriginal(sdl);
        },
        healthCheck: (sdl) => healthCheck(stripSecurityFeatures(sdl)),
        getDataSource,
      });
      const supergraphSdl = strip(result.supergraphSdl);
      onOriginal(result.supergraphSdl);
      return { ...result, supergraphSdl };
    },
  };
}
