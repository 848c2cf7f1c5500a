/**
 * The store conformance suite (DESIGN.md, Ports and adapters): what every `GraphStore` adapter does,
 * checked through the port alone. Each backend runs it with one line:
 *
 *   describeStoreConformance('kuzu', () => openKuzuStore({ dir: tempDir() }))
 *
 * Props here are what every backend stores: strings (unicode, ISO times), numbers, booleans and lists
 * of strings, compared as values (key order is the Kuzu suite's business; Neo4j has none). The specs of
 * writes that must fail whole are in write-integrity-conformance.ts, the fixtures in
 * conformance-fixtures.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, firstBrokenLink } from '../../src/model/audit-chain.js';
import type { Props } from '../../src/model/properties.js';
import { EDGE_ENDPOINTS, EDGE_TYPES, NODE_LABELS } from '../../src/model/vocabulary.js';
import type { AuditInput, GraphStore } from '../../src/store/port.js';
import {
  admins,
  batch,
  byId,
  ci,
  collect,
  deployer,
  edge,
  expectTimeWithin,
  group,
  identity,
  key,
  node,
  payments,
  range,
  refunds,
  sortEdges,
  sre,
} from './conformance-fixtures.js';
import { describeWriteIntegrity } from './write-integrity-conformance.js';
import { describeBulkWrite } from './bulk-write-conformance.js';

export interface ConformanceOptions {
  /** Closes `store` and opens the same data again, for the reopen spec; skipped when absent. */
  readonly reopen?: (store: GraphStore) => Promise<GraphStore>;
}

/**
 * Declares the suite. `open` must return a fresh, EMPTY store each time; the suite closes it.
 * @example describeStoreConformance('kuzu', () => openKuzuStore({ dir: tempDir() }))
 */
