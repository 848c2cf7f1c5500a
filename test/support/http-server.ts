/** A real API server on a random loopback port over a temp Kuzu store, seeded with the demo estate. */
import { Writable } from 'node:stream';
import { afterAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/server/logger.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { GraphStore } from '../../src/store/port.js';
import { tempDir, tempStore } from './temp-store.js';
import { mintLocalToken } from '../../src/auth/index.js';

export const SEED_ANCHOR = new Date('2026-11-23T00:00:00Z');

export interface TestServer extends RunningServer {
  readonly store: GraphStore;
  /** Every log line the server wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** `Bearer <a local analyst token>`, sent by `post` unless its headers say otherwise. */
  readonly authorization: string;
  /** Mints a local token for this server, as `idgraph token` would; the subject defaults to one per role set. */
  token(roles: string[], services?: string[], subject?: string): Promise<string>;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

const running: RunningServer[] = [];
afterAll(async () => {
  for (const server of running) await server.close();
});

export async function testServer(overrides: Partial<Config> = {}, store?: GraphStore): Promise<TestServer> {
  const keyDir = tempDir('idgraph-keys-');
  const base = loadConfig({ port: 0 }, {});
  const config = { ...base, auth: { ...base.auth, localKeyDir: keyDir }, ...overrides };
  const token = async (roles: string[], services?: string[], subject = `test:${roles.join('+')}`): Promise<string> =>
    (await mintLocalToken({ dir: keyDir, roles, services, subject })).token;
  const authorization = `Bearer ${await token(['analyst'])}`;
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const graph = store ?? (await tempStore());
  const server = await startServer({ config, store: graph, logger: createLogger('info', sink), now: () => SEED_ANCHOR });
  running.push(server);
  return {
    ...server,
    close: () => server.close(),
    store: graph,
    logs,
    authorization,
    token,
    async post(body, headers = {}) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: the test sees the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
  };
}
