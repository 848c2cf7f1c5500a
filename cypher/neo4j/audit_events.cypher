// Audit events after a sequence number, ascending (a range seek on the sequence constraint's index).
MATCH (e:AuditEvent)
WHERE e.sequence > $after
RETURN properties(e) AS event
ORDER BY e.sequence
LIMIT $limit
