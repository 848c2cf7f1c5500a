/**
 * Audit logs for the audit tests: built through the real store, then tampered with for real, by opening
 * the Kuzu database directly (the store closed first) and changing the AuditEvent table with Cypher.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, Database, type KuzuValue } from 'kuzu';
import type { AuditEvent } from '../../../src/model/audit-chain.js';
import { DATABASE_FILE, MAX_DATABASE_BYTES } from '../../../src/store/kuzu/open-kuzu-session.js';
import { openKuzuStore } from '../../../src/store/kuzu/kuzu-store.js';
import type { GraphStore } from '../../../src/store/port.js';
import { tempDir } from '../../support/temp-store.js';

const ACTORS = ['central:alice', 'owner:payments', 'owner:search', 'cli', 'vendor-sync'];
const ACTIONS = ['import', 'grant', 'revokeCredential', 'issueCredential', 'retireIdentity', 'requestAccess'];
const DECISIONS = ['ALLOW', 'DENY', 'PENDING', 'NONE'];

/**
 * Writes `count` commits, each one audit event, through `store.write`: small batches of a node or two,
 * with actors, actions, decisions and reasons that vary, and times one minute apart.
 */
export async function writeAuditLog(store: GraphStore, count = 50): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let i = 1; i <= count; i += 1) {
    const id = `sa:svc-${i}`;
    const nodes = Array.from({ length: 1 + (i % 2) }, (_, k) => ({
      label: 'Identity' as const,
      id: `${id}-${k}`,
      props: { name: `${id}-${k}`, kind: 'SERVICE_ACCOUNT', status: 'ACTIVE' },
    }));
    const commit = await store.write({
      nodes,
      edges: [],
      audit: {
        actor: ACTORS[i % ACTORS.length]!,
        action: ACTIONS[i % ACTIONS.length]!,
        targets: nodes.map((node) => node.id),
        decision: DECISIONS[i % DECISIONS.length]!,
        policyIds: i % 3 === 0 ? ['local-own-service', `ttl-limit-${i % 4}`] : [],
        reason: i % 2 === 0 ? `ticket SEC-${1000 + i}: rotate after review` : '',
        at: new Date(Date.UTC(2026, 10, 1, 9, i)).toISOString(),
      },
    });
    events.push(commit.event);
  }
  return events;
}

/**
 * A directory holding a closed store with a 50-event log, built once per test file and copied for each
 * test that tampers with it.
 */
export async function auditLogTemplate(count = 50): Promise<{ dir: string; events: AuditEvent[] }> {
  const dir = tempDir('idgraph-audit-');
  const store = await openKuzuStore({ dir });
  try {
    return { dir, events: await writeAuditLog(store, count) };
  } finally {
    await store.close();
  }
}

/** A fresh copy of a store directory (closed), to tamper with without touching the original. */
export function copyStore(dir: string): string {
  const copy = tempDir('idgraph-audit-copy-');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Opens the store in `dir`, runs `use`, closes it. */
export async function withStoreIn<T>(dir: string, use: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await openKuzuStore({ dir });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** One Cypher statement with its parameters, returning its rows. */
export type RawQuery = (text: string, params?: Record<string, KuzuValue>) => Record<string, unknown>[];

/**
 * Opens the closed store in `dir` straight through Kuzu, as an attacker with file access would (no store,
 * no audit event, no checks), and hands `use` a way to run Cypher on it; closes it after.
 */
export function withRawKuzu<T>(dir: string, use: (query: RawQuery) => T): T {
  const db = new Database(join(dir, DATABASE_FILE), undefined, undefined, false, MAX_DATABASE_BYTES);
  const conn = new Connection(db);
  const query: RawQuery = (text, params = {}) => {
    const prepared = conn.prepareSync(text);
    if (!prepared.isSuccess()) throw new Error(prepared.getErrorMessage());
    const result = conn.executeSync(prepared, params);
    const first = Array.isArray(result) ? result[0]! : result;
    try {
      return first.getAllSync() as Record<string, unknown>[];
    } finally {
      first.close();
    }
  };
  try {
    return use(query);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Runs one statement against the closed store in `dir` (see withRawKuzu) and returns its rows. */
export function tamper(dir: string, text: string, params: Record<string, KuzuValue> = {}): Record<string, unknown>[] {
  return withRawKuzu(dir, (query) => query(text, params));
}

/** The AuditEvent columns, as tamper() reads and writes them. */
export const EVENT_COLUMNS = ['at', 'actor', 'action', 'targets', 'decision', 'policyIds', 'reason', 'prevHash', 'hash'] as const;

/** Every column of one stored event (lists as their JSON text). */
export function storedRow(query: RawQuery, sequence: number): Record<string, unknown> {
  const columns = EVENT_COLUMNS.map((c) => `e.${c} AS ${c}`).join(', ');
  const [row] = query( `MATCH (e:AuditEvent) WHERE e.sequence = $sequence RETURN ${columns}`, { sequence });
  if (row === undefined) throw new Error(`no stored event ${sequence}`);
  return row;
}

/** Overwrites every column but the sequence (the primary key) of one stored event. */
export function overwriteRow(query: RawQuery, sequence: number, row: Record<string, unknown>): void {
  const sets = EVENT_COLUMNS.map((c) => `e.${c} = $${c}`).join(', ');
  const params = Object.fromEntries(EVENT_COLUMNS.map((c) => [c, String(row[c])]));
  query(`MATCH (e:AuditEvent) WHERE e.sequence = $sequence SET ${sets}`, { sequence, ...params });
}

/** `text` with one character changed (its char code's lowest bit flipped): the smallest edit there is. */
export function flipOneChar(text: string, index = Math.floor(text.length / 2)): string {
  const code = text.charCodeAt(index) ^ 1;
  return `${text.slice(0, index)}${String.fromCharCode(code)}${text.slice(index + 1)}`;
}
