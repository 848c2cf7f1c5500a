/** gateway.yaml: defaults, every problem reported at once by its YAML path, and the store it can run with. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig, parseGatewayConfig } from '../../src/config/gateway-config.js';
import type { StoreSpec } from '../../src/config/config.js';
import type { IdGraphError } from '../../src/model/errors.js';

const kuzu: StoreSpec = { kind: 'kuzu', dir: './data' };
const neo4j: StoreSpec = { kind: 'neo4j', uri: 'neo4j://db:7687', user: undefined, password: undefined, database: undefined };
const FILE = '/etc/idgraph/gateway.yaml';

function problems(text: string, store: StoreSpec = kuzu): { path: string; message: string }[] {
  try {
    parseGatewayConfig(text, FILE, store);
  } catch (error) {
    const e = error as IdGraphError;
    expect(e.code).toBe('BAD_USER_INPUT');
    return (e.issues ?? []).map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected the config to be refused');
}

describe('gateway.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idgraph-gw-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs only the subgraphs; everything else has a default', () => {
    const config = parseGatewayConfig('subgraphs:\n  - { name: payments, url: "http://127.0.0.1:4101/graphql" }\n', FILE, kuzu);
    expect(config).toEqual({
      file: FILE,
      listen: { host: '127.0.0.1', port: 4000 },
      mode: 'filter',
      enforce: true,
      identity: { port: 4001 },
      subgraphs: [{ name: 'payments', url: 'http://127.0.0.1:4101/graphql' }],
      supergraph: undefined,
      audit: { sampleAllows: 0 },
      forwardAuthorization: true,
      explainHeader: 'x-idgraph-explain',
      maxDepth: 16,
    });
  });

  it('forwards the caller’s token to every subgraph unless told not to, per subgraph or for all', () => {
    const config = parseGatewayConfig('forwardAuthorization: false\nsubgraphs:\n  - { name: a, url: "http://h/graphql" }\n  - { name: b, url: "http://g/graphql", forwardAuthorization: true }\n', FILE, kuzu);
    expect(config.forwardAuthorization).toBe(false);
    expect(config.subgraphs).toEqual([{ name: 'a', url: 'http://h/graphql' }, { name: 'b', url: 'http://g/graphql', forwardAuthorization: true }]);
  });

  it('resolves a supergraph file next to the config', () => {
    expect(parseGatewayConfig('supergraph: ./supergraph.graphql\nmode: reject\n', FILE, kuzu)).toMatchObject({ supergraph: '/etc/idgraph/supergraph.graphql', subgraphs: [], mode: 'reject' });
  });

  it('reports every problem at once, each by its path', () => {
    const text = [
      'listen: { port: 70000 }',
      'mode: block',
      'subgraphs:',
      '  - { name: identity, url: "http://127.0.0.1:1/graphql" }',
      '  - { name: payments, url: "ftp://x" }',
      '  - { name: payments, url: "http://127.0.0.1:2/graphql", extra: 1 }',
      'audit: { sampleAllows: 2 }',
    ].join('\n');
    expect(problems(text)).toEqual(
      expect.arrayContaining([
        { path: 'listen.port', message: 'must be at most 65535' },
        { path: 'mode', message: expect.stringContaining('filter') },
        { path: 'subgraphs.0.name', message: '"identity" is the identity subgraph\'s name; give this subgraph another' },
        { path: 'subgraphs.1.url', message: 'must be an http:// or https:// URL' },
        { path: 'subgraphs.2', message: expect.stringContaining('extra') },
        { path: 'audit.sampleAllows', message: 'must be between 0 and 1' },
      ]),
    );
  });

  it('wants subgraphs or a supergraph, and not both; no name twice', () => {
    expect(problems('mode: filter')).toEqual([{ path: 'subgraphs', message: 'name at least one subgraph, or give a supergraph file' }]);
    expect(problems('supergraph: s.graphql\nsubgraphs: [{ name: a, url: "http://h/graphql" }]')).toEqual([{ path: 'supergraph', message: 'give either subgraphs or a supergraph file, not both' }]);
    expect(problems('subgraphs: [{ name: a, url: "http://h/graphql" }, { name: a, url: "http://g/graphql" }]')).toEqual([{ path: 'subgraphs.1.name', message: '"a" is named twice' }]);
  });

  it('lets another process serve the identity subgraph only over a shared Neo4j database', () => {
    const text = 'identity: { url: "http://idgraph:4001/graphql" }\nsubgraphs: [{ name: a, url: "http://h/graphql" }]';
    expect(parseGatewayConfig(text, FILE, neo4j).identity).toEqual({ url: 'http://idgraph:4001/graphql' });
    expect(problems(text, kuzu)).toEqual([{ path: 'identity.url', message: expect.stringContaining('one process') }]);
  });

  it('names the file when it is not YAML or cannot be read', () => {
    expect(problems('subgraphs: [')).toEqual([{ path: FILE, message: expect.stringMatching(/^not valid YAML/) }]);
    expect(() => loadGatewayConfig(join(dir, 'missing.yaml'), kuzu)).toThrow(/^--config: cannot read .*missing\.yaml/);
    writeFileSync(join(dir, 'ok.yaml'), 'subgraphs: [{ name: a, url: "http://h/graphql" }]');
    expect(loadGatewayConfig(join(dir, 'ok.yaml'), kuzu).file).toBe(join(dir, 'ok.yaml'));
  });
});