export function describeStoreConformance(name: string, open: () => Promise<GraphStore>, options: ConformanceOptions = {}): void {
  describe(`GraphStore conformance: ${name}`, () => {
    let store: GraphStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('an empty store', () => {
      it('has sequence 0, no nodes, no edges and no audit events', async () => {
        expect(await store.lastSequence()).toBe(0);
        expect(await collect(store.scanNodes())).toEqual([]);
        expect(await collect(store.scanEdges())).toEqual([]);
        expect(await store.auditEvents(0, 10)).toEqual([]);
        expect(await store.changesSince(0)).toEqual({ sequence: 0, nodes: [], edges: [], events: [] });
      });

      it('answers getNodes and getEdges with one undefined per id or key, and [] for none', async () => {
        expect(await store.getNodes(['sa:nope', 'grp:nope'])).toEqual([undefined, undefined]);
        expect(await store.getEdges([key('MEMBER_OF', 'sa:nope', 'grp:nope')])).toEqual([undefined]);
        expect(await store.getNodes([])).toEqual([]);
        expect(await store.getEdges([])).toEqual([]);
      });
    });

    describe('write', () => {
      it('numbers commits 1, 2, … and returns each with its audit event', async () => {
        const first = await store.write(batch([ci, sre], [edge('MEMBER_OF', ci, sre)], { actor: 'alice', action: 'import' }));
        const second = await store.write(batch([admins], [edge('MEMBER_OF', sre, admins)]));
        expect([first.sequence, second.sequence]).toEqual([1, 2]);
        expect(first.event).toMatchObject({ sequence: 1, actor: 'alice', action: 'import', prevHash: GENESIS_HASH });
        expect(second.event).toMatchObject({ sequence: 2, prevHash: first.event.hash });
        expect(await store.lastSequence()).toBe(2);
        expect(await store.auditEvents(0, 10)).toEqual([first.event, second.event]);
      });

      it('chains the audit events by hash from the genesis hash', async () => {
        for (const action of ['import', 'grant', 'revoke']) await store.write(batch([ci], [], { action }));
        const events = await store.auditEvents(0, 10);
        expect(events.map((event) => event.sequence)).toEqual([1, 2, 3]);
        expect(firstBrokenLink(events)).toBeUndefined();
        expect(firstBrokenLink(events.map((event, i) => (i === 1 ? { ...event, actor: 'mallory' } : event)))).toBe(2);
      });

      it('records the audit fields as given, and the defaults when absent', async () => {
        const before = Date.now();
        const plain = await store.write(batch([ci], [], { actor: 'bob', action: 'import' }));
        const after = Date.now();
        expect(plain.event).toMatchObject({ actor: 'bob', action: 'import', targets: [], decision: 'NONE', policyIds: [], reason: '', requestId: '' });
        expectTimeWithin(plain.event.at, before, after);
        const full: AuditInput = {
          actor: 'carol',
          action: 'grant',
          targets: ['sa:ci', 'grp:sre'],
          decision: 'ALLOW',
          policyIds: ['local-grants', 'no-admin'],
          reason: 'on-call rotation ✓',
          requestId: 'req-42',
          at: '2026-01-05T10:00:00.000Z',
        };
        const given = await store.write(batch([ci], [], full));
        expect(given.event).toMatchObject({ ...full, sequence: 2, prevHash: plain.event.hash });
        expect(await store.auditEvents(1, 1)).toEqual([given.event]);
        // The chain covers the request id too: changing it breaks the link.
        expect(firstBrokenLink([plain.event, { ...given.event, requestId: 'req-43' }])).toBe(2);
      });

      it('commits a batch with nothing in it but its audit event', async () => {
        const commit = await store.write(batch([], []));
        expect(commit.sequence).toBe(1);
        expect(await store.auditEvents(0, 10)).toEqual([commit.event]);
      });

      it('lets an edge join nodes written by an earlier commit', async () => {
        await store.write(batch([ci, sre]));
        await store.write(batch([], [edge('MEMBER_OF', ci, sre)]));
        expect(await store.getEdges([key('MEMBER_OF', ci.id, sre.id)])).toEqual([edge('MEMBER_OF', ci, sre)]);
      });
    });

    describeWriteIntegrity(() => store);
    describeBulkWrite(() => store);

    describe('getNodes', () => {
      it('returns one entry per id, in the order asked, undefined where absent, across labels', async () => {
        await store.write(batch([ci, sre, payments, refunds]));
        const ids = [refunds.id, 'sa:nope', ci.id, sre.id, ci.id, payments.id];
        expect(await store.getNodes(ids)).toEqual([refunds, undefined, ci, sre, ci, payments]);
      });

      it('takes label hints as hints: a right one finds the node, a wrong or missing one still does', async () => {
        await store.write(batch([ci, sre, payments]));
        const ids = [ci.id, sre.id, payments.id, 'sa:nope'];
        expect(await store.getNodes(ids, ['Identity', 'Service', undefined, 'Identity'])).toEqual([ci, sre, payments, undefined]);
      });
    });

    describe('upsert', () => {
      it('replaces a node’s props whole: a prop left out disappears', async () => {
        await store.write(batch([identity('sa:ci', { environment: 'prod', status: 'ACTIVE' })]));
        await store.write(batch([identity('sa:ci', { status: 'DISABLED' })]));
        const [node] = await store.getNodes(['sa:ci']);
        expect(node?.props).toEqual({ name: 'sa:ci', kind: 'SERVICE_ACCOUNT', status: 'DISABLED' });
        expect(await collect(store.scanNodes())).toHaveLength(1);
      });

      it('replaces an edge’s props whole', async () => {
        await store.write(batch([ci, sre], [edge('MEMBER_OF', ci, sre, { origin: 'LOCAL', status: 'ACTIVE', justification: 'x' })]));
        await store.write(batch([], [edge('MEMBER_OF', ci, sre, { status: 'REVOKED' })]));
        expect(await store.getEdges([key('MEMBER_OF', ci.id, sre.id)])).toEqual([edge('MEMBER_OF', ci, sre, { status: 'REVOKED' })]);
        expect((await collect(store.scanEdges())).flat()).toHaveLength(1);
      });
    });

    describe('edge identity', () => {
      it('is type, from, to and key: parallel edges with different props.id are two edges', async () => {
        const first = edge('MEMBER_OF', ci, sre, { id: 'grant-1', origin: 'CENTRAL' });
        const second = edge('MEMBER_OF', ci, sre, { id: 'grant-2', origin: 'LOCAL', domain: 'svc:payments' });
        const plain = edge('MEMBER_OF', ci, sre);
        await store.write(batch([ci, sre], [first, second, plain]));
        expect(sortEdges((await collect(store.scanEdges())).flat())).toEqual(sortEdges([first, second, plain]));
        const updated = edge('MEMBER_OF', ci, sre, { id: 'grant-2', origin: 'LOCAL', status: 'REVOKED' });
        await store.write(batch([], [updated]));
        expect(sortEdges((await collect(store.scanEdges())).flat())).toEqual(sortEdges([first, updated, plain]));
      });

      it('getEdges returns one entry per key, in order, with endpoint labels; undefined where absent', async () => {
        const member = edge('MEMBER_OF', ci, sre, { id: 'grant-1' });
        const nested = edge('MEMBER_OF', sre, admins);
        const role = edge('HAS_ROLE', sre, deployer);
        await store.write(batch([ci, sre, admins, deployer], [member, nested, role]));
        const keys = [
          key('HAS_ROLE', sre.id, deployer.id),
          key('MEMBER_OF', ci.id, sre.id, 'grant-1'),
          key('MEMBER_OF', ci.id, sre.id),
          key('MEMBER_OF', admins.id, sre.id),
          key('HAS_ROLE', ci.id, sre.id),
          key('MEMBER_OF', sre.id, admins.id),
          key('MEMBER_OF', ci.id, sre.id, 'grant-1'),
        ];
        expect(await store.getEdges(keys)).toEqual([role, member, undefined, undefined, undefined, nested, member]);
      });

      it('accepts every label pair that EDGE_ENDPOINTS allows, and reads each back', async () => {
        const nodes = NODE_LABELS.map((label) => node(label, `${label.toLowerCase()}:one`));
        const byLabel = new Map(nodes.map((n) => [n.label, n]));
        const edges = EDGE_TYPES.flatMap((type) =>
          EDGE_ENDPOINTS[type].from.flatMap((from) => EDGE_ENDPOINTS[type].to.map((to) => edge(type, byLabel.get(from)!, byLabel.get(to)!))),
        );
        await store.write(batch(nodes, edges));
        expect(await store.getEdges(edges)).toEqual(edges);
        expect(sortEdges((await collect(store.scanEdges())).flat())).toEqual(sortEdges(edges));
      });
    });

    describe('changesSince', () => {
      it('returns exactly the nodes, edges and events of later commits, as they are now', async () => {
        const first = await store.write(batch([ci, sre, admins], [edge('MEMBER_OF', ci, sre), edge('MEMBER_OF', sre, admins)]));
        const renamed = group('grp:sre', { description: 'site reliability' });
        const second = await store.write(batch([renamed, deployer], [edge('HAS_ROLE', renamed, deployer)]));
        const revoked = edge('MEMBER_OF', ci, renamed, { status: 'REVOKED' });
        const third = await store.write(batch([], [revoked]));
        const changes = await store.changesSince(first.sequence);
        expect(changes.sequence).toBe(3);
        expect([...changes.nodes].sort(byId)).toEqual([renamed, deployer]);
        expect(sortEdges(changes.edges)).toEqual(sortEdges([edge('HAS_ROLE', renamed, deployer), revoked]));
        expect(changes.events).toEqual([second.event, third.event]);
        const all = await store.changesSince(0);
        expect(all.nodes).toHaveLength(4);
        expect(all.edges).toHaveLength(3);
        expect(all.events).toEqual([first.event, second.event, third.event]);
      });

      it('is empty at the last sequence, and reports that sequence', async () => {
        await store.write(batch([ci]));
        expect(await store.changesSince(1)).toEqual({ sequence: 1, nodes: [], edges: [], events: [] });
      });

      it('is empty beyond the last sequence, and reports the last sequence', async () => {
        await store.write(batch([ci]));
        expect(await store.changesSince(5)).toEqual({ sequence: 1, nodes: [], edges: [], events: [] });
      });
    });

    describe('scans', () => {
      it('yield batches of at most batchSize that together hold every node and edge once', async () => {
        const members = range(23).map((i) => identity(`sa:m-${String(i).padStart(2, '0')}`));
        const groups = range(4).map((i) => group(`grp:g-${i}`));
        const edges = members.map((member, i) => edge('MEMBER_OF', member, groups[i % groups.length]!));
        await store.write(batch([...members, ...groups], edges));
        const nodeBatches = await collect(store.scanNodes(5));
        const edgeBatches = await collect(store.scanEdges(4));
        for (const [batches, size] of [[nodeBatches, 5], [edgeBatches, 4]] as const) {
          expect(batches.length).toBeGreaterThan(1);
          expect(batches.filter((part) => part.length < 1 || part.length > size)).toEqual([]);
        }
        expect(nodeBatches.flat().sort(byId)).toEqual([...groups, ...members].sort(byId));
        expect(sortEdges(edgeBatches.flat())).toEqual(sortEdges(edges));
      });

      it('hold every node of a batch larger than one statement', async () => {
        const members = range(4500).map((i) => identity(`sa:bulk-${i}`));
        await store.write(batch([sre, ...members], members.map((member) => edge('MEMBER_OF', member, sre))));
        expect((await collect(store.scanNodes())).flat()).toHaveLength(4501);
        expect((await collect(store.scanEdges(1000))).flat()).toHaveLength(4500);
      });
    });

    describe('auditEvents', () => {
      it('pages by sequence: after a number, ascending, at most limit', async () => {
        for (const action of ['a1', 'a2', 'a3', 'a4', 'a5']) await store.write(batch([], [], { action }));
        const page = async (after: number, limit: number) => (await store.auditEvents(after, limit)).map((event) => event.action);
        expect(await page(0, 2)).toEqual(['a1', 'a2']);
        expect(await page(2, 2)).toEqual(['a3', 'a4']);
        expect(await page(4, 2)).toEqual(['a5']);
        expect(await page(5, 2)).toEqual([]);
        expect(await page(1, 100)).toEqual(['a2', 'a3', 'a4', 'a5']);
      });
    });

    describe('values', () => {
      it('stores the label Group (a reserved word in some dialects) for nodes and edges', async () => {
        await store.write(batch([ci, sre, admins], [edge('MEMBER_OF', ci, sre), edge('MEMBER_OF', sre, admins)]));
        expect(await store.getNodes([sre.id, admins.id])).toEqual([sre, admins]);
        const [nested] = await store.getEdges([key('MEMBER_OF', sre.id, admins.id)]);
        expect(nested).toMatchObject({ fromLabel: 'Group', toLabel: 'Group' });
      });

      it('round-trips unicode, ISO times, numbers, booleans and lists exactly', async () => {
        const props: Props = {
          name: 'Zoë’s 部署 bot 🤖',
          description: 'quotes " and \\ backslash, a newline\nand a tab\t',
          createdAt: '2026-01-05T10:00:00.123+02:00',
          lastSeenAt: '2026-11-23T00:00:00Z',
          score: 0.25,
          count: 42,
          enabled: false,
          tags: ['prod', 'édition', ''],
        };
        const bot = identity('sa:zoë-🤖', props);
        const grant = edge('CAN_ASSUME', bot, ci, { id: 'ключ', grantedAt: '2026-01-05T10:00:00Z', justification: '✓ approved' });
        await store.write(batch([bot, ci], [grant]));
        expect(await store.getNodes([bot.id])).toEqual([bot]);
        expect(await store.getEdges([grant])).toEqual([grant]);
        expect((await collect(store.scanNodes())).flat().find((n) => n.id === bot.id)).toEqual(bot);
        expect((await store.changesSince(0)).edges).toEqual([grant]);
      });
    });

    it.skipIf(options.reopen === undefined)('keeps the data when reopened, and the audit chain continues', async () => {
      const first = await store.write(batch([ci, sre], [edge('MEMBER_OF', ci, sre)]));
      store = await options.reopen!(store);
      expect(await store.lastSequence()).toBe(1);
      expect(await store.getNodes([ci.id, sre.id])).toEqual([ci, sre]);
      expect(await store.getEdges([key('MEMBER_OF', ci.id, sre.id)])).toEqual([edge('MEMBER_OF', ci, sre)]);
      const second = await store.write(batch([admins]));
      expect(second).toMatchObject({ sequence: 2, event: { prevHash: first.event.hash } });
      expect(firstBrokenLink(await store.auditEvents(0, 10))).toBeUndefined();
    });
  });
}
