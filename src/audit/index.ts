/**
 * The audit log's tooling (DESIGN.md, Policy: evidence): verify the hash chain, read and parse its head
 * for anchoring outside, export it as NDJSON or OCSF. Writing events is the store's job, in the same
 * transaction as each change; this folder only reads them, through the store port.
 */
export { auditHead, formatAuditHead, getValidHead, parseAuditHead, GENESIS_HEAD, type AuditHead } from './audit-head.js';
export { auditPages, DEFAULT_AUDIT_PAGE_SIZE, MAX_AUDIT_PAGE_SIZE } from './audit-pages.js';
export {
  exportAudit,
  auditEventLine,
  isAuditExportFormat,
  AUDIT_EXPORT_FORMATS,
  type AuditExportFormat,
  type ExportAuditOptions,
  type ExportSummary,
} from './export-audit.js';
export { toOcsf, activityOf, OCSF_VERSION, OCSF_API_ACTIVITY_CLASS_UID, type OcsfApiActivity, type OcsfActivityId } from './ocsf.js';
export { verifyAudit, type AuditBreak, type AuditBreakReason, type VerifyAuditOptions, type VerifyReport } from './verify-audit.js';
