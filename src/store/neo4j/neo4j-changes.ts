/**
 * `changesSince` on Neo4j: a change set that is a consistent cut, although Neo4j reads are only read
 * committed (each statement, even each row, may see commits that landed after the transaction began).
 *
 * Two things make the cut. (1) Every row read is bounded by the last sequence read first: commits at or
 * below it had committed before any row was read, so all their rows are visible, and rows of later
 * commits (which a read-committed statement may already see, e.g. an edge whose new endpoint an earlier
 * statement missed) are left out with `_seq <= $last`. (2) A row is stored only as last written, so
 * a row written in range and overwritten by a later commit while we read drops out of the range, and an
 * edge of the range could then arrive without its new endpoint. The last sequence is read again at the
 * end: if it moved, some commit landed while we read, and the cut is read again up to the new last.
 * Under a burst of writes that outlasts every attempt, the last attempt is returned as it is: it holds
 * nothing of a later commit, but may lack a row that such a commit overwrote (so an edge may miss its
 * new endpoint); the next poll brings that row. With three reads, that takes a commit landing during
 * each of three reads in a row, every time overwriting a row of the range.
 */
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { NODE_LABELS } from '../../model/vocabulary.js';
import type { ChangeSet } from '../port.js';
import { EDGE_TRIPLES, neo4jStatement } from './neo4j-statements.js';
import { readAuditEvent, rows, toEdge, toNode, type Row } from './neo4j-values.js';

/** Reads of the whole cut before giving up on a quiet moment; each costs one round of pipelined reads. */
export const MAX_CHANGE_READS = 3;

/**
 * What commits after `since` wrote, as of the last sequence, read in `tx` (a read transaction). For a
 * `since` at or beyond the last sequence: no rows, and the last sequence (as the Kuzu store answers).
 */
export async function readChanges(tx: ManagedTransaction, since: number): Promise<ChangeSet> {
  let last = await lastSequenceIn(tx);
  for (let attempt = 1; ; attempt++) {
    if (last <= since) return { sequence: last, nodes: [], edges: [], events: [] };
    const changes = await readRange(tx, since, last);
    const now = await lastSequenceIn(tx);
    if (now === last || attempt >= MAX_CHANGE_READS) return changes;
    last = now;
  }
}

/** The rows last written by commits in (`since`, `last`], and those commits' events. */
async function readRange(tx: ManagedTransaction, since: number, last: number): Promise<ChangeSet> {
  const bounds = { after: neo4j.int(since), last: neo4j.int(last) };
  const [perLabel, perTriple, events] = await Promise.all([
    Promise.all(NODE_LABELS.map((label) => rows(tx, neo4jStatement('nodes_since', { label }), bounds))),
    Promise.all(EDGE_TRIPLES.map((triple) => rows(tx, neo4jStatement('edges_since', triple), bounds))),
    // Sequences are dense, so the first last - since events after `since` are exactly those up to
    // `last`; the filter keeps that true of a log with a gap too.
    rows(tx, neo4jStatement('audit_events'), { after: bounds.after, limit: neo4j.int(last - since) }),
  ]);
  return {
    sequence: last,
    nodes: perLabel.flatMap((records, i) => records.map((row) => toNode(NODE_LABELS[i]!, row))),
    edges: perTriple.flatMap((records, i) => records.map((row) => toEdge(EDGE_TRIPLES[i]!, row))),
    events: events.map((row) => readAuditEvent(row['event'] as Row)).filter((event) => event.sequence <= last),
  };
}

/** The last committed audit sequence visible to `tx`; 0 when there is none. */
export async function lastSequenceIn(tx: ManagedTransaction): Promise<number> {
  const [row] = await rows(tx, neo4jStatement('last_audit'), {});
  return row === undefined ? 0 : readAuditEvent(row['event'] as Row).sequence;
}
