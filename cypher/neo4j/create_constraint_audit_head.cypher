// Migration: at most one audit head; with this constraint concurrent MERGEs of the head cannot create two.
CREATE CONSTRAINT AuditHead_id IF NOT EXISTS
FOR (h:AuditHead) REQUIRE h.id IS UNIQUE
