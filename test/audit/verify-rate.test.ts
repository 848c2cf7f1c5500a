/**
 * The verify rate (events per second) on a log of 20,000 events, printed for the closing note; no timing
 * assertion, since machines differ. The events are a real chain (auditEventOf) written straight into the
 * AuditEvent table in a few large UNWIND batches: 20,000 one-event commits through the store would
 * measure the writer, not the verifier.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_PAGE_SIZE, verifyAudit } from '../../src/audit/index.js';
import { GENESIS_HASH, auditEventOf, type AuditEvent } from '../../src/model/audit-chain.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { tempDir } from '../support/temp-store.js';
import { withRawKuzu, withStoreIn } from './support/audit-log.js';

const EVENTS = 20_000;
const INSERT_BATCH = 5_000;

let dir: string;

beforeAll(async () => {
  dir = tempDir('idgraph-audit-rate-');
  await (await openKuzuStore({ dir })).close();
  const chain: AuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= EVENTS; sequence += 1) {
    const event = auditEventOf(
      {
        actor: `owner:team-${sequence % 37}`,
        action: sequence % 5 === 0 ? 'revoke' : 'grant',
        targets: [`sa:svc-${sequence}`, `role:r-${sequence % 101}`],
        decision: sequence % 11 === 0 ? 'DENY' : 'ALLOW',
        policyIds: sequence % 11 === 0 ? ['ttl-limit'] : [],
        reason: `ticket OPS-${sequence}`,
        at: new Date(Date.UTC(2026, 0, 1) + sequence * 1000).toISOString(),
      },
      sequence,
      prevHash,
    );
    chain.push(event);
    prevHash = event.hash;
  }
  withRawKuzu(dir, (query) => {
    for (let start = 0; start < EVENTS; start += INSERT_BATCH) {
      const rows = chain.slice(start, start + INSERT_BATCH).map((e) => ({
        ...e,
        targets: JSON.stringify(e.targets),
        policyIds: JSON.stringify(e.policyIds),
      }));
      query(
        'UNWIND $rows AS r CREATE (:AuditEvent {sequence: r.sequence, at: r.at, actor: r.actor, action: r.action, targets: r.targets, decision: r.decision, policyIds: r.policyIds, reason: r.reason, prevHash: r.prevHash, hash: r.hash})',
        { rows },
      );
    }
  });
}, 120_000);

describe('verifyAudit rate', () => {
  it(`verifies ${EVENTS.toLocaleString('en-US')} events and prints events/second`, async () => {
    for (const batchSize of [1_000, DEFAULT_AUDIT_PAGE_SIZE, 20_000]) {
      const report = await withStoreIn(dir, (store) => verifyAudit(store, { batchSize }));
      expect(report).toMatchObject({ ok: true, events: EVENTS, head: { sequence: EVENTS } });
      console.log(
        `audit verify: ${report.events} events in ${report.elapsedMs.toFixed(0)} ms, ${report.eventsPerSecond.toLocaleString('en-US')} events/s (pages of ${batchSize})`,
      );
    }
  }, 120_000);
});
