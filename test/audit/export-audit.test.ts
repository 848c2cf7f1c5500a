import { beforeAll, describe, expect, it } from 'vitest';
import {
  OCSF_VERSION,
  activityOf,
  auditEventLine,
  exportAudit,
  toOcsf,
  type AuditExportFormat,
  type OcsfApiActivity,
} from '../../src/audit/index.js';
import { auditEventOf, auditHash, type AuditEvent } from '../../src/model/audit-chain.js';
import { IdGraphError } from '../../src/model/errors.js';
import { auditLogTemplate, withStoreIn } from './support/audit-log.js';

let template: { dir: string; events: AuditEvent[] };

beforeAll(async () => {
  template = await auditLogTemplate(50);
});

async function exported(format: AuditExportFormat, batchSize?: number): Promise<{ text: string; writes: number; events: number }> {
  let text = '';
  let writes = 0;
  const summary = await withStoreIn(template.dir, (store) =>
    exportAudit(store, format, (chunk) => void ((text += chunk), (writes += 1)), batchSize === undefined ? {} : { batchSize }),
  );
  return { text, writes, events: summary.events };
}

describe('exportAudit ndjson', () => {
  it('writes one JSON object a line that parses back to the events as stored, in sequence order', async () => {
    const { text, events } = await exported('ndjson');
    expect(events).toBe(50);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines.map((line) => JSON.parse(line) as AuditEvent)).toEqual(template.events);
  });

  it('keeps every field the hash covers, so the export can be re-verified on its own', async () => {
    const parsed = (await exported('ndjson')).text.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEvent);
    for (const [i, event] of parsed.entries()) {
      expect(auditHash(event)).toBe(event.hash);
      expect(event.prevHash).toBe(i === 0 ? '0'.repeat(64) : parsed[i - 1]!.hash);
    }
  });

  it('writes the fields in one fixed order, whatever order the event object has', () => {
    const event = template.events[0]!;
    const shuffled = Object.fromEntries(Object.entries(event).reverse()) as unknown as AuditEvent;
    expect(auditEventLine(shuffled)).toBe(auditEventLine(event));
    expect(Object.keys(JSON.parse(auditEventLine(shuffled)) as object)).toEqual([
      'sequence', 'at', 'actor', 'action', 'targets', 'decision', 'policyIds', 'reason', 'requestId', 'prevHash', 'hash',
    ]);
  });

  it('writes a page at a time and the same bytes whatever the page size', async () => {
    const whole = await exported('ndjson');
    const paged = await exported('ndjson', 20);
    expect(paged.text).toBe(whole.text);
    expect([whole.writes, paged.writes]).toEqual([1, 3]);
  });

  it('refuses an unknown format before reading anything', async () => {
    let reads = 0;
    const error = await exportAudit({ auditEvents: async () => (reads++, []) }, 'csv' as AuditExportFormat, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdGraphError);
    expect((error as Error).message).toBe('Unknown audit export format "csv"; expected one of ndjson, ocsf');
    expect(reads).toBe(0);
  });
});

describe('exportAudit ocsf', () => {
  it('maps every event to an OCSF API Activity record keyed by its sequence', async () => {
    const records = (await exported('ocsf')).text.trimEnd().split('\n').map((line) => JSON.parse(line) as OcsfApiActivity);
    expect(records).toHaveLength(50);
    for (const [i, record] of records.entries()) {
      const event = template.events[i]!;
      expect(record).toMatchObject({
        class_uid: 6003,
        category_uid: 6,
        type_uid: 600300 + record.activity_id,
        severity_id: 1,
        time: Date.parse(event.at),
        actor: { user: { name: event.actor } },
        api: { operation: event.action },
        resources: event.targets.map((uid) => ({ uid })),
        status_code: event.decision,
        metadata: { product: { name: 'idgraph' }, version: OCSF_VERSION, uid: String(event.sequence) },
        unmapped: { hash: event.hash, prevHash: event.prevHash, policyIds: event.policyIds, reason: event.reason },
      });
    }
  });

  it('reads the decision as the status: allowed and unasked succeed, denied fails, pending waits', () => {
    const status = (decision: string) => {
      const { status_id, status } = toOcsf(event({ decision }));
      return [status_id, status];
    };
    expect([status('ALLOW'), status('NONE'), status('DENY'), status('PENDING'), status('MAYBE')]).toEqual([
      [1, 'Success'], [1, 'Success'], [2, 'Failure'], [99, 'Pending'], [0, 'Unknown'],
    ]);
  });

  it('puts a denial reason in status_detail and a one-line message, and leaves status_detail out when there is none', () => {
    const denied = toOcsf(event({ decision: 'DENY', reason: 'vendor identities never get CRITICAL scopes', policyIds: ['vendor-no-critical'] }));
    expect(denied.status_detail).toBe('vendor identities never get CRITICAL scopes');
    expect(denied.message).toBe('owner:payments grant on sa:ci, role:deploy: DENY (vendor identities never get CRITICAL scopes)');
    expect(denied.unmapped.policyIds).toEqual(['vendor-no-critical']);
    expect('status_detail' in toOcsf(event({}))).toBe(false);
  });

  it('takes the activity from the action verb; revocation and retirement are updates, nothing is deleted', () => {
    const actions = ['grant', 'issueCredential', 'import', 'rotateCredential', 'revoke', 'retireService', 'offboardVendor', 'approve', 'delete', 'exportAudit', 'frobnicate'];
    expect(Object.fromEntries(actions.map((a) => [a, activityOf(a)]))).toEqual({
      grant: 1, issueCredential: 1, import: 1, rotateCredential: 3, revoke: 3, retireService: 3, offboardVendor: 3, approve: 3, delete: 4, exportAudit: 2, frobnicate: 99,
    });
  });
});

function event(overrides: { decision?: string; reason?: string; policyIds?: string[] }): AuditEvent {
  return auditEventOf(
    { actor: 'owner:payments', action: 'grant', targets: ['sa:ci', 'role:deploy'], at: '2026-11-01T09:00:00.000Z', ...overrides },
    7,
    '0'.repeat(64),
  );
}
