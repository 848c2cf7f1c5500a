// Appends the write's audit event and moves the head to it, in the transaction that locked the head.
MATCH (h:AuditHead {id: 'head'})
CREATE (e:AuditEvent)
SET e = $event
SET h.sequence = e.sequence, h.hash = e.hash
RETURN e.sequence AS sequence
