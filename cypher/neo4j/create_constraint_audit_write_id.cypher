// Migration: one audit event per write attempt id, and the index find_audit_by_write_id seeks on. Events
// written before writeIds existed have none, which the constraint allows.
CREATE CONSTRAINT AuditEvent_writeId IF NOT EXISTS
FOR (e:AuditEvent) REQUIRE e.writeId IS UNIQUE
