/**
 * Audit events as OCSF records, for a SIEM. Every event maps to one OCSF 1.3 **API Activity** (class 6003,
 * category 6 Application Activity): an audit event is exactly "an actor called an operation of the API on
 * some resources, and it succeeded, failed or waits". One class for every action keeps a consumer's
 * parser to one shape; Account Change (3001) would fit only the credential actions.
 *
 * | audit event      | OCSF attribute                                   | why / how                                    |
 * |------------------|--------------------------------------------------|----------------------------------------------|
 * | `at`             | `time` (epoch ms), `time_dt` (ISO string)        | `time` is OCSF's timestamp_t                 |
 * | `actor`          | `actor.user.name`, `actor.user.uid`              | the principal as the API authenticated it    |
 * | `action`         | `api.operation`, `activity_name`                 | verbatim                                     |
 * | `action` (verb)  | `activity_id` 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other | see `activityOf`                 |
 * | `targets`        | `resources[].uid`                                | node ids                                     |
 * | `decision`       | `status_id`, `status`, `status_code` (verbatim)  | ALLOW/NONE 1 Success, DENY 2 Failure, PENDING 99 Other "Pending", else 0 Unknown |
 * | `reason`         | `status_detail` (when not empty), `message`      |                                              |
 * | `requestId`      | `api.request.uid` (when not empty)               | the API request that made the change         |
 * | `sequence`       | `metadata.uid` (a string, as OCSF types it)      | the event's identity in the log              |
 * | —                | `metadata.product.name` "idgraph", `metadata.version` "1.3.0" | the OCSF schema version         |
 * | `hash`, `prevHash`, `policyIds`, `reason` | `unmapped`              | OCSF has no place for a hash chain; kept so the export can be verified |
 *
 * `severity_id` is 1 (Informational) for every event: severity belongs to the detection rule that reads
 * them. The class requires `src_endpoint`, which the audit log does not record; it is left out rather than
 * invented.
 */
import type { AuditEvent } from '../model/audit-chain.js';

/** The OCSF schema version the records follow. */
export const OCSF_VERSION = '1.3.0';
export const OCSF_API_ACTIVITY_CLASS_UID = 6003;
const APPLICATION_ACTIVITY_CATEGORY_UID = 6;
const INFORMATIONAL = 1;

/** One audit event as an OCSF API Activity record. */
export interface OcsfApiActivity {
  readonly class_uid: 6003;
  readonly class_name: 'API Activity';
  readonly category_uid: 6;
  readonly category_name: 'Application Activity';
  readonly activity_id: OcsfActivityId;
  readonly activity_name: string;
  /** class_uid × 100 + activity_id. */
  readonly type_uid: number;
  readonly severity_id: 1;
  readonly severity: 'Informational';
  readonly time: number;
  readonly time_dt: string;
  readonly actor: { readonly user: { readonly name: string; readonly uid: string } };
  readonly api: { readonly operation: string; readonly service: { readonly name: 'idgraph' }; readonly request?: { readonly uid: string } };
  readonly resources: readonly { readonly uid: string }[];
  readonly status_id: 0 | 1 | 2 | 99;
  readonly status: 'Unknown' | 'Success' | 'Failure' | 'Pending';
  readonly status_code: string;
  readonly status_detail?: string;
  readonly message: string;
  readonly metadata: {
    readonly version: string;
    readonly uid: string;
    readonly product: { readonly name: 'idgraph'; readonly vendor_name: 'idgraph' };
  };
  readonly unmapped: {
    readonly sequence: number;
    readonly hash: string;
    readonly prevHash: string;
    readonly policyIds: readonly string[];
    readonly reason: string;
  };
}

/** API Activity's activity ids: 0 Unknown, 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. */
export type OcsfActivityId = 0 | 1 | 2 | 3 | 4 | 99;

/**
 * Maps one audit event to its OCSF record (see the module comment for every field).
 * @example toOcsf(event).status_id // 2 for a denied attempt
 */
export function toOcsf(event: AuditEvent): OcsfApiActivity {
  const activity = activityOf(event.action);
  const status = statusOf(event.decision);
  const targets = event.targets.length === 0 ? '' : ` on ${event.targets.join(', ')}`;
  return {
    class_uid: 6003,
    class_name: 'API Activity',
    category_uid: APPLICATION_ACTIVITY_CATEGORY_UID,
    category_name: 'Application Activity',
    activity_id: activity,
    activity_name: event.action,
    type_uid: OCSF_API_ACTIVITY_CLASS_UID * 100 + activity,
    severity_id: INFORMATIONAL,
    severity: 'Informational',
    time: Date.parse(event.at),
    time_dt: event.at,
    actor: { user: { name: event.actor, uid: event.actor } },
    api: { operation: event.action, service: { name: 'idgraph' }, ...(event.requestId === '' ? {} : { request: { uid: event.requestId } }) },
    resources: event.targets.map((uid) => ({ uid })),
    status_id: status.id,
    status: status.name,
    status_code: event.decision,
    ...(event.reason === '' ? {} : { status_detail: event.reason }),
    message: `${event.actor} ${event.action}${targets}: ${event.decision}${event.reason === '' ? '' : ` (${event.reason})`}`,
    metadata: { version: OCSF_VERSION, uid: String(event.sequence), product: { name: 'idgraph', vendor_name: 'idgraph' } },
    unmapped: {
      sequence: event.sequence,
      hash: event.hash,
      prevHash: event.prevHash,
      policyIds: event.policyIds,
      reason: event.reason,
    },
  };
}

/**
 * The activity from the action's leading verb (`issueCredential` → issue → Create). Revoking, retiring,
 * offboarding and quarantining are Update, not Delete: nothing is ever deleted (DESIGN.md), the record
 * stays and changes status.
 */
export function activityOf(action: string): OcsfActivityId {
  // The first word of camelCase, snake_case, kebab-case or dotted names: issueCredential, issue_credential.
  const verb = (/^[A-Za-z][a-z]*/.exec(action)?.[0] ?? '').toLowerCase();
  if (CREATE.has(verb)) return 1;
  if (READ.has(verb)) return 2;
  if (UPDATE.has(verb)) return 3;
  if (DELETE.has(verb)) return 4;
  return 99;
}

const CREATE = new Set(['create', 'issue', 'grant', 'request', 'import', 'seed', 'add', 'define']);
const READ = new Set(['read', 'get', 'list', 'export', 'verify']);
const UPDATE = new Set([
  'update', 'rotate', 'approve', 'reject', 'reassign', 'revoke', 'retire', 'offboard', 'quarantine', 'set',
]);
const DELETE = new Set(['delete', 'remove']);

function statusOf(decision: string): { id: OcsfApiActivity['status_id']; name: OcsfApiActivity['status'] } {
  switch (decision.toUpperCase()) {
    case 'ALLOW':
    case 'NONE':
      return { id: 1, name: 'Success' };
    case 'DENY':
      return { id: 2, name: 'Failure' };
    case 'PENDING':
    case 'NEEDS_APPROVAL':
      return { id: 99, name: 'Pending' };
    default:
      return { id: 0, name: 'Unknown' };
  }
}
