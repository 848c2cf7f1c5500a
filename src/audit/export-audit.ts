/**
 * Exporting the audit log, in pages, as NDJSON of the events as stored (which `verifyAudit`-style tools
 * can re-check anywhere: every field the hash covers is there) or as OCSF records for a SIEM.
 */
import type { AuditEvent } from '../model/audit-chain.js';
import { IdGraphError } from '../model/errors.js';
import type { GraphStore } from '../store/port.js';
import { GENESIS_HEAD, type AuditHead } from './audit-head.js';
import { DEFAULT_AUDIT_PAGE_SIZE, auditPages } from './audit-pages.js';
import { toOcsf } from './ocsf.js';

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'ocsf'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export interface ExportAuditOptions {
  /** Events per store call and per `write` (default 10,000, at most 100,000). */
  readonly batchSize?: number;
}

export interface ExportSummary {
  readonly events: number;
  /** The last exported event's sequence and hash: anchor it to prove later that the export was whole. */
  readonly head: AuditHead;
}

/**
 * Writes every audit event, in sequence order, one JSON object a line. `write` gets one page of lines at
 * a time, each ending in `\n`, and is awaited, so a slow sink holds the reads back.
 * @throws IdGraphError BAD_USER_INPUT for an unknown format (before reading anything); whatever `write`
 *   or the store throws otherwise (lines written before stay written).
 * @example await exportAudit(store, 'ocsf', (text) => void process.stdout.write(text))
 */
export async function exportAudit(
  store: Pick<GraphStore, 'auditEvents'>,
  format: AuditExportFormat,
  write: (text: string) => void | Promise<void>,
  options: ExportAuditOptions = {},
): Promise<ExportSummary> {
  const line = lineFormatter(format);
  let events = 0;
  let head = GENESIS_HEAD;
  for await (const page of auditPages(store, options.batchSize ?? DEFAULT_AUDIT_PAGE_SIZE)) {
    await write(page.map((event) => `${line(event)}\n`).join(''));
    events += page.length;
    const last = page[page.length - 1]!;
    head = { sequence: last.sequence, hash: last.hash };
  }
  return { events, head };
}

/**
 * One event as an NDJSON line (no newline): its fields in a fixed order, the order `auditHash` covers
 * them, then the hash, so that equal logs export to equal bytes.
 * @example auditEventLine(event) // '{"sequence":1,"at":"2026-…","actor":"cli",…,"hash":"…"}'
 */
export function auditEventLine(event: AuditEvent): string {
  const ordered: AuditEvent = {
    sequence: event.sequence,
    at: event.at,
    actor: event.actor,
    action: event.action,
    targets: event.targets,
    decision: event.decision,
    policyIds: event.policyIds,
    reason: event.reason,
    requestId: event.requestId,
    prevHash: event.prevHash,
    hash: event.hash,
  };
  return JSON.stringify(ordered);
}

/** Checks a format name from outside (a flag, a query argument). */
export function isAuditExportFormat(value: unknown): value is AuditExportFormat {
  return typeof value === 'string' && (AUDIT_EXPORT_FORMATS as readonly string[]).includes(value);
}

function lineFormatter(format: AuditExportFormat): (event: AuditEvent) => string {
  switch (format) {
    case 'ndjson':
      return auditEventLine;
    case 'ocsf':
      return (event) => JSON.stringify(toOcsf(event));
    default:
      throw new IdGraphError(
        'BAD_USER_INPUT',
        `Unknown audit export format ${JSON.stringify(format)}; expected one of ${AUDIT_EXPORT_FORMATS.join(', ')}`,
      );
  }
}
