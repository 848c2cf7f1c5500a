/**
 * The body of one write transaction (a managed transaction function, which the driver may run more than
 * once): lock the audit head, recognise an earlier attempt that committed, check that no node id changes
 * label, upsert, append the audit event. Every failure is thrown before commit, so nothing is written.
 */
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { GENESIS_HASH, auditEventOf } from '../../model/audit-chain.js';
import { IdGraphError, invariant } from '../../model/errors.js';
import type { NodeRecord } from '../../model/records.js';
import { NODE_LABELS, type NodeLabel } from '../../model/vocabulary.js';
import type { Commit, WriteBatch } from '../port.js';
import { neo4jStatement } from './neo4j-statements.js';
import { auditEventParam, readAuditEvent, rows, toNumber, type Row } from './neo4j-values.js';
import { MAX_ROWS_PER_STATEMENT, chunks, type WritePlan } from './neo4j-write-plan.js';
import { checkHeldLabels } from '../label-conflicts.js';

/** One `store.write` call: the same for every attempt the driver makes. */
export interface WriteWork {
  readonly batch: WriteBatch;
  readonly plan: WritePlan;
  /** Made once per call, before the first attempt; stored on the audit event as `writeId`. */
  readonly writeId: string;
}

/**
 * Runs one attempt of `work` in `tx`. A retry (`retry` true) first looks for the event of an attempt
 * that committed although the driver saw it fail (the acknowledgement was lost), and returns that
 * commit instead of writing the batch a second time. The first attempt skips the look-up: its writeId
 * is new, so it cannot find anything.
 */
export async function writeAttempt(tx: ManagedTransaction, work: WriteWork, retry: boolean): Promise<Commit> {
  // The head lock comes first: it orders this write after every other writer's commit, and a committed
  // earlier attempt released it only once its event was visible.
  const [head] = await rows(tx, neo4jStatement('lock_audit_head'), { genesis: GENESIS_HASH });
  invariant(head !== undefined, 'lock_audit_head returns the head');
  if (retry) {
    const [earlier] = await rows(tx, neo4jStatement('find_audit_by_write_id'), { writeId: work.writeId });
    if (earlier !== undefined) {
      const event = readAuditEvent(earlier['event'] as Row);
      return { sequence: event.sequence, event };
    }
  }
  await checkStoreLabels(tx, work.batch.nodes);
  const sequence = toNumber(head['sequence'], 'AuditHead.sequence') + 1;
  const seq = neo4j.int(sequence);
  for (const { label, rows: chunk } of work.plan.nodes) {
    await tx.run(neo4jStatement('upsert_nodes', { label }), { rows: chunk, seq });
  }
  for (const { rows: chunk, ...triple } of work.plan.edges) {
    const written = await rows(tx, neo4jStatement('upsert_edges', triple), { rows: chunk, seq });
    const matched = new Set(written.map((row) => toNumber(row['i'], 'upsert_edges row')));
    const missing = chunk.filter((row) => !matched.has(row.i));
    if (missing.length > 0) {
      const shown = missing.slice(0, 3).map((row) => `${triple.type} ${row.from} -> ${row.to}`).join(', ');
      throw new IdGraphError(
        'CONFLICT',
        `${missing.length} edge(s) name an endpoint that is not in the store: ${shown}${missing.length > 3 ? ', …' : ''}; nothing was written`,
      );
    }
  }
  const prevHash = typeof head['hash'] === 'string' ? head['hash'] : GENESIS_HASH;
  // The hash covers the event's content only; writeId is bookkeeping beside it, outside the chain.
  const event = auditEventOf(work.batch.audit, sequence, prevHash);
  await tx.run(neo4jStatement('append_audit'), { event: { ...auditEventParam(event), writeId: work.writeId } });
  return { sequence, event };
}

/**
 * Refuses a batch that writes an id the store holds under another label: labels are separate id spaces
 * to Neo4j (one uniqueness constraint each), so only this check keeps an id to one label. It runs after
 * the head lock, so no concurrent writer can add the id between the check and the commit.
 */
async function checkStoreLabels(tx: ManagedTransaction, nodes: readonly NodeRecord[]): Promise<void> {
  if (nodes.length === 0) return;
  const wanted = new Map(nodes.map((node) => [node.id, node.label]));
  // One look-up per label table, for the ids the batch gives another label, pipelined.
  const lookups = NODE_LABELS.flatMap((label) => {
    const ids = [...wanted].filter(([, other]) => other !== label).map(([id]) => id);
    return chunks(ids, MAX_ROWS_PER_STATEMENT).map(async (chunk) => ({
      label,
      found: await rows(tx, neo4jStatement('get_nodes', { label }), { ids: chunk }),
    }));
  });
  const held = new Map<string, NodeLabel>();
  for (const { label, found } of await Promise.all(lookups)) {
    for (const row of found) held.set(String(row['id']), label);
  }
  checkHeldLabels(nodes, held);
}

