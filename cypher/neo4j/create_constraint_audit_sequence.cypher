// Migration: one audit event per sequence number, and an index for audit_events and last_audit.
CREATE CONSTRAINT AuditEvent_sequence IF NOT EXISTS
FOR (e:AuditEvent) REQUIRE e.sequence IS UNIQUE
