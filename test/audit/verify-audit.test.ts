import { beforeAll, describe, expect, it } from 'vitest';
import { auditHead, verifyAudit, type AuditHead, type VerifyReport } from '../../src/audit/index.js';
import { GENESIS_HASH, auditHash, type AuditEvent } from '../../src/model/audit-chain.js';
import { IdGraphError } from '../../src/model/errors.js';
import { tempStore } from '../support/temp-store.js';
import {
  auditLogTemplate,
  copyStore,
  flipOneChar,
  overwriteRow,
  storedRow,
  tamper,
  withRawKuzu,
  withStoreIn,
} from './support/audit-log.js';

let template: { dir: string; events: AuditEvent[] };
let head: AuditHead;

beforeAll(async () => {
  template = await auditLogTemplate(50);
  head = await withStoreIn(template.dir, (store) => auditHead(store));
});

/** Copies the template, lets `change` tamper with the copy, then verifies it through a reopened store. */
async function verifyAfter(change: (dir: string) => void, options: { head?: AuditHead; batchSize?: number } = {}): Promise<VerifyReport> {
  const dir = copyStore(template.dir);
  change(dir);
  return withStoreIn(dir, (store) => verifyAudit(store, options));
}

describe('verifyAudit', () => {
  it('passes an intact log, counts every event and reports its head and rate', async () => {
    const report = await withStoreIn(template.dir, (store) => verifyAudit(store));
    expect(report).toMatchObject({ ok: true, events: 50, head: { sequence: 50, hash: template.events[49]!.hash } });
    expect(report.firstBad).toBeUndefined();
    expect(report.eventsPerSecond).toBeGreaterThan(0);
    expect(head).toEqual({ sequence: 50, hash: template.events[49]!.hash });
  });

  it('gives the same answer whatever the page size, pages splitting the log anywhere', async () => {
    for (const batchSize of [1, 7, 49, 50, 51]) {
      const report = await withStoreIn(template.dir, (store) => verifyAudit(store, { batchSize, head }));
      expect({ batchSize, ok: report.ok, events: report.events }).toEqual({ batchSize, ok: true, events: 50 });
    }
  });

  it('passes an empty log, whose head is the genesis hash', async () => {
    const store = await tempStore();
    expect(await verifyAudit(store)).toMatchObject({ ok: true, events: 0, head: { sequence: 0, hash: GENESIS_HASH } });
    expect(await auditHead(store)).toEqual({ sequence: 0, hash: GENESIS_HASH });
    expect(await verifyAudit(store, { head: { sequence: 0, hash: GENESIS_HASH } })).toMatchObject({ ok: true });
  });

  it('fails at the event whose actor had one character flipped: hash mismatch, the content was edited', async () => {
    const report = await verifyAfter((dir) => {
      withRawKuzu(dir, (query) => {
        const actor = String(storedRow(query, 17)['actor']);
        query('MATCH (e:AuditEvent) WHERE e.sequence = 17 SET e.actor = $actor', { actor: flipOneChar(actor) });
      });
    });
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ sequence: 17, reason: 'hash-mismatch' });
    expect(report.firstBad?.detail).toMatch(/^its content gives hash [0-9a-f]{12}…, not the stored [0-9a-f]{12}…: the event was edited$/);
    expect(report.events).toBe(50);
  });

  it('fails at the event whose reason had one character flipped, at the first, middle or last event', async () => {
    for (const sequence of [2, 26, 50]) {
      const report = await verifyAfter((dir) => {
        withRawKuzu(dir, (query) => {
          const reason = String(storedRow(query, sequence)['reason']);
          query('MATCH (e:AuditEvent) WHERE e.sequence = $sequence SET e.reason = $reason', { sequence, reason: flipOneChar(reason, 0) });
        });
      });
      expect(report.firstBad).toMatchObject({ sequence, reason: 'hash-mismatch' });
    }
  });

  it('fails at a deleted event: a sequence gap', async () => {
    const report = await verifyAfter((dir) => void tamper(dir, 'MATCH (e:AuditEvent) WHERE e.sequence = 23 DELETE e'));
    expect(report.firstBad).toEqual({
      sequence: 23,
      reason: 'sequence-gap',
      detail: 'sequence 23 is missing (deleted); the next stored event is 24',
    });
    expect(report.events).toBe(49);
  });

  it('fails at the first deleted event of a run, naming the whole run', async () => {
    const report = await verifyAfter((dir) => void tamper(dir, 'MATCH (e:AuditEvent) WHERE e.sequence >= 1 AND e.sequence <= 3 DELETE e'));
    expect(report.firstBad).toMatchObject({ sequence: 1, reason: 'sequence-gap', detail: 'sequences 1–3 are missing (deleted); the next stored event is 4' });
  });

  it('fails at the first of two swapped events: out of order', async () => {
    const report = await verifyAfter((dir) => swap(dir, 30, 31));
    expect(report.firstBad).toEqual({
      sequence: 30,
      reason: 'out-of-order',
      detail: 'sequence 30 holds an event that belongs after sequence 31 (its prevHash is the hash stored there): events were reordered',
    });
  });

  it('fails at the first of two events swapped far apart, and names where it belongs', async () => {
    const report = await verifyAfter((dir) => swap(dir, 5, 40));
    expect(report.firstBad).toMatchObject({ sequence: 5, reason: 'out-of-order' });
    expect(report.firstBad?.detail).toContain('belongs after sequence 39');
  });

  it('passes a log whose tail was cut off, without a head; fails with the head anchored before', async () => {
    const cut = (dir: string) => void tamper(dir, 'MATCH (e:AuditEvent) WHERE e.sequence > 47 DELETE e');
    const without = await verifyAfter(cut);
    expect(without).toMatchObject({ ok: true, events: 47, head: { sequence: 47 } });
    const anchored = await verifyAfter(cut, { head });
    expect(anchored.ok).toBe(false);
    expect(anchored.firstBad).toEqual({
      sequence: 48,
      reason: 'truncated',
      detail: 'the log ends at sequence 47 but the anchored head is 50: 3 event(s) cut off the tail',
    });
  });

  it('fails a log rewritten with a recomputed chain (it verifies on its own) against the anchored head', async () => {
    const rewrite = (dir: string) =>
      withRawKuzu(dir, (query) => {
        let prevHash = String(storedRow(query, 29)['hash']);
        for (let sequence = 30; sequence <= 50; sequence += 1) {
          const row = storedRow(query, sequence);
          const forged = { ...eventOf(sequence, row), reason: sequence === 30 ? 'nothing to see' : String(row['reason']), prevHash };
          const hash = auditHash(forged);
          overwriteRow(query, sequence, { ...row, reason: forged.reason, prevHash, hash });
          prevHash = hash;
        }
      });
    expect(await verifyAfter(rewrite)).toMatchObject({ ok: true, events: 50 });
    const anchored = await verifyAfter(rewrite, { head });
    expect(anchored.firstBad).toMatchObject({ sequence: 50, reason: 'head-mismatch' });
    expect(anchored.firstBad?.detail).toMatch(/^the anchored head 50 has hash [0-9a-f]{12}… but the log holds [0-9a-f]{12}… there: the log was rewritten$/);
  });

  it('accepts a head from before later writes: the log may grow past it', async () => {
    const earlier = { sequence: 20, hash: template.events[19]!.hash };
    expect(await withStoreIn(template.dir, (store) => verifyAudit(store, { head: earlier }))).toMatchObject({ ok: true, events: 50 });
  });

  it('refuses a malformed head or page size before reading anything', async () => {
    const reads: number[] = [];
    const store = { auditEvents: async (after: number) => (reads.push(after), []) };
    const bad = [
      { head: { sequence: -1, hash: GENESIS_HASH }, message: 'head: sequence must be a whole number ≥ 0, got -1' },
      { head: { sequence: 3, hash: 'abc' }, message: 'head: hash must be 64 lowercase hex digits, got "abc"' },
      { head: { sequence: 0, hash: 'a'.repeat(64) }, message: `head: the head at sequence 0 is the genesis hash (64 zeros), got "${'a'.repeat(64)}"` },
      { batchSize: 0, message: 'batchSize must be a whole number from 1 to 100000, got 0' },
    ];
    for (const { message, ...options } of bad) {
      const error = await verifyAudit(store, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdGraphError);
      expect({ code: (error as IdGraphError).code, message: (error as Error).message }).toEqual({ code: 'BAD_USER_INPUT', message });
    }
    expect(reads).toEqual([]);
  });

  it('reads the log in pages of batchSize, each after the last sequence of the one before', async () => {
    const calls: [number, number][] = [];
    await withStoreIn(template.dir, (store) =>
      verifyAudit({ auditEvents: (after, limit) => (calls.push([after, limit]), store.auditEvents(after, limit)) }, { batchSize: 20 }),
    );
    expect(calls).toEqual([[0, 20], [20, 20], [40, 20]]);
  });
});

/** Swaps every stored column but the sequence between two events: their places in the log trade. */
function swap(dir: string, a: number, b: number): void {
  withRawKuzu(dir, (query) => {
    const rowA = storedRow(query, a);
    const rowB = storedRow(query, b);
    overwriteRow(query, a, rowB);
    overwriteRow(query, b, rowA);
  });
}

function eventOf(sequence: number, row: Record<string, unknown>): AuditEvent {
  return {
    sequence,
    at: String(row['at']),
    actor: String(row['actor']),
    action: String(row['action']),
    targets: JSON.parse(String(row['targets'])) as string[],
    decision: String(row['decision']),
    policyIds: JSON.parse(String(row['policyIds'])) as string[],
    reason: String(row['reason']),
    requestId: String(row['requestId'] ?? ''),
    prevHash: String(row['prevHash']),
    hash: String(row['hash']),
  };
}
