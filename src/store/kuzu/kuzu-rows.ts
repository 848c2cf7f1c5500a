/**
 * Records to and from Kuzu rows. Props, targets and policy ids are stored as JSON text, so what was
 * written comes back exactly (nested values, key order), whatever properties a label grows.
 */
import type { AuditEvent } from '../../model/audit-chain.js';
import { invariant } from '../../model/errors.js';
import type { Props } from '../../model/properties.js';
import type { EdgeRecord, NodeRecord } from '../../model/records.js';
import { isEdgeType, isNodeLabel, type NodeLabel } from '../../model/vocabulary.js';
import type { Params, Row } from './kuzu-session.js';

/** A row of get_nodes, scan_nodes or nodes_since (`id`, `props`) as a node of `label`. */
export function nodeFromRow(label: NodeLabel, row: Row): NodeRecord {
  return { label, id: text(row, 'id'), props: parseProps(row['props']) };
}

/** A row of get_edges, scan_edges or edges_since as an edge; `type` defaults to the one asked for. */
export function edgeFromRow(row: Row, type?: string): EdgeRecord {
  const edgeType = type ?? row['type'];
  const fromLabel = row['fromLabel'];
  const toLabel = row['toLabel'];
  invariant(isEdgeType(edgeType), `unknown edge type ${JSON.stringify(edgeType)} in the store`);
  invariant(isNodeLabel(fromLabel) && isNodeLabel(toLabel), `unknown endpoint labels ${String(fromLabel)}, ${String(toLabel)}`);
  return {
    type: edgeType,
    from: text(row, 'from'),
    to: text(row, 'to'),
    fromLabel,
    toLabel,
    key: text(row, 'key'),
    props: parseProps(row['props']),
  };
}

/** A row of audit_events or last_audit as an event. */
export function auditFromRow(row: Row): AuditEvent {
  return {
    sequence: Number(row['sequence']),
    at: text(row, 'at'),
    actor: text(row, 'actor'),
    action: text(row, 'action'),
    targets: parseList(row['targets']),
    decision: text(row, 'decision'),
    policyIds: parseList(row['policyIds']),
    reason: text(row, 'reason'),
    requestId: text(row, 'requestId'),
    prevHash: text(row, 'prevHash'),
    hash: text(row, 'hash'),
  };
}

/** The parameters of append_audit for an event. */
export function auditParams(event: AuditEvent): Params {
  return {
    ...event,
    targets: JSON.stringify(event.targets),
    policyIds: JSON.stringify(event.policyIds),
  };
}

/** Props as stored: JSON text of the record's props as given. */
export function propsText(props: Props): string {
  return JSON.stringify(props);
}

function parseProps(value: unknown): Props {
  // Every write sets props; null would only come from a row written outside this adapter.
  if (value === null || value === undefined) return {};
  return JSON.parse(String(value)) as Props;
}

function parseList(value: unknown): string[] {
  return value === null || value === undefined ? [] : (JSON.parse(String(value)) as string[]);
}

function text(row: Row, column: string): string {
  const value = row[column];
  return value === null || value === undefined ? '' : String(value);
}
